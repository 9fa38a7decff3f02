"""Panic alerts and check-in timers for people at risk."""
