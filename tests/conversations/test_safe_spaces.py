"""SAFE <place> by SMS: the nearest open venue in one SMS, NEXT for more, the hotline otherwise."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from safespaces.conversations.models import Correspondent
from safespaces.conversations.safe_spaces import MAX_VENUES, safe_space_answer
from safespaces.conversations.sms_length import fits_one
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.outbox.models import Message
from safespaces.places.heads_up import HEADS_UP_PURPOSE
from tests.conversations.conftest import Send, answers, join_parts, last_answer
from tests.places.venues import a_safe_venue, an_organisation

pytestmark = pytest.mark.usefixtures("gazetteer", "cairo_afternoon")

CAIRO = ZoneInfo("Africa/Cairo")
# A Tuesday afternoon in Cairo.
NOW = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=CAIRO)
TODAY = NOW.date()
# About 300 m and 900 m from Tahrir Square (30.0444, 31.2357).
NEAR = (30.0470, 31.2370)
FURTHER = (30.0520, 31.2380)


@pytest.fixture
def cairo_afternoon(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TIME_ZONE = "Africa/Cairo"
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def cafe(**changes: Any) -> Any:
    values: dict[str, Any] = {"latitude": NEAR[0], "longitude": NEAR[1]}
    return a_safe_venue(TODAY, **{**values, **changes})


def test_it_answers_the_nearest_open_venue_with_address_phone_and_closing_time(
    send: Send,
) -> None:
    cafe()
    send("SAFE near Tahrir Square")
    answer = last_answer()
    assert answer == (
        "Safe space near Tahrir Square: Café Riche, 17 Talaat Harb Street. "
        "Phone +20223929793. Open until 23:00. 300 m away."
    )
    assert fits_one(answer)


@pytest.mark.parametrize("place", ["Tahrir", "tahrir", "التحرير", "near Tahrir"])
def test_the_name_without_square_or_street_is_enough(send: Send, place: str) -> None:
    cafe()
    send(f"SAFE {place}")
    assert "Café Riche, 17 Talaat Harb Street" in last_answer()


def test_the_place_is_named_in_the_script_of_the_answer(send: Send) -> None:
    import_places(
        [PlaceRecord("n", "مدينة نصر", 30.0561, 31.3301, NamedPlace.Kind.DISTRICT, ("Nasr City",))],
        source="csv",
    )
    cafe()
    send("امان التحرير")
    assert "ميدان التحرير" in join_parts(answers()[-3:])
    assert "Tahrir Square" not in join_parts(answers()[-3:])
    send("SAFE مدينة نصر")
    assert "near Nasr City" in last_answer()


def test_a_name_two_places_share_is_clear_enough_when_they_are_close(
    send: Send, settings: Any
) -> None:
    """ "Ramses" fits Ramses Square and Ramses Station equally: 200 m apart, either will do;
    "Mahatta" fits a square and a street 6 km apart: the person is asked for more."""
    import_places(
        [
            PlaceRecord("r1", "Ramses Square", 30.0619, 31.2465, NamedPlace.Kind.SQUARE, ()),
            PlaceRecord("r2", "Ramses Station", 30.0626, 31.2484, NamedPlace.Kind.LANDMARK, ()),
            PlaceRecord("m1", "Mahatta Square", 30.0450, 31.2360, NamedPlace.Kind.SQUARE, ()),
            PlaceRecord("m2", "Mahatta Street", 30.0900, 31.2900, NamedPlace.Kind.STREET, ()),
        ],
        source="csv",
    )
    cafe(latitude=30.0622, longitude=31.2470)
    send("SAFE Ramses")
    assert "Café Riche" in last_answer()
    send("SAFE Mahatta")
    assert last_answer() == (
        "Several places have that name. Send SAFE with the name and a street or district near you."
    )
    assert safe_space_answer("Mahatta", "en", channel="voice") == "Several places have that name."
    assert safe_space_answer("Mahatta", "ar").startswith("هناك عدة أماكن بهذا الاسم.")
    settings.SAFESPACES_HELPLINE = "+20 2 2345 6789"
    send("SAFE Mahatta")
    assert last_answer() == (
        "Several places have that name. Call +20 2 2345 6789 for the nearest safe space."
    )


def test_it_leaves_out_the_details_that_do_not_fit_one_sms(send: Send) -> None:
    cafe(
        address="17 Talaat Harb Street, corner of Sherif Street, Downtown, next to the bookshop",
        directions="Take the metro to Sadat, exit towards Talaat Harb, then walk two blocks north",
    )
    send("SAFE near Tahrir Square")
    answer = last_answer()
    assert len(answers()) == 1
    assert fits_one(answer)
    assert "Phone +20223929793." in answer
    assert "next to the bookshop" in answer
    assert "walk two blocks" not in answer


def test_next_sends_the_following_venue_then_the_dialog_ends(send: Send) -> None:
    cafe()
    cafe(name="Zamalek Pharmacy", kind="shop", latitude=FURTHER[0], longitude=FURTHER[1])
    send("SAFE Tahrir Square")
    first = last_answer()
    assert first.startswith("Safe space near Tahrir Square: Café Riche")
    assert first.endswith("Reply NEXT for another.")
    assert fits_one(first)
    assert Correspondent.objects.get().dialog == "safe_next"
    send("next")
    second = last_answer()
    assert second.startswith("Next safe space: Zamalek Pharmacy, 17 Talaat Harb Street.")
    assert "NEXT" not in second
    assert Correspondent.objects.get().dialog == ""
    send("NEXT")
    assert last_answer().startswith("Send REPORT")


def test_another_message_during_next_ends_it_with_the_menu(send: Send) -> None:
    cafe()
    cafe(name="Zamalek Pharmacy", latitude=FURTHER[0], longitude=FURTHER[1])
    send("SAFE Tahrir Square")
    send("thanks")
    assert last_answer().startswith("Send REPORT")
    assert Correspondent.objects.get().dialog == ""


def test_next_in_arabic_is_offered_and_understood(send: Send) -> None:
    cafe()
    cafe(name="Zamalek Pharmacy", latitude=FURTHER[0], longitude=FURTHER[1])
    send("LANG ar")
    send("امان ميدان التحرير")
    assert "التالي" in " ".join(answers()[-3:])
    before = len(answers())
    send("التالي")
    assert "Zamalek Pharmacy" in " ".join(answers()[before:])


def test_a_venue_closed_now_is_not_named_and_the_24_7_hotline_is(send: Send) -> None:
    cafe(opening_hours="Mo-Su 08:00-09:00")
    send("SAFE Tahrir Square")
    assert last_answer() == (
        "No safe space is open near Tahrir Square now. Call Safe Streets Cairo day and night "
        "on +201001234567."
    )


def test_without_any_hotline_it_gives_the_helpline(send: Send, settings: Any) -> None:
    settings.SAFESPACES_HELPLINE = "16000"
    send("SAFE Tahrir Square")
    assert last_answer() == "No safe space is open near Tahrir Square now. Call 16000 for help."


def test_a_confidential_shelter_is_its_organisations_hotline_never_its_address(
    send: Send,
) -> None:
    shelters = an_organisation("Nile Women's Aid", hotline="+20 122 555 0101")
    cafe(
        organisation=shelters,
        name="The Garden City women's house",
        kind="shelter",
        confidential=True,
        address="4 Hidden Lane, Garden City",
        phone="+20 2 2795 0000",
        directions="Blue door behind the bakery",
    )
    send("SAFE Tahrir Square")
    answer = last_answer()
    assert answer == (
        "Safe space near Tahrir Square: a shelter of Nile Women's Aid. "
        "Call +201225550101 to be guided there. Open until 23:00."
    )
    for secret in ("Hidden Lane", "Garden City", "2795", "bakery", "30.047", "300 m"):
        assert secret not in answer


def test_an_opted_in_venue_gets_a_heads_up_that_names_no_one(send: Send) -> None:
    cafe(heads_up=True, contact_phone="+20 100 777 8888")
    send("SAFE Tahrir Square")
    heads_up = Message.objects.get(purpose=HEADS_UP_PURPOSE)
    assert "+20 100 777 8888".replace(" ", "") not in heads_up.body
    assert "Tahrir" not in heads_up.body
    assert heads_up.body.startswith("SafeSpaces: someone may come to you")


def test_a_place_not_found_without_a_helpline_says_how_to_ask(send: Send) -> None:
    send("SAFE nowhere-at-all-xyz")
    assert last_answer() == (
        "We could not find that place. Send SAFE and the name of a street, square or station "
        "near you."
    )


def test_the_hotline_answer_says_numbers_digit_by_digit_and_two_venues() -> None:
    cafe()
    cafe(
        name="Zamalek Pharmacy", latitude=FURTHER[0], longitude=FURTHER[1], phone="+20 2 2794 0000"
    )
    said = safe_space_answer("Tahrir Square", "en", channel="voice")
    assert said == (
        "We found Tahrir Square. The nearest safe space is Café Riche, at 17 Talaat Harb Street. "
        "Its phone number is + 2 0 2 2 3 9 2 9 7 9 3. It is open until 23:00. "
        "It is about 300 metres away. The next one is Zamalek Pharmacy, at 17 Talaat Harb "
        "Street. Its phone number is + 2 0 2 2 7 9 4 0 0 0 0. It is open until 23:00. "
        "It is about 850 metres away."
    )
    assert "http" not in said


def test_next_stops_after_five_venues(send: Send) -> None:
    for index in range(MAX_VENUES + 1):
        cafe(name=f"Café {index}", latitude=NEAR[0] + index * 0.001)
    send("SAFE Tahrir Square")
    for _index in range(MAX_VENUES - 1):
        assert last_answer().endswith("Reply NEXT for another.")
        send("NEXT")
    assert last_answer().startswith("Next safe space: Café 4,")
    assert "NEXT" not in last_answer()
    assert Correspondent.objects.get().dialog == ""
