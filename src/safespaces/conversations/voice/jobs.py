"""The hotline's worker jobs, registered on import (by the conversations app, when ready)."""

from __future__ import annotations

from safespaces.conversations.voice.fetch import (
    FETCH_EVERY_SECONDS,
    FETCH_JOB,
    fetch_due_recordings,
)
from safespaces.outbox.jobs import register_job
from safespaces.reports.recordings import (
    PURGE_EVERY_SECONDS,
    PURGE_JOB,
    purge_expired_recordings,
)

register_job(FETCH_JOB, FETCH_EVERY_SECONDS, fetch_due_recordings)
register_job(PURGE_JOB, PURGE_EVERY_SECONDS, purge_expired_recordings)
