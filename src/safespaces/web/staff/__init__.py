"""The staff console under /staff/: its own URLs, templates and session cookie."""
