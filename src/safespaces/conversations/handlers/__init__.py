"""Command and dialog handlers; importing this package registers them (apps.ready)."""
