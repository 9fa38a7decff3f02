"""Command and dialog handlers; importing this package registers them (apps.ready)."""

from safespaces.conversations.handlers import (  # noqa: F401  (each module registers itself)
    ack,
    checkin,
    end_alert,
    help,
    info,
    language,
    location,
    ok,
    panic,
    report,
    safe,
    start,
    stop,
    venue_poll,
)
