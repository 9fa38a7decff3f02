"""A few SMS conversations for the demo, received through the console gateway.

They go through the same pipeline as real messages (keywords, dialogs, answers in the outbox),
so the staff console's threads show what a deployment would see. The numbers are fictional.
"""

from __future__ import annotations

from safespaces.conversations.actions import receive_message
from safespaces.outbox.gateways.base import Incoming

DEMO_MESSAGES: tuple[tuple[str, str, str], ...] = (
    ("+201000000101", "sms", "REPORT two men followed me from Tahrir metro exit at 8pm"),
    ("+201000000101", "sms", "YES"),
    ("+201000000102", "sms", "HELP"),
    ("+201000000103", "whatsapp", "بلاغ تحرش لفظي عند محطة رمسيس امس"),
    ("+201000000103", "whatsapp", "نعم"),
    ("+201000000104", "sms", "SAFE Ramses Station"),
    ("+201000000105", "sms", "hello?"),
    ("+201000000105", "sms", "LANG fr"),
)


def load_demo_conversations() -> int:
    """Receive the demo messages once (their ids make a second load change nothing)."""
    received = 0
    for position, (sender, channel, body) in enumerate(DEMO_MESSAGES, start=1):
        result = receive_message(
            Incoming(
                gateway="console",
                channel=channel,
                provider_message_id=f"demo-{position}",
                sender=sender if channel == "sms" else f"whatsapp:{sender}",
                body=body,
            )
        )
        received += result.inbound is not None
    return received
