"""Staff accounts, roles, multi-factor authentication and API tokens."""
