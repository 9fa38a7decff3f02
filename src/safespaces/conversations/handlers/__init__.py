"""Command and dialog handlers; importing this package registers them (apps.ready)."""

from safespaces.conversations.handlers import (  # noqa: F401  (each module registers itself)
    help,
    info,
    language,
    ok,
    report,
    safe,
    start,
    stop,
    venue_poll,
)
