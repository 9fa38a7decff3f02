"""The live page of an alert, for the people it was sent to, while it is not over."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from safespaces.accounts.models import User
from safespaces.safety import actions
from safespaces.safety.links import alert_page_token
from safespaces.safety.models import (
    Alert,
    AlertStatus,
    EventKind,
    Outcome,
    ProtectedPerson,
    RecipientKind,
    Trigger,
    TrustedContact,
)
from tests.web.safety.conftest import a_contact, a_person

pytestmark = pytest.mark.django_db


def page_of(alert: Alert, contact: TrustedContact) -> str:
    token = alert_page_token(alert, RecipientKind.CONTACT, str(contact.pk))
    with translation.override("en"):
        return reverse("public:alert_page", kwargs={"token": token})


@pytest.fixture
def alert(person: ProtectedPerson, contact: TrustedContact) -> Alert:
    return actions.raise_alert(
        person,
        trigger=Trigger.PANIC_WEB,
        place="Ramses station",
        latitude=30.0626,
        longitude=31.2497,
    )


def test_it_shows_who_what_and_where_and_refreshes_itself(
    alert: Alert, contact: TrustedContact
) -> None:
    response = Client().get(page_of(alert, contact))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Alert for Noor</h1>" in page
    assert "Journalist, followed after her article on the port." in page
    assert "Panic button (web page)" in page
    assert "Ramses station" in page
    assert "30.06260, 31.24970" in page
    assert 'href="geo:30.062600,31.249700"' in page
    assert '<meta http-equiv="refresh" content="30">' in page
    assert "No one has acknowledged this alert yet." in page
    assert "got it</button>" in page
    assert "DRILL" not in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert not response.cookies


def test_it_draws_the_point_with_our_own_tiles(
    alert: Alert, contact: TrustedContact, settings: Any
) -> None:
    settings.SAFESPACES_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = Client().get(page_of(alert, contact)).content.decode()
    assert '<svg class="point-map"' in page
    assert 'href="/map/tiles/16/' in page
    assert "tiles.example.org" not in page


def test_there_is_no_map_without_a_tile_server(alert: Alert, contact: TrustedContact) -> None:
    assert "point-map" not in Client().get(page_of(alert, contact)).content.decode()


def test_there_is_no_map_without_a_point(organisation: Any, settings: Any) -> None:
    settings.SAFESPACES_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    person = a_person(organisation, alias="Rania")
    contact = a_contact(person)
    alert = actions.raise_alert(person, trigger=Trigger.PANIC_SMS, place="near the bridge")
    page = Client().get(page_of(alert, contact)).content.decode()
    assert "near the bridge" in page
    assert "point-map" not in page


def test_location_updates_appear_with_their_time(alert: Alert, contact: TrustedContact) -> None:
    actions.add_location(alert.person, place="Taxi to Giza", source="sms")
    page = Client().get(page_of(alert, contact)).content.decode()
    assert page.count("Location update") == 1
    assert "Taxi to Giza" in page


def test_staff_notes_and_calls_are_never_shown(
    alert: Alert, contact: TrustedContact, officer: User
) -> None:
    actions.add_note(alert, actor=officer, text="Her brother may be involved")
    actions.record_call(alert, actor=officer, text="No answer on her phone")
    page = Client().get(page_of(alert, contact)).content.decode()
    assert "brother" not in page
    assert "No answer" not in page
    assert officer.username not in page


def test_i_have_got_it_acknowledges_the_alert(alert: Alert, contact: TrustedContact) -> None:
    response = Client(enforce_csrf_checks=True).post(page_of(alert, contact))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you. The alert is marked as acknowledged" in page
    assert "Someone has acknowledged this alert." in page
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.events.get(kind=EventKind.ACKNOWLEDGED).contact == contact


def test_a_drill_says_so(person: ProtectedPerson, contact: TrustedContact) -> None:
    drill = actions.raise_alert(person, trigger=Trigger.PANIC_WEB, is_drill=True)
    page = Client().get(page_of(drill, contact)).content.decode()
    assert "DRILL: this is a practice alert, not a real emergency." in page


def test_the_page_is_gone_once_the_alert_is_resolved(
    alert: Alert, contact: TrustedContact, officer: User
) -> None:
    actions.resolve_alert(alert, actor=officer, outcome=Outcome.SAFE)
    for method in ("get", "post"):
        response = getattr(Client(), method)(page_of(alert, contact))
        assert response.status_code == 404
        assert "Noor" not in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_expired_link_is_not_found(
    alert: Alert, contact: TrustedContact, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    long_ago = time.time() - settings.SAFESPACES_ALERT_LINK_HOURS * 3600 - 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: long_ago))
    path = page_of(alert, contact)
    monkeypatch.undo()
    assert Client().get(path).status_code == 404


def test_a_contact_who_withdrew_loses_the_page(alert: Alert, contact: TrustedContact) -> None:
    actions.contact_stopped(contact.phone or "")
    assert Client().get(page_of(alert, contact)).status_code == 404


def test_a_link_opens_only_the_alert_it_was_made_for(
    alert: Alert, contact: TrustedContact, organisation: Any
) -> None:
    other = a_person(organisation, alias="Rania")
    other_alert = actions.raise_alert(other, trigger=Trigger.PANIC_SMS)
    # Mona watches Noor, not Rania: a link naming Rania's alert and Mona opens nothing.
    assert Client().get(page_of(other_alert, contact)).status_code == 404
    token = alert_page_token(alert, RecipientKind.CONTACT, str(contact.pk))
    forged = alert_page_token(other_alert, RecipientKind.CONTACT, str(contact.pk)).split(":")[0]
    tampered = forged + token[len(forged) :]
    with translation.override("en"):
        path = reverse("public:alert_page", kwargs={"token": tampered})
    response = Client().post(path)
    assert response.status_code == 404
    other_alert.refresh_from_db()
    assert other_alert.status == AlertStatus.OPEN


def test_the_persons_own_link_shows_the_page_but_cannot_acknowledge(
    alert: Alert, person: ProtectedPerson
) -> None:
    token = alert_page_token(alert, RecipientKind.PERSON, str(person.pk))
    with translation.override("en"):
        path = reverse("public:alert_page", kwargs={"token": token})
    page = Client().get(path).content.decode()
    assert "<h1>Alert for Noor</h1>" in page
    assert "got it</button>" not in page
    assert Client().post(path).status_code == 403
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
