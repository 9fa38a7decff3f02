"""What an alert sends, to whom: ladder steps, repeats, updates, failure notices, stand-downs.

Every message is an outbox row and an AlertDelivery row written in the caller's transaction,
which also holds the claim (a conditional update) that made this send this process's to do.
The delivery's (step, round) says why it was sent; its unique key makes each at most once.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from safespaces.outbox.actions import RecipientOptedOut, enqueue_message
from safespaces.outbox.models import Status
from safespaces.safety import links, messages
from safespaces.safety.messages import Text
from safespaces.safety.models import (
    Alert,
    AlertDelivery,
    AlertEvent,
    AlertStatus,
    CheckInPlan,
    EscalationLadder,
    EventKind,
    LadderStep,
    RecipientKind,
    StepAction,
    SupportNetwork,
    Trigger,
)
from safespaces.safety.recipients import (
    Recipient,
    agreed_contacts,
    contact_recipient,
    find_recipient,
    member_recipient,
    person_recipient,
    shift_recipient,
)
from safespaces.safety.roster import default_ladder, on_duty

if TYPE_CHECKING:
    from safespaces.accounts.models import User
    from safespaces.safety.models import TrustedContact

logger = logging.getLogger("safespaces.safety")

# Why a delivery was sent, when not for a ladder step (steps are 0, 1, 2...).
STEP_REPEAT = -1
STEP_FAILURE_NOTICE = -2
STEP_UPDATE = -3
STEP_NETWORK = -4
STEP_ENDED = -5
PURPOSES = {
    STEP_REPEAT: "safety:repeat",
    STEP_FAILURE_NOTICE: "safety:delivery_failed",
    STEP_UPDATE: "safety:update",
    STEP_NETWORK: "safety:network",
    STEP_ENDED: "safety:ended",
}
ACTIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


def add_event(
    alert: Alert,
    kind: str,
    *,
    detail: str | dict[str, Any] = "",
    actor: User | None = None,
    contact: TrustedContact | None = None,
) -> AlertEvent:
    """A line of the timeline; structured details are kept as JSON (see safety.timeline)."""
    text = json.dumps(detail, ensure_ascii=False) if isinstance(detail, dict) else detail
    event = AlertEvent(
        alert=alert, kind=kind, detail=text, actor=actor, contact=contact, at=timezone.now()
    )
    event.save()
    return event


def purpose_of(step: int, recipient: Recipient) -> str:
    if step < 0:
        return PURPOSES[step]
    if recipient.kind == RecipientKind.PERSON:
        return "safety:reminder"
    return "safety:network" if recipient.kind == RecipientKind.NETWORK else "safety:alert"


def send(
    alert: Alert, recipient: Recipient, text: Text, channel: str, step: int, round_: int
) -> bool:
    """Queue one message and its delivery row; an opted-out number is noted, not failed."""
    address = recipient.address(channel)
    if not address:
        return False
    try:
        message = enqueue_message(
            channel, address, text.for_channel(channel), purpose=purpose_of(step, recipient)
        )
    except RecipientOptedOut:
        add_event(
            alert,
            EventKind.OPTED_OUT,
            detail={"recipient": recipient.kind, "channel": channel},
            contact=recipient.contact,
        )
        return False
    AlertDelivery.objects.create(
        alert=alert,
        message=message,
        recipient_kind=recipient.kind,
        recipient_id=recipient.id,
        channel=channel,
        step=step,
        round=round_,
        created_at=timezone.now(),
    )
    return True


def send_everywhere(alert: Alert, recipient: Recipient, text: Text, step: int, round_: int) -> int:
    """On every channel the recipient has: an alert must not hang on one network."""
    return sum(
        send(alert, recipient, text, channel, step, round_) for channel in recipient.channels
    )


def preferred_channel(alert: Alert, recipient: Recipient) -> str | None:
    """The recipient's first channel that has not failed for this alert."""
    failed = set(
        alert.deliveries.filter(
            recipient_kind=recipient.kind,
            recipient_id=recipient.id,
            message__status=Status.FAILED,
        ).values_list("channel", flat=True)
    )
    channels = recipient.channels
    working = [channel for channel in channels if channel not in failed]
    return next(iter(working or channels), None)


def send_once(alert: Alert, recipient: Recipient, text: Text, step: int, round_: int) -> int:
    channel = preferred_channel(alert, recipient)
    return int(channel is not None and send(alert, recipient, text, channel, step, round_))


def already_alerted(alert: Alert, before: datetime | None = None) -> set[tuple[str, str]]:
    """Recipients sent this alert by a ladder step or a network activation (before then)."""
    rows = alert.deliveries.filter(step__gte=STEP_NETWORK).exclude(
        step__in=(STEP_REPEAT, STEP_FAILURE_NOTICE, STEP_UPDATE)
    )
    if before is not None:
        rows = rows.filter(created_at__lte=before)
    return set(rows.values_list("recipient_kind", "recipient_id"))


def alerted_recipients(
    alert: Alert, *, with_network: bool, before: datetime | None = None
) -> list[Recipient]:
    """Everyone alerted so far, as they are now (a contact who withdrew is left out)."""
    kinds = [RecipientKind.CONTACT, RecipientKind.DUTY]
    if with_network:
        kinds.append(RecipientKind.NETWORK)
    found = []
    for kind, recipient_id in sorted(already_alerted(alert, before)):
        if kind in kinds:
            recipient = find_recipient(alert.person, kind, recipient_id)
            if recipient is not None:
                found.append(recipient)
    return found


def page_link(alert: Alert, recipient: Recipient) -> str:
    if recipient.kind == RecipientKind.DUTY:
        return links.duty_alert_url(alert)
    return links.alert_page_url(alert, recipient.kind, recipient.id)


# --- Ladder steps ---------------------------------------------------------------------------


def ladder_of(alert: Alert) -> EscalationLadder:
    """The alert's ladder; if it was deleted, the organisation's default (never no ladder)."""
    return alert.ladder or default_ladder(alert.person.organisation)


def steps_of(alert: Alert) -> list[LadderStep]:
    return list(ladder_of(alert).steps.select_related("network").order_by("position"))


def repeat_minutes(alert: Alert) -> int:
    return ladder_of(alert).repeat_minutes or settings.SAFESPACES_ALERT_REPEAT_MINUTES


def run_due_steps(alert_id: Any, now: datetime) -> int:
    """Run every step of this alert that is due, each claimed once; messages queued."""
    queued = 0
    while True:
        alert = Alert.objects.select_related("person__organisation", "ladder").get(pk=alert_id)
        if alert.status not in ACTIVE or alert.next_step_at is None or alert.next_step_at > now:
            return queued
        steps = steps_of(alert)
        index = alert.next_step
        if index >= len(steps):
            Alert.objects.filter(pk=alert.pk, next_step=index).update(next_step_at=None)
            return queued
        following = steps[index + 1] if index + 1 < len(steps) else None
        next_at = (
            alert.next_step_at + timedelta(minutes=following.delay_minutes) if following else None
        )
        claimed = Alert.objects.filter(
            pk=alert.pk, status__in=ACTIVE, next_step=index, next_step_at__lte=now
        ).update(next_step=index + 1, next_step_at=next_at)
        if claimed != 1:
            return queued
        queued += run_step(alert, index, steps[index])


def run_step(alert: Alert, index: int, step: LadderStep) -> int:
    if step.action == StepAction.REMIND_PERSON:
        return remind_person(alert, index)
    if step.action == StepAction.ALERT_CONTACTS:
        return alert_contacts(alert, index)
    if step.action == StepAction.ALERT_DUTY:
        return alert_duty(alert, index)
    network = step.network or alert.person.organisation.support_networks.order_by("name").first()
    if network is None:
        add_event(alert, EventKind.STEP, detail={"action": step.action, "skipped": "no_network"})
        return 0
    return alert_network(alert, network, index, 0)


def step_event(alert: Alert, action: str, sent: int, recipients: int) -> None:
    add_event(
        alert,
        EventKind.STEP,
        detail={"action": action, "recipients": recipients, "messages": sent},
    )


def remind_person(alert: Alert, index: int) -> int:
    # Only a missed check-in reminds the person; a panic or duress alert never tells them.
    if alert.trigger != Trigger.MISSED_CHECKIN:
        return 0
    recipient = person_recipient(alert.person)
    sent = send_once(alert, recipient, messages.reminder_message(alert, recipient), index, 0)
    if alert.plan_id is not None:
        CheckInPlan.objects.filter(pk=alert.plan_id).update(reminded_at=timezone.now())
    step_event(alert, StepAction.REMIND_PERSON, sent, 1)
    return sent


def alert_contacts(alert: Alert, index: int) -> int:
    done = already_alerted(alert)
    fresh = [
        contact
        for contact in agreed_contacts(alert.person)
        if (RecipientKind.CONTACT, str(contact.pk)) not in done
    ]
    sent = 0
    for contact in fresh:
        recipient = contact_recipient(contact)
        text = messages.alert_message(alert, recipient, page_link(alert, recipient))
        sent += send_everywhere(alert, recipient, text, index, 0)
    if fresh or not done:
        step_event(alert, StepAction.ALERT_CONTACTS, sent, len(fresh))
    return sent


def alert_duty(alert: Alert, index: int) -> int:
    shifts = on_duty(alert.person.organisation, timezone.now())
    if not shifts:
        add_event(alert, EventKind.NO_DUTY)
        return 0
    done = already_alerted(alert)
    sent, fresh = 0, 0
    for shift in shifts:
        recipient = shift_recipient(shift)
        if (recipient.kind, recipient.id) in done:
            continue
        fresh += 1
        text = messages.alert_message(alert, recipient, page_link(alert, recipient))
        sent += send_everywhere(alert, recipient, text, index, 0)
    step_event(alert, StepAction.ALERT_DUTY, sent, fresh)
    return sent


def alert_network(alert: Alert, network: SupportNetwork, step: int, round_: int) -> int:
    done = already_alerted(alert)
    sent, fresh = 0, 0
    for member in network.members.all():
        recipient = member_recipient(member)
        if (recipient.kind, recipient.id) in done:
            continue
        fresh += 1
        text = messages.network_message(alert, network, recipient, page_link(alert, recipient))
        sent += send_everywhere(alert, recipient, text, step, round_)
    add_event(
        alert,
        EventKind.NETWORK,
        detail={"network": network.pk, "recipients": fresh, "messages": sent},
    )
    return sent


# --- Repeats, updates, stand-downs ------------------------------------------------------------


def send_repeat(alert: Alert, round_: int, since: datetime) -> int:
    """The alert again, with the newest location, to the contacts and officers alerted
    before `since` (the last repeat's time): whoever was alerted after it has the news."""
    sent = 0
    for recipient in alerted_recipients(alert, with_network=False, before=since):
        text = messages.repeat_message(alert, recipient, page_link(alert, recipient))
        sent += send_once(alert, recipient, text, STEP_REPEAT, round_)
    if sent:
        add_event(alert, EventKind.REPEATED, detail={"round": round_, "messages": sent})
    return sent


def send_update(alert: Alert, event: AlertEvent, location: Any) -> int:
    sent = 0
    for recipient in alerted_recipients(alert, with_network=True):
        text = messages.update_message(alert, recipient, location, page_link(alert, recipient))
        sent += send_once(alert, recipient, text, STEP_UPDATE, event.pk)
    return sent


def send_ended(alert: Alert) -> int:
    sent = 0
    for recipient in alerted_recipients(alert, with_network=True):
        sent += send_once(alert, recipient, messages.ended_message(alert, recipient), STEP_ENDED, 0)
    return sent


def lock_alert(alert: Alert) -> Alert:
    """The alert's row, locked until the transaction ends (SQLite: already serialised)."""
    return Alert.objects.select_for_update().select_related("person").get(pk=alert.pk)
