"""The panic page: one signed link per person, a button that works without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from safespaces.safety import actions
from safespaces.safety.links import panic_token
from safespaces.safety.locations import decode_location
from safespaces.safety.models import (
    Alert,
    AlertEvent,
    AlertStatus,
    EventKind,
    ProtectedPerson,
    Trigger,
)
from safespaces.web.public import secret_links
from tests.web.safety.conftest import PIN

pytestmark = pytest.mark.django_db


def page_of(person: ProtectedPerson, language: str = "en") -> str:
    with translation.override(language):
        return reverse("public:panic", kwargs={"token": panic_token(person)})


def post(person: ProtectedPerson, **data: Any) -> Any:
    # As a browser with no cookie at all would: the page needs no CSRF cookie.
    return Client(enforce_csrf_checks=True).post(page_of(person), data)


def test_it_shows_a_big_button_and_tells_nothing_about_alerts(person: ProtectedPerson) -> None:
    actions.raise_alert(person, trigger=Trigger.PANIC_SMS)
    response = Client().get(page_of(person))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<button class="panic-button" type="submit">Send alert</button>' in page
    assert "Alert sent" not in page
    assert person.alias not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert '<meta name="referrer" content="no-referrer">' in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert not response.cookies


def test_the_button_raises_an_alert_with_the_place_typed(person: ProtectedPerson) -> None:
    response = post(person, action="panic", place="Ramses station, platform 4")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Alert sent</h1>" in page
    assert "Tell them where you are now" in page
    alert = Alert.objects.get(person=person)
    assert alert.trigger == Trigger.PANIC_WEB
    assert alert.status == AlertStatus.OPEN
    assert not alert.is_drill
    person.refresh_from_db()
    assert decode_location(person.last_location).place == "Ramses station, platform 4"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_browser_position_goes_with_the_alert(person: ProtectedPerson) -> None:
    post(person, action="panic", place="", latitude="30.0626", longitude="31.2497")
    person.refresh_from_db()
    location = decode_location(person.last_location)
    assert (location.latitude, location.longitude) == (30.0626, 31.2497)


@pytest.mark.parametrize(
    "point",
    [
        {"latitude": "999", "longitude": "31.2"},
        {"latitude": "30.1"},
        {"latitude": "nan", "longitude": "inf"},
        {"latitude": "thirty", "longitude": "31.2"},
    ],
)
def test_a_bad_point_never_stops_the_alert(person: ProtectedPerson, point: dict[str, str]) -> None:
    response = post(person, action="panic", place="x" * 500, **point)
    assert response.status_code == 200
    assert "<h1>Alert sent</h1>" in response.content.decode()
    assert Alert.objects.filter(person=person, status=AlertStatus.OPEN).count() == 1
    person.refresh_from_db()
    assert not decode_location(person.last_location).has_point


def test_a_garbled_button_still_raises_the_alert(person: ProtectedPerson) -> None:
    assert post(person, action="something else").status_code == 200
    assert Alert.objects.filter(person=person).exists()


def test_a_drill_says_so(person: ProtectedPerson) -> None:
    response = post(person, action="drill")
    page = response.content.decode()
    assert "<h1>Drill alert sent</h1>" in page
    assert "This is a drill: every message says so." in page
    assert Alert.objects.get(person=person).is_drill


def test_a_second_press_adds_to_the_open_alert(person: ProtectedPerson) -> None:
    post(person, action="panic")
    post(person, action="panic", place="Still at the station")
    assert Alert.objects.filter(person=person).count() == 1


def test_a_location_update_reaches_the_open_alert(person: ProtectedPerson) -> None:
    post(person, action="panic")
    response = post(person, action="location", place="In a taxi to Giza")
    assert response.status_code == 200
    assert "Your location was sent to those who were alerted." in response.content.decode()
    event = AlertEvent.objects.get(alert__person=person, kind=EventKind.LOCATION)
    assert decode_location(event.detail).place == "In a taxi to Giza"


def test_an_empty_location_update_asks_for_a_place(person: ProtectedPerson) -> None:
    response = post(person, action="location", place="")
    assert response.status_code == 400
    assert "Write where you are" in response.content.decode()


def test_the_right_pin_ends_the_alert(person: ProtectedPerson) -> None:
    post(person, action="panic")
    response = post(person, action="end", pin=PIN)
    page = response.content.decode()
    assert "<h1>Your alert has ended</h1>" in page
    assert PIN not in page
    assert Alert.objects.get(person=person).status == AlertStatus.RESOLVED


def test_a_wrong_pin_ends_nothing(person: ProtectedPerson) -> None:
    post(person, action="panic")
    response = post(person, action="end", pin="0000")
    page = response.content.decode()
    assert "That PIN did not end the alert." in page
    assert "0000" not in page
    alert = Alert.objects.get(person=person)
    assert alert.status == AlertStatus.OPEN
    assert alert.events.filter(kind=EventKind.WRONG_PIN).count() == 1


def test_wrong_pins_rest_the_pin_for_a_while(person: ProtectedPerson, settings: Any) -> None:
    settings.SAFESPACES_LOGIN_ATTEMPTS = 2
    post(person, action="panic")
    for _attempt in range(2):
        post(person, action="end", pin="0000")
    response = post(person, action="end", pin=PIN)
    assert response.status_code == 429
    assert "Too many wrong PINs." in response.content.decode()
    assert Alert.objects.get(person=person).status == AlertStatus.OPEN


def test_too_many_posts_from_one_connection_are_refused(
    person: ProtectedPerson, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secret_links, "POSTS_PER_HOUR", 2)
    post(person, action="location", place="one")
    post(person, action="location", place="two")
    response = post(person, action="location", place="three")
    assert response.status_code == 429
    assert "Too many requests came from this connection" in response.content.decode()
    assert post(person, action="end", pin=PIN).status_code == 429


def test_no_limit_ever_stops_a_panic(
    person: ProtectedPerson, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secret_links, "POSTS_PER_HOUR", 1)
    post(person, action="location", place="one")
    assert post(person, action="location", place="two").status_code == 429
    response = post(person, action="panic")
    assert response.status_code == 200
    assert Alert.objects.filter(person=person, status=AlertStatus.OPEN).exists()


def test_a_bad_or_revoked_link_is_not_found_and_says_nothing_more(
    person: ProtectedPerson,
) -> None:
    token = panic_token(person)
    actions.revoke_panic_link(person, actor=None)
    answers = []
    for bad in (token, "example", panic_token(person) + "x", token.replace(":", ":A", 1)):
        for method in ("get", "post"):
            path = reverse("public:panic", kwargs={"token": bad})
            response = getattr(Client(), method)(path, {"action": "panic"})
            assert response.status_code == 404
            assert response.headers["Referrer-Policy"] == "no-referrer"
            # The page links to itself in other languages: the same, but for the token.
            answers.append(response.content.decode().replace(bad, "TOKEN"))
    assert len(set(answers)) == 1
    assert "This link does not work" in answers[0]
    assert person.alias not in answers[0]
    assert not Alert.objects.exists()


def test_the_new_link_works_after_a_revocation(person: ProtectedPerson) -> None:
    actions.revoke_panic_link(person, actor=None)
    assert Client().get(page_of(person)).status_code == 200


def test_an_inactive_person_has_no_panic_page(person: ProtectedPerson) -> None:
    actions.update_person(person, actor=None, active=False)
    assert Client().get(page_of(person)).status_code == 404


@pytest.mark.parametrize("language", ["ar", "fr", "es"])
def test_it_works_in_every_language(person: ProtectedPerson, language: str) -> None:
    response = Client().get(page_of(person, language))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    if language == "ar":
        assert 'dir="rtl"' in page


def test_every_field_has_its_own_label(person: ProtectedPerson) -> None:
    page = Client().get(page_of(person)).content.decode()
    for field_id in ("panic_place", "location_place", "id_pin"):
        assert page.count(f'id="{field_id}"') == 1
        assert f'<label for="{field_id}">' in page
