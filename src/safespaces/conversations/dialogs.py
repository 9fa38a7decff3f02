"""Starting, keeping and ending a correspondent's unfinished dialog (state kept encrypted)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.utils import timezone

from safespaces.conversations.models import Correspondent

FIELDS = ("dialog", "dialog_state", "dialog_expires_at")


def deadline() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=settings.SAFESPACES_DIALOG_TIMEOUT_MINUTES)


def keep(correspondent: Correspondent, name: str, state: dict[str, Any]) -> None:
    """Save the dialog's state; the correspondent has the full timeout again to answer."""
    correspondent.dialog = name
    correspondent.dialog_state = json.dumps(state)
    correspondent.dialog_expires_at = deadline()
    correspondent.save(update_fields=FIELDS)


def end(correspondent: Correspondent) -> None:
    correspondent.dialog = ""
    correspondent.dialog_state = ""
    correspondent.dialog_expires_at = None
    correspondent.save(update_fields=FIELDS)


def state_of(correspondent: Correspondent) -> dict[str, Any]:
    try:
        state = json.loads(correspondent.dialog_state or "{}")
    except ValueError:
        return {}
    return state if isinstance(state, dict) else {}
