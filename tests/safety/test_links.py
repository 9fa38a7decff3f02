"""Signed links: the panic page (revocable), the contact's alert page (expiring, only while
the alert is not over, only for whom it was made), the consent page."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from safespaces.accounts.models import User
from safespaces.safety.actions import (
    contact_stopped,
    raise_alert,
    resolve_alert,
    revoke_panic_link,
    update_person,
)
from safespaces.safety.engine import run_due
from safespaces.safety.links import (
    alert_for_page_token,
    alert_page_token,
    consent_token,
    contact_for_consent_token,
    panic_token,
    person_for_panic_token,
)
from safespaces.safety.models import RecipientKind
from tests.places.clock import Clock
from tests.safety.setup import a_contact, a_person, on_shift

pytestmark = pytest.mark.django_db


def later(monkeypatch: pytest.MonkeyPatch, hours: float) -> None:
    """Signatures carry time.time(); move it on."""
    moment = time.time() + hours * 3600
    monkeypatch.setattr(signing.time, "time", lambda: moment)


def test_a_panic_token_opens_its_person_until_revoked() -> None:
    person = a_person()
    token = panic_token(person)
    assert person_for_panic_token(token) == person
    revoke_panic_link(person, actor=None)
    assert person_for_panic_token(token) is None
    assert person_for_panic_token(panic_token(person)) == person


def test_a_panic_token_does_not_work_for_an_inactive_person_or_when_altered() -> None:
    person = a_person()
    token = panic_token(person)
    assert person_for_panic_token(token[:-2] + "xx") is None
    assert person_for_panic_token("garbage") is None
    update_person(person, actor=None, active=False)
    assert person_for_panic_token(token) is None


def test_an_alert_page_token_names_its_alert_and_recipient() -> None:
    person = a_person()
    contact = a_contact(person)
    alert = raise_alert(person, trigger="panic_web")
    token = alert_page_token(alert, RecipientKind.CONTACT, str(contact.pk))
    assert alert_for_page_token(token) == (alert, "contact", str(contact.pk))


def test_an_alert_page_token_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    person = a_person()
    contact = a_contact(person)
    alert = raise_alert(person, trigger="panic_web")
    token = alert_page_token(alert, RecipientKind.CONTACT, str(contact.pk))
    later(monkeypatch, 23.9)
    assert alert_for_page_token(token) is not None
    later(monkeypatch, 24.1)
    assert alert_for_page_token(token) is None


def test_an_alert_page_closes_when_the_alert_is_resolved(alice: User) -> None:
    person = a_person()
    contact = a_contact(person)
    alert = raise_alert(person, trigger="panic_web")
    token = alert_page_token(alert, RecipientKind.CONTACT, str(contact.pk))
    resolve_alert(alert, actor=alice, outcome="safe")
    assert alert_for_page_token(token) is None


def test_an_alert_page_closes_for_a_contact_who_said_stop() -> None:
    person = a_person()
    contact = a_contact(person)
    alert = raise_alert(person, trigger="panic_web")
    token = alert_page_token(alert, RecipientKind.CONTACT, str(contact.pk))
    contact_stopped(contact.phone or "")
    assert alert_for_page_token(token) is None


def test_a_token_for_one_alert_does_not_open_another_persons() -> None:
    person, other = a_person(), a_person(alias="Amal", phone="+201001110011")
    contact = a_contact(person)
    raise_alert(person, trigger="panic_web")
    other_alert = raise_alert(other, trigger="panic_web")
    # A contact of the first person, in a token for the second person's alert: refused.
    token = alert_page_token(other_alert, RecipientKind.CONTACT, str(contact.pk))
    assert alert_for_page_token(token) is None


def test_tokens_of_one_purpose_do_not_open_another() -> None:
    person = a_person()
    contact = a_contact(person)
    assert contact_for_consent_token(panic_token(person)) is None
    assert person_for_panic_token(consent_token(contact)) is None
    assert alert_for_page_token(consent_token(contact)) is None


def test_a_consent_token_expires_after_thirty_days(monkeypatch: pytest.MonkeyPatch) -> None:
    contact = a_contact(a_person(), agree=False)
    token = consent_token(contact)
    later(monkeypatch, 24 * 29)
    assert contact_for_consent_token(token) == contact
    later(monkeypatch, 24 * 31)
    assert contact_for_consent_token(token) is None


def test_a_duty_token_opens_only_for_a_shift_that_was_alerted(charlie: User, clock: Clock) -> None:
    person = a_person()
    shift = on_shift(charlie, person.organisation, clock.now)
    alert = raise_alert(person, trigger="panic_web")
    token = alert_page_token(alert, RecipientKind.DUTY, str(shift.pk))
    assert alert_for_page_token(token) is None  # the default ladder alerts duty at 5 minutes
    clock.advance(minutes=5)
    run_due()
    assert alert_for_page_token(token) == (alert, "duty", str(shift.pk))
