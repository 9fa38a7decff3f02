"""Envelope encryption of personal data and blind indexes."""
