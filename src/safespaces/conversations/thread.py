"""One correspondent's messages both ways, a page at a time, for staff to read.

Page 1 holds the newest messages; each page lists its messages oldest first, as a chat does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safespaces.conversations.labels import channel_label, command_label
from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink

PAGE_SIZE = 50


@dataclass(frozen=True)
class ThreadEntry:
    """A message in the thread, labels translated; our answers carry a status and a sender."""

    at: datetime
    inbound: bool
    body: str
    channel: str
    gateway: str
    command: str = ""
    status: str = ""
    status_label: str = ""
    # Username of the staff member who wrote an answer; blank for automatic answers.
    sent_by: str = ""


@dataclass(frozen=True)
class ThreadPage:
    entries: list[ThreadEntry]
    number: int
    has_older: bool


def inbound_entry(message: InboundMessage) -> ThreadEntry:
    return ThreadEntry(
        at=message.received_at,
        inbound=True,
        body=message.body or "",
        channel=channel_label(message.channel),
        gateway=message.gateway,
        command=command_label(message.command) if message.command else "",
    )


def outbound_entry(link: OutboundLink) -> ThreadEntry:
    message = link.message
    return ThreadEntry(
        at=link.created_at,
        inbound=False,
        body=message.body or "",
        channel=channel_label(message.channel),
        gateway=message.gateway,
        status=message.status,
        status_label=str(message.get_status_display()),
        sent_by=link.sent_by.get_username() if link.sent_by else "",
    )


def thread_page(correspondent: Correspondent, number: int = 1) -> ThreadPage:
    """Page `number` (1 is the newest) of the thread; only the entries shown are decrypted."""
    number = max(number, 1)
    wanted = number * PAGE_SIZE + 1
    inbound = correspondent.inbound_messages.order_by("-received_at", "-pk")[:wanted]
    outbound = (
        correspondent.outbound_links.select_related("message", "sent_by")
        .defer("message__recipient")
        .order_by("-created_at", "-pk")[:wanted]
    )
    # Sorted by time only; the bodies are read (and decrypted) below for the page alone.
    merged: list[InboundMessage | OutboundLink] = sorted(
        [*inbound, *outbound], key=entry_time, reverse=True
    )
    start = (number - 1) * PAGE_SIZE
    shown = merged[start : start + PAGE_SIZE]
    entries = [
        inbound_entry(item) if isinstance(item, InboundMessage) else outbound_entry(item)
        for item in reversed(shown)
    ]
    return ThreadPage(entries=entries, number=number, has_older=len(merged) > start + PAGE_SIZE)


def entry_time(item: InboundMessage | OutboundLink) -> datetime:
    return item.received_at if isinstance(item, InboundMessage) else item.created_at
