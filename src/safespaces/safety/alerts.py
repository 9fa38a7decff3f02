"""Alerts, from trigger to resolution. Each action is one transaction with its audit event.

A person has at most one alert open at a time (a drill and a real one are counted apart):
a second trigger adds to it. Raising an alert runs the ladder's 0-minute steps at once, so
the first messages are in the outbox when raise_alert returns; the worker does the rest
(safety.engine). Nothing here hashes with Argon2 except the PIN check, which is not on the
panic path.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.safety.escalation import (
    ACTIVE,
    STEP_NETWORK,
    add_event,
    alert_network,
    lock_alert,
    repeat_minutes,
    run_due_steps,
    send_ended,
    send_update,
    steps_of,
)
from safespaces.safety.locations import Location
from safespaces.safety.models import (
    Alert,
    AlertStatus,
    CheckInPlan,
    Consent,
    EventKind,
    LocationSource,
    Outcome,
    ProtectedPerson,
    RecipientKind,
    SupportNetwork,
    Trigger,
    TrustedContact,
)
from safespaces.safety.people import contacts_by_phone
from safespaces.safety.roster import default_ladder
from safespaces.safety.validation import (
    MAX_PLACE_CHARS,
    MAX_TEXT_CHARS,
    optional_text,
    point,
    refuse,
    required_text,
)

if TYPE_CHECKING:
    from safespaces.accounts.models import User

# After this many wrong PINs on one alert only staff can end it: a PIN is short.
MAX_WRONG_PINS = 5
SOURCE_OF_TRIGGER = {
    Trigger.PANIC_WEB: LocationSource.WEB,
    Trigger.PANIC_API: LocationSource.APP,
    Trigger.PANIC_SMS: LocationSource.SMS,
    Trigger.PANIC_HOTLINE: LocationSource.HOTLINE,
    Trigger.PANIC_STAFF: LocationSource.STAFF,
}


def location_given(latitude: float | None, longitude: float | None, place: str) -> Location:
    spot = point(latitude, longitude)
    words = optional_text("place", place, MAX_PLACE_CHARS)
    return Location(spot[0] if spot else None, spot[1] if spot else None, words)


def remember_location(person: ProtectedPerson, location: Location, source: str) -> None:
    person.last_location = location.encode()
    person.last_location_at = timezone.now()
    person.last_location_source = source
    person.save(update_fields=["last_location", "last_location_at", "last_location_source"])


def open_alert_of(person: ProtectedPerson, is_drill: bool) -> Alert | None:
    alerts = person.alerts.filter(status__in=ACTIVE, is_drill=is_drill)
    return alerts.order_by("opened_at").first()


@transaction.atomic
def raise_alert(
    person: ProtectedPerson,
    *,
    trigger: str,
    is_drill: bool = False,
    latitude: float | None = None,
    longitude: float | None = None,
    place: str = "",
    plan: CheckInPlan | None = None,
    actor: User | None = None,
) -> Alert:
    if trigger not in Trigger.values:
        raise refuse("trigger", _("Unknown trigger."))
    location = location_given(latitude, longitude, place)
    # Serialises triggers of one person, so two panics at once make one alert.
    person = ProtectedPerson.objects.select_for_update().get(pk=person.pk)
    if not location.is_empty:
        remember_location(person, location, SOURCE_OF_TRIGGER.get(Trigger(trigger), ""))
    existing = open_alert_of(person, is_drill)
    if existing is not None:
        return trigger_again(existing, trigger, location, actor)
    return open_alert(person, trigger=trigger, is_drill=is_drill, plan=plan, actor=actor)


def open_alert(
    person: ProtectedPerson,
    *,
    trigger: str,
    is_drill: bool,
    plan: CheckInPlan | None,
    actor: User | None,
) -> Alert:
    """A new alert, its first event, and its 0-minute steps, in the caller's transaction."""
    now = timezone.now()
    ladder = (plan.ladder if plan else None) or person.ladder or default_ladder(person.organisation)
    alert = Alert(
        person=person, plan=plan, trigger=trigger, is_drill=is_drill, ladder=ladder, opened_at=now
    )
    first_steps = steps_of(alert)
    alert.next_step_at = (
        now + timedelta(minutes=first_steps[0].delay_minutes) if first_steps else None
    )
    alert.next_repeat_at = now + timedelta(minutes=repeat_minutes(alert))
    alert.save(force_insert=True)
    add_event(alert, EventKind.OPENED, detail={"trigger": trigger}, actor=actor)
    record_event(
        "alert:raise",
        actor,
        str(alert.pk),
        {"person": str(person.pk), "trigger": trigger, "drill": is_drill},
    )
    run_due_steps(alert.pk, now)
    alert.refresh_from_db()
    return alert


def trigger_again(alert: Alert, trigger: str, location: Location, actor: User | None) -> Alert:
    """A second trigger adds to the open alert; after an acknowledgement it repeats again."""
    alert = lock_alert(alert)
    add_event(alert, EventKind.TRIGGERED_AGAIN, detail={"trigger": trigger}, actor=actor)
    if alert.status == AlertStatus.ACKNOWLEDGED:
        Alert.objects.filter(pk=alert.pk).update(
            status=AlertStatus.OPEN,
            next_repeat_at=timezone.now() + timedelta(minutes=repeat_minutes(alert)),
        )
    if not location.is_empty:
        location_update(alert, location)
    record_event("alert:raise_again", actor, str(alert.pk), {"trigger": trigger})
    alert.refresh_from_db()
    return alert


def location_update(alert: Alert, location: Location) -> int:
    event = add_event(alert, EventKind.LOCATION, detail=location.encode())
    return send_update(alert, event, location)


@transaction.atomic
def add_location(
    person: ProtectedPerson,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    place: str = "",
    source: str,
) -> None:
    """The person's newest location; everyone alerted on an open alert gets it at once."""
    if source not in LocationSource.values:
        raise refuse("source", _("Unknown source."))
    location = location_given(latitude, longitude, place)
    if location.is_empty:
        raise refuse("place", _("Give a place or a point."))
    person = ProtectedPerson.objects.select_for_update().get(pk=person.pk)
    remember_location(person, location, source)
    updated = 0
    for alert in person.alerts.filter(status__in=ACTIVE):
        location_update(alert, location)
        updated += 1
    record_event("person:location", "person", str(person.pk), {"source": source, "alerts": updated})


@transaction.atomic
def acknowledge_alert(
    alert: Alert, *, actor: User | None = None, contact: TrustedContact | None = None
) -> bool:
    """Someone is on it: the repeats stop (the ladder's later steps still run)."""
    changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
        status=AlertStatus.ACKNOWLEDGED, acknowledged_at=timezone.now(), next_repeat_at=None
    )
    if changed != 1:
        return False
    alert.refresh_from_db()
    add_event(alert, EventKind.ACKNOWLEDGED, actor=actor, contact=contact)
    by = "staff" if actor is not None else "contact" if contact is not None else "system"
    record_event("alert:acknowledge", actor if actor is not None else by, str(alert.pk), {"by": by})
    return True


@transaction.atomic
def acknowledge_by_phone(phone: str) -> Alert | None:
    """A contact replied ACK: the newest alert they were sent that is not over, acknowledged
    if it was still open. None when they were sent no such alert."""
    for contact in contacts_by_phone(phone):
        if contact.consent != Consent.AGREED:
            continue
        alert = (
            Alert.objects.filter(
                person_id=contact.person_id,
                status__in=ACTIVE,
                deliveries__recipient_kind=RecipientKind.CONTACT,
                deliveries__recipient_id=str(contact.pk),
            )
            .order_by("-opened_at")
            .first()
        )
        if alert is not None:
            acknowledge_alert(alert, contact=contact)
            alert.refresh_from_db()
            return alert
    return None


@transaction.atomic
def end_alert_with_pin(person: ProtectedPerson, pin: str) -> bool:
    """The person is safe: every alert of theirs that is not over ends. A wrong PIN ends
    nothing and is noted on each; after MAX_WRONG_PINS only staff can end the alert."""
    alerts = list(person.alerts.select_for_update().filter(status__in=ACTIVE))
    if not alerts:
        return False
    locked = any(
        alert.events.filter(kind=EventKind.WRONG_PIN).count() >= MAX_WRONG_PINS for alert in alerts
    )
    if locked or not person.pin_hash or not check_password((pin or "").strip(), person.pin_hash):
        for alert in alerts:
            add_event(alert, EventKind.WRONG_PIN)
        record_event("alert:wrong_pin", "person", str(person.pk), {"alerts": len(alerts)})
        return False
    for alert in alerts:
        close(alert, Outcome.SAFE)
        add_event(alert, EventKind.ENDED)
        send_ended(alert)
    record_event("alert:end", "person", str(person.pk), {"alerts": len(alerts)})
    return True


def close(alert: Alert, outcome: str) -> None:
    """Resolved: no more steps, no more repeats."""
    Alert.objects.filter(pk=alert.pk).update(
        status=AlertStatus.RESOLVED,
        outcome=outcome,
        resolved_at=timezone.now(),
        next_step_at=None,
        next_repeat_at=None,
    )
    alert.refresh_from_db()


@transaction.atomic
def claim_alert(alert: Alert, *, actor: User) -> None:
    Alert.objects.filter(pk=alert.pk).update(claimed_by=actor)
    alert.refresh_from_db()
    add_event(alert, EventKind.CLAIMED, actor=actor)
    record_event("alert:claim", actor, str(alert.pk))


@transaction.atomic
def add_note(alert: Alert, *, actor: User, text: str) -> None:
    add_event(
        alert, EventKind.NOTE, detail=required_text("text", text, MAX_TEXT_CHARS), actor=actor
    )
    record_event("alert:note", actor, str(alert.pk))


@transaction.atomic
def record_call(alert: Alert, *, actor: User, text: str = "") -> None:
    add_event(
        alert, EventKind.CALL, detail=optional_text("text", text, MAX_TEXT_CHARS), actor=actor
    )
    record_event("alert:call", actor, str(alert.pk))


@transaction.atomic
def activate_network(alert: Alert, network: SupportNetwork, *, actor: User) -> int:
    """Staff activate a support network by hand; members already alerted are not sent twice."""
    if network.organisation_id != alert.person.organisation_id:
        raise refuse("network", _("Choose one of this organisation's support networks."))
    alert = lock_alert(alert)
    if alert.status not in ACTIVE:
        raise refuse("network", _("This alert is over."))
    round_ = alert.events.filter(kind=EventKind.NETWORK).count() + 1
    sent = alert_network(alert, network, STEP_NETWORK, round_)
    record_event(
        "alert:activate_network", actor, str(alert.pk), {"network": network.pk, "messages": sent}
    )
    return sent


@transaction.atomic
def resolve_alert(alert: Alert, *, actor: User, outcome: str, note: str = "") -> None:
    if outcome not in Outcome.values:
        raise refuse("outcome", _("Choose one of the outcomes."))
    cleaned = optional_text("note", note, MAX_TEXT_CHARS)
    alert = lock_alert(alert)
    if alert.status == AlertStatus.RESOLVED:
        return
    close(alert, outcome)
    add_event(alert, EventKind.RESOLVED, detail=cleaned, actor=actor)
    send_ended(alert)
    record_event("alert:resolve", actor, str(alert.pk), {"outcome": outcome})
