from __future__ import annotations

import datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from safespaces.geo.actions import add_or_update_city
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.reports.actions import load_preset
from safespaces.reports.models import Category, Report
from safespaces.reports.validation import local_now

pytestmark = pytest.mark.django_db

URL = "/report/"
KEY = "k" * 43
TAHRIR = (30.0444, 31.2357)
RAMSES_STATION = (30.0626, 31.2497)
RAMSES_SQUARE = (30.0617, 31.2462)


def yesterday() -> str:
    return (local_now().date() - datetime.timedelta(days=1)).isoformat()


def step_one(**changes: Any) -> dict[str, Any]:
    """What a reporter answers on step one, with a point from the map."""
    data: dict[str, Any] = {
        "submission_key": KEY,
        "categories": ["catcalls"],
        "description": "Two men followed me from the metro and shouted at me.",
        "reporter_role": "happened_to_me",
        "place_text": "",
        "latitude": "30.0501",
        "longitude": "31.2402",
        "point_precision": "street",
        "occurred_on": yesterday(),
        "time_from": "18:30",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def step_two(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "age_range": "25_34",
        "gender": "woman",
        "intervention": "yes",
        "intervention_how": "A shopkeeper told them to leave.",
        "consent_public": "on",
        "contact": "+20 100 000 0000",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def categories(db: None) -> list[Category]:
    cache.clear()  # the rate-limit counters live in the cache
    return load_preset("street_harassment")


@pytest.fixture
def cairo_places(db: None) -> None:
    add_or_update_city("Cairo", "EG", *TAHRIR, "Africa/Cairo")
    import_places(
        [
            PlaceRecord("tahrir", "Tahrir Square", *TAHRIR, kind=NamedPlace.Kind.SQUARE),
            PlaceRecord("ramses-st", "Ramses Station", *RAMSES_STATION, kind="metro_station"),
            PlaceRecord("ramses-sq", "Ramses Square", *RAMSES_SQUARE, kind="square"),
        ],
        "csv",
    )


def place_pk(external_id: str) -> str:
    return str(NamedPlace.objects.get(external_id=external_id).pk)


class FormReader(HTMLParser):
    """What a browser would post from the page's form: hidden, filled and ticked inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        name = found.get("name")
        if tag == "textarea" and name:
            self.textarea = name
            self.values.setdefault(name, [""])
        if tag != "input" or not name:
            return
        kind = found.get("type", "text")
        if kind in ("radio", "checkbox") and "checked" not in found:
            return
        unticked = "on" if kind in ("radio", "checkbox") else ""
        self.values.setdefault(name, []).append(found.get("value", unticked))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] = [self.values[self.textarea][0] + data.strip()]

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None


def form_of(html: bytes) -> dict[str, list[str]]:
    reader = FormReader()
    reader.feed(html.decode())
    return reader.values


def errors_of(html: bytes) -> list[str]:
    """The error messages shown next to fields."""
    text = html.decode()
    messages = []
    for part in text.split('class="error"')[1:]:
        messages.append(part.split(">", 1)[1].split("</p>", 1)[0])
    return messages


def field_error(html: bytes, field: str) -> str:
    text = html.decode()
    marker = f'id="id_{field}_error">'
    assert marker in text, f"no error shown for {field}"
    return text.split(marker, 1)[1].split("</p>", 1)[0]


# Step one


def test_it_shows_step_one_with_todays_date_and_a_fresh_key(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Step 1 of 2" in content
    assert f'value="{local_now().date().isoformat()}"' in content
    assert "Catcalls and whistles" in content
    key = form_of(response.content)["submission_key"][0]
    assert len(key) >= 32
    assert form_of(client.get(URL).content)["submission_key"][0] != key


def test_it_names_the_categories_in_the_page_language(client: Client) -> None:
    content = client.get("/ar/report/").content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "التصفير والمعاكسة" in content


def test_it_offers_only_active_categories(client: Client) -> None:
    Category.objects.filter(key="ogling").update(is_active=False)
    values = client.get(URL).content.decode()
    assert 'value="ogling"' not in values
    assert 'value="catcalls"' in values


def test_it_loads_the_map_from_our_own_server_only(client: Client) -> None:
    content = client.get(URL).content.decode()
    assert 'src="/static/vendor/leaflet/leaflet.js"' in content
    assert 'src="/static/safespaces/report-form.js"' in content
    assert 'data-tiles="/map/tiles/{z}/{x}/{y}.png"' in content
    assert 'href="/static/vendor/leaflet/leaflet.css"' in content
    assert 'src="http' not in content
    assert "//unpkg" not in content


def test_it_moves_on_to_step_two_with_a_point_from_the_map(client: Client) -> None:
    response = client.post(URL, step_one())
    assert response.status_code == 200
    assert b"Step 2 of 2" in response.content
    carried = form_of(response.content)
    assert carried["latitude"] == ["30.0501"]
    assert carried["categories"] == ["catcalls"]
    assert carried["submission_key"] == [KEY]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"categories": None}, "categories", "Choose at least one category."),
        ({"categories": ["no-such-thing"]}, "categories", "Select a valid choice."),
        ({"reporter_role": None}, "reporter_role", "Say whether it happened to you"),
        ({"reporter_role": "neighbour"}, "reporter_role", "Select a valid choice."),
        ({"description": "x" * 5001}, "description", "at most 5000 characters"),
        (
            {"latitude": None, "longitude": None, "place_text": ""},
            "place_text",
            "Say where it happened",
        ),
        ({"place_text": "x" * 201}, "place_text", "at most 200 characters"),
        ({"latitude": "91"}, "place_text", "The point chosen on the map is not valid."),
        ({"point_precision": "planet"}, "place_text", "The point chosen on the map is not valid."),
        ({"occurred_on": None}, "occurred_on", "Give the day it happened."),
        ({"occurred_on": "yesterday"}, "occurred_on", "Enter a valid date."),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "The date cannot be in the future."),
        ({"time_from": "25:00"}, "time_from", "Enter a valid time."),
        ({"time_from": None, "time_to": "19:00"}, "time_from", "Give the start of the time"),
    ],
)
def test_it_shows_each_fault_of_step_one_next_to_its_field(
    client: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client.post(URL, step_one(**changes))
    assert response.status_code == 200
    assert b"Step 1 of 2" in response.content
    assert message in field_error(response.content, field)
    assert not Report.objects.exists()


def test_it_shows_errors_in_the_page_language(client: Client) -> None:
    response = client.post("/fr/report/", step_one(occurred_on="hier"))
    assert '<html lang="fr"' in response.content.decode()
    assert "Saisissez une date valide." in field_error(response.content, "occurred_on")


def test_it_keeps_the_answers_of_step_one_when_it_shows_a_fault(client: Client) -> None:
    response = client.post(URL, step_one(occurred_on="2999-01-01"))
    values = form_of(response.content)
    assert values["categories"] == ["catcalls"]
    assert values["description"] == ["Two men followed me from the metro and shouted at me."]
    assert values["submission_key"] == [KEY]


def test_it_replaces_a_key_the_form_did_not_make(client: Client) -> None:
    response = client.post(URL, step_one(submission_key="short"))
    key = form_of(response.content)["submission_key"][0]
    assert key != "short"
    assert len(key) >= 32


# Where: a typed place


def test_it_asks_did_you_mean_for_a_single_match(client: Client, cairo_places: None) -> None:
    response = client.post(URL, step_one(latitude=None, longitude=None, place_text="tahrer"))
    content = response.content.decode()
    assert "Step 1 of 2" in content
    assert "Did you mean Tahrir Square?" in content
    assert f'value="{place_pk("tahrir")}"' in content
    assert form_of(response.content)["place_query"] == ["tahrer"]


def test_it_offers_a_choice_when_several_places_match(client: Client, cairo_places: None) -> None:
    response = client.post(URL, step_one(latitude=None, longitude=None, place_text="Ramses"))
    content = response.content.decode()
    assert "Which of these places did you mean?" in content
    assert "Ramses Station" in content
    assert "Ramses Square" in content
    assert "None of these. Keep my own words only." in content


def test_it_asks_again_until_the_reporter_chooses(client: Client, cairo_places: None) -> None:
    answers = step_one(latitude=None, longitude=None, place_text="Ramses", place_query="Ramses")
    response = client.post(URL, answers)
    assert "Choose the place you meant" in " ".join(errors_of(response.content))


def test_it_places_the_report_at_the_chosen_place(client: Client, cairo_places: None) -> None:
    chosen = place_pk("ramses-st")
    answers = step_one(
        latitude=None,
        longitude=None,
        place_text="Ramses",
        place_query="Ramses",
        place_choice=chosen,
    )
    response = client.post(URL, answers)
    assert b"Step 2 of 2" in response.content
    carried = form_of(response.content)
    assert carried["place_choice"] == [chosen]
    client.post(URL, {**carried, **step_two(), "action": "send"})
    report = Report.objects.get()
    assert report.point == RAMSES_STATION
    assert report.precision == Report.Precision.STREET
    assert report.place_text == "Ramses"


def test_it_asks_again_when_the_typed_place_changed(client: Client, cairo_places: None) -> None:
    answers = step_one(
        latitude=None,
        longitude=None,
        place_text="Tahrir",
        place_query="Ramses",
        place_choice=place_pk("ramses-st"),
    )
    response = client.post(URL, answers)
    assert "Did you mean Tahrir Square?" in response.content.decode()


def test_it_asks_for_a_landmark_when_no_place_matches(client: Client, cairo_places: None) -> None:
    response = client.post(URL, step_one(latitude=None, longitude=None, place_text="Qwzx"))
    content = response.content.decode()
    assert "We could not find this place." in content
    assert "Continue with my words alone." in content
    answers = step_one(latitude=None, longitude=None, place_text="Qwzx", place_query="Qwzx")
    again = client.post(URL, answers)
    assert "tick the box to send your words alone" in " ".join(errors_of(again.content))


def test_it_sends_the_words_alone_at_city_precision(client: Client) -> None:
    answers = step_one(
        latitude=None,
        longitude=None,
        place_text="Behind the old cinema",
        place_query="Behind the old cinema",
        place_choice="text",
    )
    carried = form_of(client.post(URL, answers).content)
    client.post(URL, {**carried, "action": "skip"})
    report = Report.objects.get()
    assert report.point is None
    assert report.precision == Report.Precision.CITY
    assert report.place_text == "Behind the old cinema"


# Step two


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"age_range": "ancient"}, "age_range", "Select a valid choice."),
        ({"gender": "robot"}, "gender", "Select a valid choice."),
        ({"intervention": "maybe"}, "intervention", "Select a valid choice."),
        ({"intervention_how": "x" * 1001}, "intervention_how", "at most 1000 characters"),
        ({"contact": "x" * 201}, "contact", "at most 200 characters"),
    ],
)
def test_it_shows_each_fault_of_step_two_next_to_its_field(
    client: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client.post(URL, {**step_one(), **step_two(**changes), "action": "send"})
    assert b"Step 2 of 2" in response.content
    assert message in field_error(response.content, field)
    assert not Report.objects.exists()


def test_it_sends_everything_the_reporter_answered(client: Client) -> None:
    response = client.post(URL, {**step_one(), **step_two(), "action": "send"})
    assert response.status_code == 200
    report = Report.objects.get()
    assert response.content.decode().count(report.public_id) == 1
    assert report.channel == Report.Channel.WEB
    assert report.language == "en"
    assert report.point == (30.0501, 31.2402)
    assert report.precision == Report.Precision.STREET
    assert report.time_from == datetime.time(18, 30)
    assert report.gender == "woman"
    assert report.intervention == "yes"
    assert report.consent_public is True
    assert report.consent_partners is False
    assert report.contact == "+20 100 000 0000"
    assert report.submission_key == f"web:{KEY}"


def test_skipping_step_two_ignores_its_answers(client: Client) -> None:
    client.post(URL, {**step_one(), **step_two(), "action": "skip"})
    report = Report.objects.get()
    assert report.consent_public is False
    assert report.contact is None
    assert report.gender == ""
    assert report.intervention == Report.Intervention.UNKNOWN


def test_it_goes_back_to_step_one_and_keeps_step_two(client: Client) -> None:
    response = client.post(URL, {**step_one(), **step_two(), "action": "back"})
    assert b"Step 1 of 2" in response.content
    values = form_of(response.content)
    assert values["gender"] == ["woman"]
    assert values["latitude"] == ["30.0501"]
    assert not errors_of(response.content)


def test_it_files_the_report_in_the_page_language(client: Client) -> None:
    client.post("/ar/report/", {**step_one(), "action": "skip"})
    assert Report.objects.get().language == "ar"


def test_it_checks_step_one_again_when_sending(client: Client) -> None:
    response = client.post(URL, {**step_one(occurred_on="2999-01-01"), "action": "send"})
    assert "The date cannot be in the future." in field_error(response.content, "occurred_on")
    assert not Report.objects.exists()


# The whole flow, idempotency, limits


def test_a_reporter_without_javascript_goes_through_every_step() -> None:
    browser = Client(enforce_csrf_checks=True)
    first = browser.get(URL)
    answers = form_of(first.content)
    answers.update(
        categories=["catcalls", "comments"],
        reporter_role=["witnessed"],
        place_text=["Behind the old cinema"],
        occurred_on=[yesterday()],
        time_from=["08:15"],
        time_to=["08:40"],
    )
    asked = browser.post(URL, {**answers, "action": "continue"})
    assert "We could not find this place." in asked.content.decode()
    answers = form_of(asked.content)
    answers["place_choice"] = ["text"]
    second = browser.post(URL, {**answers, "action": "continue"})
    assert b"Step 2 of 2" in second.content
    answers = form_of(second.content)
    answers.update(consent_public=["on"], age_range=["18_24"])
    receipt = browser.post(URL, {**answers, "action": "send"})
    assert receipt.status_code == 200
    report = Report.objects.get()
    assert report.public_id in receipt.content.decode()
    assert sorted(report.categories.values_list("key", flat=True)) == ["catcalls", "comments"]
    assert (report.time_from, report.time_to) == (datetime.time(8, 15), datetime.time(8, 40))
    assert report.age_range == "18_24"
    assert report.reporter_role == "witnessed"


def test_it_sets_no_cookie_but_the_csrf_one() -> None:
    browser = Client(enforce_csrf_checks=True)
    responses = [browser.get(URL)]
    answers = form_of(responses[0].content)
    answers.update(step_one(submission_key=answers["submission_key"][0]))
    responses.append(browser.post(URL, answers))
    responses.append(browser.post(URL, {**form_of(responses[1].content), "action": "skip"}))
    assert Report.objects.count() == 1
    for response in responses:
        assert set(response.cookies) <= {"safespaces_csrf"}
    assert set(browser.cookies) == {"safespaces_csrf"}


def test_it_refuses_a_post_without_the_csrf_token() -> None:
    response = Client(enforce_csrf_checks=True).post(URL, {**step_one(), "action": "send"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_sending_twice_files_one_report(client: Client) -> None:
    answers = {**step_one(), **step_two(), "action": "send"}
    first = client.post(URL, answers)
    second = client.post(URL, answers)
    report = Report.objects.get()
    assert report.public_id in first.content.decode()
    assert report.public_id in second.content.decode()


def test_it_limits_reports_per_client(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_WEB_REPORTS_PER_HOUR = 2
    for key in ("a" * 40, "b" * 40):
        client.post(URL, {**step_one(submission_key=key), "action": "skip"})
    refused = client.post(URL, {**step_one(submission_key="c" * 40), "action": "skip"})
    assert refused.status_code == 429
    assert "Too many reports were sent from this connection" in refused.content.decode()
    assert b"Step 2 of 2" in refused.content
    assert form_of(refused.content)["description"] == [
        "Two men followed me from the metro and shouted at me."
    ]
    assert Report.objects.count() == 2
    # A report already filed is still confirmed: pressing Send again is not a new report.
    again = client.post(URL, {**step_one(submission_key="a" * 40), "action": "skip"})
    assert again.status_code == 200
    assert Report.objects.get(submission_key="web:" + "a" * 40).public_id in again.content.decode()


def test_the_limit_is_per_client(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_WEB_REPORTS_PER_HOUR = 1
    client.post(URL, {**step_one(submission_key="a" * 40), "action": "skip"})
    other = Client(REMOTE_ADDR="192.0.2.77")
    response = other.post(URL, {**step_one(submission_key="b" * 40), "action": "skip"})
    assert response.status_code == 200
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    "junk",
    [
        {"action": "send"},
        {"action": "explode", "latitude": "nan", "longitude": "inf"},
        {**step_one(), "point_precision": "planet", "action": "send"},
        {**step_one(), "place_choice": "999999", "action": "send", "latitude": ""},
        {**step_one(), "occurred_on": "0001-01-01", "action": "skip"},
        {**step_one(), "description": "\x00\u202e", "action": "skip"},
    ],
)
def test_malformed_answers_never_cause_a_server_error(client: Client, junk: dict[str, Any]) -> None:
    response = client.post(URL, junk)
    assert response.status_code < 500


# The receipt


def test_the_receipt_says_what_happens_next(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_HELPLINE = "+20 2 1234 5678"
    response = client.post(URL, {**step_one(), **step_two(), "action": "send"})
    content = response.content.decode()
    report = Report.objects.get()
    assert f'<p class="report-code" dir="ltr" lang="en">{report.public_id}</p>' in content
    assert "A moderator reads your report" in content
    assert "location moved a few hundred metres" in content
    assert 'href="tel:+20212345678"' in content
    assert 'href="/safety/"' in content
    assert "do not keep this code where they can find it" in content
    assert response.headers["Cache-Control"] == "no-store"


def test_the_receipt_says_an_unconsented_report_stays_private(client: Client) -> None:
    response = client.post(URL, {**step_one(), "action": "skip"})
    assert "it will not be published" in response.content.decode()
    assert "location moved" not in response.content.decode()


def test_the_receipt_shows_the_code_only_to_whoever_sent_it(client: Client) -> None:
    client.post(URL, {**step_one(), "action": "skip"})
    code = Report.objects.get().public_id
    assert code not in client.get(URL).content.decode()
