"""Crowd reports of incidents and their moderation."""
