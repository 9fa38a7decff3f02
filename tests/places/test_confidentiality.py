"""No confidential venue's address, point or phones leave vetted roles (SECURITY.md 8).

With a network like the demo's (cafés, a clinic, shelters of a women's organisation whose
addresses are confidential), walk every public page in every language, every public API
operation of the OpenAPI schema, every export command in every format, the SMS answers to
SAFE and NEXT, the hotline's option 1, and the staff console as the roles that may not see
confidential venues; none may show what `tests.places.canaries` lists.
"""

from __future__ import annotations

import datetime
import io
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from safespaces.accounts.roles import Role
from safespaces.api.router import api
from safespaces.conversations.actions import receive_message
from safespaces.conversations.safe_spaces import MAX_VENUES
from safespaces.conversations.sms_length import fits_one
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.outbox.gateways.base import Incoming
from safespaces.outbox.models import Message
from safespaces.places.demo_data import load_demo_venues
from safespaces.places.feedback import flag_venue, propose_edit
from safespaces.places.live_status import status_link_token
from safespaces.places.models import Organisation, Venue
from tests.conftest import MakeStaff
from tests.conversations.conftest import answers
from tests.conversations.voice.calls import PUBLIC_URL, parse, said, twilio_call, twilio_post
from tests.conversations.voice.provider_server import ACCOUNT_SID, AUTH_TOKEN
from tests.places.canaries import Canary, confidential_canaries, leaks, readable
from tests.places.venues import a_safe_venue, an_organisation
from tests.url_walk import all_routes, paths_of

pytestmark = pytest.mark.django_db

CAIRO = ZoneInfo("Africa/Cairo")
NOW = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=CAIRO)  # a Tuesday afternoon
JUNCTION = (24.0900, 32.9000)  # Aswan: away from the demo city, Cairo
SHELTER_HOTLINE = "+20 122 555 0101"
ASKER = "+201001234567"
# Query parameters a public page or API operation may read; each one is near the shelters.
QUERY_VALUES = {
    "place": "Canary Junction",
    "q": "Canary Junction",
    "latitude": str(JUNCTION[0]),
    "longitude": str(JUNCTION[1]),
    "lat": str(JUNCTION[0]),
    "lon": str(JUNCTION[1]),
    "bbox": "32.86,24.06,32.94,24.12",
    "zoom": "16",
    "limit": "10",
    "page": "1",
    "per_page": "100",
    "radius": "5000",
}
MAX_PAGES = 20
VETTED = {Role.COORDINATOR, Role.DUTY_OFFICER, Role.CASE_WORKER}


@pytest.fixture
def network(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, Venue]:
    """Cafés, a clinic and two confidential shelters around Canary Junction, open now, in the
    demo network of about 300 venues around Cairo (with its own shelters)."""
    settings.TIME_ZONE = "Africa/Cairo"
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    today = NOW.date()
    import_places(
        [PlaceRecord("j1", "Canary Junction", *JUNCTION, NamedPlace.Kind.DISTRICT, ())],
        source="csv",
    )
    aid = an_organisation("Nile Women's Aid", hotline=SHELTER_HOTLINE)
    cafes = an_organisation("Downtown Safe Cafés", hotline="", hotline_is_24_7=False)
    shelter = a_safe_venue(
        today,
        organisation=aid,
        name="Marigold House of Quillfeather Lane",
        kind="shelter",
        confidential=True,
        address="12 Quillfeather Lane, Canary Gardens",
        latitude=24.091217,
        longitude=32.900873,
        phone="+20 2 2795 4412",
        contact_phone="+20 155 731 9264",
        directions="Green gate behind the Quillfeather bakery",
        description="Beds for twelve women above the Quillfeather bakery",
        opening_hours="24/7",
        heads_up=True,
    )
    second = a_safe_venue(
        today,
        organisation=aid,
        name="Jasmine refuge by the Zephyr mosque",
        kind="shelter",
        confidential=True,
        address="3 Zephyrine Alley, behind the old tram depot",
        latitude=24.086183,
        longitude=32.896651,
        phone="+20 2 2796 3388",
        contact_phone="+20 128 864 2210",
        directions="Ring twice at the Zephyrine Alley door",
        opening_hours="Mo-Su 08:00-22:00",
    )
    for index, (latitude, longitude) in enumerate(
        ((24.0921, 32.9031), (24.0889, 32.8977), (24.0955, 32.9012), (24.0870, 32.9055))
    ):
        a_safe_venue(
            today,
            organisation=cafes,
            name=f"Café number {index + 1}",
            latitude=latitude,
            longitude=longitude,
            contact_phone=f"+20 100 555 010{index}",
            heads_up=True,
        )
    a_safe_venue(
        today,
        organisation=aid,
        name="Nile clinic",
        kind="clinic",
        latitude=24.0933,
        longitude=32.8960,
        opening_hours="24/7",
    )
    load_demo_venues(today=today)  # about 300 more, five of them confidential shelters
    flag_venue(shelter, "wrong", "The gate is locked at night")
    propose_edit(shelter, {"opening_hours": "Mo-Su 00:00-24:00"})
    return {"shelter": shelter, "second": second}


def known_kwargs(venue: Venue) -> dict[str, dict[str, Any]]:
    """Path values that point at the confidential venue wherever a route takes a venue."""
    return {
        "public:safe_space": {"pk": venue.pk},
        "public:venue_feedback": {"pk": venue.pk},
        "public:verify": {"token": venue.verify_token},
        "public:venue_status": {"signed": status_link_token(venue)},
        "staff:venue": {"pk": venue.pk},
        "staff:venue_edit": {"pk": venue.pk},
        "staff:venue_sign": {"pk": venue.pk},
        "staff:venue_status_link": {"pk": venue.pk},
    }


def walk_pages(
    client: Client, prefix: str, *, posting: bool = False
) -> Iterator[tuple[str, bytes]]:
    """Every GET of the routes under `prefix`, plain and with a query (and a POST of the query
    when `posting`); a route that takes a venue, once for each confidential venue."""
    routes = [route for route in all_routes() if route.name.startswith(prefix)]
    assert routes
    shelters = list(Venue.objects.filter(confidential=True))
    for route in routes:
        takes_a_venue = route.name in known_kwargs(shelters[0])
        for venue in shelters if takes_a_venue else shelters[:1]:
            for path in paths_of(route, known_kwargs(venue)):
                yield from visits(client, path, posting)


def visits(client: Client, path: str, posting: bool) -> Iterator[tuple[str, bytes]]:
    for query in ({}, QUERY_VALUES):
        response = client.get(path, query)
        yield f"GET {path} {query and 'with a query'}", response_body(response)
    if posting:
        # The finder takes its search by POST (the place stays out of the URL).
        yield f"POST {path}", response_body(client.post(path, QUERY_VALUES))


def response_body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def assert_nothing_leaks(found: list[str]) -> None:
    assert not found, "\n".join(found)


def test_no_public_page_shows_a_confidential_venue(network: dict[str, Venue]) -> None:
    canaries = confidential_canaries(with_name=True)
    client = Client()
    seen = list(walk_pages(client, "public:", posting=True))
    assert_nothing_leaks([item for where, body in seen for item in leaks(where, body, canaries)])
    finder = dict(seen)["POST /safe-spaces/"].decode()
    assert "Nile Women" in finder and "Café number 2" in finder  # the search found them
    # The walk did reach the shelter: its page gives its organisation's hotline instead.
    page = client.get(f"/safe-spaces/{network['shelter'].pk}/")
    assert page.status_code == 200
    assert "Nile Women" in page.content.decode()


def api_calls() -> Iterator[tuple[str, dict[str, str]]]:
    """Every GET operation of the OpenAPI schema, with the query parameters it declares."""
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        names = [parameter["name"] for parameter in operation.get("parameters", [])]
        query = {name: QUERY_VALUES[name] for name in names if name in QUERY_VALUES}
        yield path, query


def every_page(path: str, query: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    """The answer, and for a paged operation each following page until one comes back empty."""
    for page in range(1, MAX_PAGES + 1):
        asked = {**query, "page": str(page)} if "page" in query else query
        response = Client().get(path, asked)
        body = response_body(response)
        yield f"GET {path} {asked}", body
        listed = response.json() if response.status_code == 200 else {}
        if "page" not in query or not (listed.get("contents") or listed.get("results")):
            return


def test_no_public_api_answer_shows_a_confidential_venue(network: dict[str, Venue]) -> None:
    canaries = confidential_canaries(with_name=True)
    found: list[str] = []
    answered: list[str] = []
    calls = list(api_calls())
    assert any("places" in path for path, _query in calls)
    shelters = list(Venue.objects.filter(confidential=True))
    for path, query in calls:
        # An operation that takes an id is asked about each shelter and its organisation.
        filled_paths = {
            path.replace("{" + name + "}", value)
            for shelter in shelters
            for value in (str(shelter.pk), str(shelter.organisation_id))
            for name in ("id", "pk", "venue_id", "service_id", "organization_id", "public_id")
            if "{" + name + "}" in path
        } or {path}
        for filled in sorted(filled_paths):
            for where, body in every_page(filled, query):
                found += leaks(where, body, canaries)
                answered.append(readable(body))
    assert_nothing_leaks(found)
    assert any("Café number 1" in text for text in answered)  # the walk met the venues


def export_runs() -> Iterator[tuple[str, list[str]]]:
    """Every export command with each of its formats (and --public where it has it)."""
    for name, app in sorted(get_commands().items()):
        if not name.startswith("export"):
            continue
        parser = load_command_class(app, name).create_parser("safespaces", name)
        options = {action.dest: action for action in parser._actions}
        formats = options["format"].choices if "format" in options else None
        for chosen in formats or [None]:
            arguments = [] if chosen is None else ["--format", str(chosen)]
            yield name, arguments
            if "public" in options:
                yield name, [*arguments, "--public"]


def test_no_export_carries_a_confidential_venue(network: dict[str, Venue]) -> None:
    canaries = confidential_canaries(with_name=False)
    runs = list(export_runs())
    assert runs
    found: list[str] = []
    exported: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, arguments) in enumerate(runs):
            output = Path(folder) / f"export-{number}"
            stdout = io.StringIO()
            call_command(name, *arguments, "--output", str(output), stdout=stdout)
            written = output.read_bytes() if output.exists() else b""
            found += leaks(f"{name} {arguments}", written + stdout.getvalue().encode(), canaries)
            exported.append(written.decode("utf-8", "replace"))
    assert_nothing_leaks(found)
    assert any("Café number 1" in text for text in exported)  # the venues were exported


def sms(body: str, number: int) -> None:
    receive_message(Incoming("console", "sms", f"SM-conf-{number}", ASKER, body))


def test_no_sms_answer_gives_a_confidential_address(network: dict[str, Venue]) -> None:
    canaries = confidential_canaries(with_name=True)
    messages = ["SAFE Canary Junction", *["NEXT"] * MAX_VENUES, "LANG ar", "امان Canary Junction"]
    messages += ["التالي"] * MAX_VENUES
    for number, body in enumerate(messages):
        sms(body, number)
    bodies = [message.body for message in Message.objects.all()]
    first = answers()[0]
    assert first.startswith("Safe space near Canary Junction: a shelter of Nile Women's Aid.")
    assert "+201225550101" in first
    assert fits_one(first)
    found = [item for body in bodies for item in leaks("an SMS", body, canaries)]
    assert_nothing_leaks(found)


@pytest.fixture
def hotline(settings: Settings) -> Settings:
    settings.SAFESPACES_PUBLIC_URL = PUBLIC_URL
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = []
    return settings


def option_one(client: Client, language_key: str, **heard: str) -> ET.Element:
    """Call, choose a language, press 1, then say or key in the place."""
    root = parse(twilio_post(client, PUBLIC_URL + "/hooks/twilio/voice/", twilio_call()))
    for digits in (language_key, "1"):
        root = parse(twilio_post(client, gather_action(root), twilio_call(Digits=digits)))
    return parse(twilio_post(client, gather_action(root), twilio_call(**heard)))


def gather_action(root: ET.Element) -> str:
    gather = root.find("Gather")
    assert gather is not None
    return str(gather.get("action"))


def test_no_spoken_answer_gives_a_confidential_address(
    network: dict[str, Venue], hotline: Settings
) -> None:
    canaries = confidential_canaries(with_name=True)
    district = NamedPlace.objects.get(name="Canary Junction").pk
    answers = [
        option_one(Client(), key, **heard)
        for key in ("1", "2", "3", "4")
        for heard in ({"SpeechResult": "Canary Junction"}, {"Digits": f"{district}#"})
    ]
    spoken = [said(root) for root in answers]
    assert "1 2 2 5 5 5 0 1 0 1" in spoken[0]  # the shelter's hotline, digit by digit
    found = [item for text in spoken for item in leaks("the hotline", text, canaries)]
    found += [item for root in answers for item in leaks("TwiML", ET.tostring(root), canaries)]
    assert_nothing_leaks(found)


@pytest.mark.parametrize("role", sorted(set(Role) - VETTED))
def test_staff_without_the_vetted_role_never_see_a_confidential_address(
    network: dict[str, Venue], make_staff: MakeStaff, staff_client: Any, role: Role
) -> None:
    canaries = confidential_canaries(with_name=False)
    client = staff_client(make_staff(role))
    seen = list(walk_pages(client, "staff:"))
    assert_nothing_leaks([item for where, body in seen for item in leaks(where, body, canaries)])
    queue = client.get("/staff/venue-feedback/")
    assert queue.status_code == 200
    assert "The gate is locked at night" in queue.content.decode()  # the shelter's flag is there


def test_the_finder_catches_every_rendering_of_a_secret(network: dict[str, Venue]) -> None:
    canaries: list[Canary] = confidential_canaries(with_name=True)
    shelter = network["shelter"]
    renderings = [
        "12 QUILLFEATHER LANE, Canary Gardens",
        "<p>Green gate behind the Quillfeather bakery</p>",
        '{"lat": 24.091217}',
        '{"longitude":32.900873}',
        "32.9009 E",
        "24,0912",
        "٢٤٫٠٩١٢",  # noqa: RUF001  (Arabic-Indic digits are the point of it)
        "call 0155 731 9264",
        "+20 (155) 731-9264",
        "+20 2 2795 4412",
        str(shelter.cell_9),
        f"{shelter.cell_7:x}",
        "Marigold House of Quillfeather Lane",
    ]
    for text in renderings:
        assert leaks("sample", text, canaries), text
    assert not leaks("sample", "Nile Women's Aid: call +201225550101. 24.0900, 32.9000", canaries)
    # A time whose seconds and fraction look like a coordinate (a record's last change).
    assert not leaks("sample", "2026-11-24T19:53:24.091217+00:00", canaries)
    assert Organisation.objects.filter(name="Nile Women's Aid").exists()
