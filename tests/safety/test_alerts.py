"""Alerts from trigger to resolution: who is sent what, at once, and what ends an alert."""

from __future__ import annotations

import json

import pytest

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.outbox.models import Message
from safespaces.outbox.optout import opt_out
from safespaces.safety.actions import (
    SafetyInvalid,
    acknowledge_alert,
    acknowledge_by_phone,
    activate_network,
    add_location,
    add_network_member,
    add_note,
    claim_alert,
    contact_stopped,
    create_network,
    end_alert_with_pin,
    raise_alert,
    record_call,
    resolve_alert,
    set_instruction,
)
from safespaces.safety.alerts import MAX_WRONG_PINS
from safespaces.safety.locations import decode_location
from safespaces.safety.models import (
    AlertDelivery,
    AlertEvent,
    AlertStatus,
    EventKind,
    ProtectedPerson,
)
from tests.places.clock import Clock
from tests.places.venues import an_organisation
from tests.safety.setup import PIN, a_contact, a_person

pytestmark = pytest.mark.django_db


def bodies(purpose: str) -> list[str]:
    messages = Message.objects.filter(purpose=purpose).order_by("created_at", "pk")
    return [message.body or "" for message in messages]


def body_to(purpose: str, recipient: str) -> str:
    [message] = [m for m in Message.objects.filter(purpose=purpose) if m.recipient == recipient]
    return message.body or ""


def recipients(purpose: str) -> set[str]:
    return {m.recipient for m in Message.objects.filter(purpose=purpose)}


def kinds(alert_events: object) -> list[str]:
    return list(AlertEvent.objects.order_by("at", "pk").values_list("kind", flat=True))


def test_a_panic_alerts_every_agreed_contact_on_every_channel_at_once(clock: Clock) -> None:
    person = a_person()
    a_contact(person, "+201002220002", email="salma@example.org", channels="sms,email")
    a_contact(person, "+201002220003", name="Karim", codeword="cedar")
    alert = raise_alert(
        person, trigger="panic_web", place="Tahrir Square", latitude=30.0444, longitude=31.2357
    )

    assert alert.status == AlertStatus.OPEN
    assert recipients("safety:alert") == {"+201002220002", "salma@example.org", "+201002220003"}
    sms = body_to("safety:alert", "+201002220003")
    assert "Nour may be in danger" in sms
    assert "land grabs" in sms
    assert "Tahrir Square 30.04440,31.23570 at 12:00" in sms
    assert "Your codeword: cedar." in sms
    assert "/alerts/" in sms
    email = Message.objects.get(purpose="safety:alert", channel="email").body
    assert email.splitlines()[0] == "SafeSpaces ALERT: Nour may be in danger"
    assert "jasmine" in email
    # The ladder's cursor moved past the 0-minute steps; the duty officer is next, at 5.
    assert alert.next_step == 2
    assert alert.next_step_at == clock.now.replace(minute=5)
    assert kinds(alert)[:1] == ["opened"]


def test_a_contact_who_has_not_agreed_gets_nothing(clock: Clock) -> None:
    person = a_person()
    a_contact(person, "+201002220002", agree=False)
    declined = a_contact(person, "+201002220003", agree=False)
    from safespaces.safety.actions import contact_replied

    contact_replied(declined.phone or "", False)
    raise_alert(person, trigger="panic_web")
    assert not Message.objects.filter(purpose="safety:alert").exists()
    assert not AlertDelivery.objects.exists()


def test_a_contact_who_said_stop_is_noted_and_the_others_still_alerted(clock: Clock) -> None:
    person = a_person()
    a_contact(person, "+201002220002")
    a_contact(person, "+201002220003")
    opt_out("+201002220003")  # STOP to the outbox only: their consent still says yes
    alert = raise_alert(person, trigger="panic_web")
    assert recipients("safety:alert") == {"+201002220002"}
    event = AlertEvent.objects.get(alert=alert, kind=EventKind.OPTED_OUT)
    assert json.loads(event.detail or "") == {"recipient": "contact", "channel": "sms"}
    assert event.contact is not None


def test_a_second_panic_adds_to_the_open_alert(clock: Clock) -> None:
    person = a_person()
    a_contact(person)
    first = raise_alert(person, trigger="panic_web")
    clock.advance(minutes=1)
    second = raise_alert(person, trigger="panic_sms", place="Ramses station")
    assert second == first
    assert kinds(first).count("triggered_again") == 1
    # The contact hears of the new place, not of a second alert.
    assert len(bodies("safety:alert")) == 1
    [update] = bodies("safety:update")
    assert "now at Ramses station" in update


def test_a_second_panic_after_an_acknowledgement_makes_it_repeat_again(clock: Clock) -> None:
    person = a_person()
    alert = raise_alert(person, trigger="panic_web")
    assert acknowledge_alert(alert)
    alert.refresh_from_db()
    assert alert.next_repeat_at is None
    raise_alert(person, trigger="panic_web")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    assert alert.next_repeat_at == clock.now.replace(minute=5)


def test_a_drill_and_a_real_alert_are_kept_apart(clock: Clock) -> None:
    person = a_person()
    a_contact(person)
    drill = raise_alert(person, trigger="panic_web", is_drill=True)
    clock.advance(seconds=1)
    real = raise_alert(person, trigger="panic_web")
    assert drill != real
    drill_text, real_text = bodies("safety:alert")  # made in this order, a second apart
    assert drill_text.startswith("DRILL, not a real emergency:")
    assert "DRILL" not in real_text


def test_a_location_update_reaches_everyone_alerted(clock: Clock) -> None:
    person = a_person()
    contact = a_contact(person)
    alert = raise_alert(person, trigger="panic_api")
    clock.advance(minutes=2)
    add_location(person, latitude=30.05, longitude=31.24, source="app")
    person = ProtectedPerson.objects.get(pk=person.pk)
    assert decode_location(person.last_location).has_point
    assert person.last_location_at == clock.now
    assert person.last_location_source == "app"
    [update] = Message.objects.filter(purpose="safety:update")
    assert update.recipient == contact.phone
    assert "30.05000,31.24000" in update.body
    event = AlertEvent.objects.get(alert=alert, kind=EventKind.LOCATION)
    assert decode_location(event.detail).latitude == 30.05


def test_a_location_without_an_alert_is_only_remembered(clock: Clock) -> None:
    person = a_person()
    a_contact(person)
    add_location(person, place="Home", source="sms")
    assert not Message.objects.filter(purpose="safety:update").exists()
    with pytest.raises(SafetyInvalid):
        add_location(person, source="sms")
    with pytest.raises(SafetyInvalid):
        add_location(person, latitude=91.0, longitude=0.0, source="app")


def test_a_contact_acknowledges_by_replying_ack(clock: Clock) -> None:
    person = a_person()
    contact = a_contact(person)
    alert = raise_alert(person, trigger="panic_web")
    assert acknowledge_by_phone("+20 100 222 0002") == alert
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_at == clock.now
    event = AlertEvent.objects.get(alert=alert, kind=EventKind.ACKNOWLEDGED)
    assert event.contact == contact
    # Again: nothing new, the alert is named all the same.
    assert acknowledge_by_phone(contact.phone or "") == alert
    assert AlertEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_ack_from_someone_never_sent_the_alert_does_nothing(clock: Clock) -> None:
    person = a_person()
    raise_alert(person, trigger="panic_web")
    late = a_contact(person, "+201002220009")  # agreed after the alert went out
    assert acknowledge_by_phone(late.phone or "") is None
    assert acknowledge_by_phone("+201009999999") is None


def test_a_wrong_pin_ends_nothing_and_is_noted(clock: Clock) -> None:
    person = a_person()
    alert = raise_alert(person, trigger="panic_web")
    assert not end_alert_with_pin(person, "0000")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    assert kinds(alert)[-1] == "wrong_pin"
    assert AuditEvent.objects.filter(tag="alert:wrong_pin").exists()


def test_the_right_pin_ends_the_alert_and_tells_everyone_alerted(clock: Clock) -> None:
    person = a_person()
    contact = a_contact(person)
    alert = raise_alert(person, trigger="panic_web")
    assert end_alert_with_pin(person, PIN)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.outcome == "safe"
    assert alert.next_step_at is None
    assert alert.next_repeat_at is None
    [ended] = Message.objects.filter(purpose="safety:ended")
    assert ended.recipient == contact.phone
    assert "is over (Person safe)" in ended.body
    assert not end_alert_with_pin(person, PIN)  # nothing left to end


def test_after_too_many_wrong_pins_only_staff_can_end_it(clock: Clock) -> None:
    person = a_person()
    alert = raise_alert(person, trigger="panic_web")
    for _attempt in range(MAX_WRONG_PINS):
        assert not end_alert_with_pin(person, "0000")
    assert not end_alert_with_pin(person, PIN)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_staff_claim_note_call_and_resolve_each_audited(clock: Clock, charlie: User) -> None:
    person = a_person()
    alert = raise_alert(person, trigger="panic_web")
    claim_alert(alert, actor=charlie)
    add_note(alert, actor=charlie, text="Called her brother; no answer.")
    record_call(alert, actor=charlie, text="Voicemail")
    resolve_alert(alert, actor=charlie, outcome="assisted", note="Found at a friend's.")
    alert.refresh_from_db()
    assert alert.claimed_by == charlie
    assert alert.status == AlertStatus.RESOLVED
    assert kinds(alert)[-4:] == ["claimed", "note", "call", "resolved"]
    audited = AuditEvent.objects.filter(target=str(alert.pk)).order_by("sequence")
    tags = list(audited.values_list("tag", flat=True))
    assert tags == ["alert:raise", "alert:claim", "alert:note", "alert:call", "alert:resolve"]
    audit = json.dumps(list(AuditEvent.objects.values("data")))
    assert "brother" not in audit
    assert "friend" not in audit
    with pytest.raises(SafetyInvalid):
        resolve_alert(alert, actor=charlie, outcome="fine")


def test_staff_activate_a_support_network_with_its_template(clock: Clock, alice: User) -> None:
    person = a_person()
    network = create_network(
        person.organisation,
        name="Lawyers",
        template="{alias} needs a lawyer. {situation} Details: {link}",
        actor=alice,
    )
    set_instruction(network, "panic", "Call the police station in Qasr el-Nil.", actor=alice)
    add_network_member(network, name="Maître A", phone="+201004440004", channels="sms", actor=alice)
    add_network_member(network, name="B", email="b@example.org", channels="email", actor=alice)
    alert = raise_alert(person, trigger="panic_web")
    assert activate_network(alert, network, actor=alice) == 2
    sms = Message.objects.get(purpose="safety:network", channel="sms").body
    assert sms.startswith("Nour needs a lawyer. Journalist, threatened")
    assert "/alerts/" in sms
    assert "Qasr el-Nil" in sms
    # Members already alerted are not sent it twice.
    assert activate_network(alert, network, actor=alice) == 0
    elsewhere = create_network(an_organisation("Elsewhere"), name="X", template="x", actor=alice)
    with pytest.raises(SafetyInvalid):
        activate_network(alert, elsewhere, actor=alice)


def test_a_contact_who_withdraws_gets_no_repeats_or_updates(clock: Clock) -> None:
    person = a_person()
    contact = a_contact(person)
    raise_alert(person, trigger="panic_web")
    contact_stopped(contact.phone or "")
    add_location(person, place="Zamalek", source="sms")
    assert not Message.objects.filter(purpose="safety:update").exists()


def test_the_audit_of_an_alert_holds_no_place_or_words(clock: Clock) -> None:
    person = a_person()
    a_contact(person)
    raise_alert(person, trigger="panic_web", place="Canary Street 7")
    add_location(person, place="Canary Square", source="sms")
    audit = json.dumps(list(AuditEvent.objects.values("tag", "target", "data")))
    assert "Canary" not in audit
    assert "jasmine" not in audit


def test_the_timeline_reads_as_sentences(clock: Clock, charlie: User) -> None:
    from safespaces.safety.timeline import event_text

    person = a_person()
    alert = raise_alert(person, trigger="panic_sms", place="Tahrir")
    add_location(person, place="Ramses station", source="sms")
    add_note(alert, actor=charlie, text="On my way.")
    lines = [event_text(event) for event in alert.events.order_by("at", "pk")]
    assert lines == [
        "Panic by text message",
        "Alert trusted contacts: no trusted contact has agreed to receive alerts.",
        "Ramses station",
        "On my way.",
    ]
