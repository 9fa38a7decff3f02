"""`/api/v1/safety/`: a protected person's app, authorised by the panic token alone."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from safespaces.accounts.models import User
from safespaces.places.actions import create_organisation
from safespaces.places.validation import OrganisationDetails
from safespaces.safety.actions import (
    add_contact,
    contact_replied,
    create_person,
    create_plan,
    raise_alert,
    revoke_panic_link,
    update_person,
)
from safespaces.safety.links import panic_token
from safespaces.safety.locations import decode_location
from safespaces.safety.models import (
    Alert,
    AlertEvent,
    CheckInPlan,
    EventKind,
    PlanKind,
    ProtectedPerson,
    Trigger,
)
from tests.api.conftest import Bearer

pytestmark = pytest.mark.django_db

PIN = "4821"
CONTACT_PHONE = "+201112223334"


@pytest.fixture
def mona(db: None) -> ProtectedPerson:
    organisation = create_organisation("system", OrganisationDetails(name="Nadeem Centre"))
    person = create_person(organisation, alias="Mona", phone="+201001234567", pin=PIN, actor=None)
    add_contact(person, name="Karim", phone=CONTACT_PHONE, channels="sms", codeword="j", actor=None)
    contact_replied(CONTACT_PHONE, True)
    return person


def call(
    client: Client, path: str, body: Any, token: str | None, **headers: str
) -> tuple[int, Any]:
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    response = client.post(
        f"/api/v1/safety/{path}",
        json.dumps(body) if not isinstance(body, bytes) else body,
        content_type="application/json",
        headers=headers,
    )
    return response.status_code, json.loads(response.content)


def test_panic_raises_an_alert_with_the_point(client: Client, mona: ProtectedPerson) -> None:
    status, body = call(
        client, "panic", {"latitude": 30.0444, "longitude": 31.2357}, panic_token(mona)
    )
    assert status == 200
    assert body["status"] == "open" and body["drill"] is False
    alert = Alert.objects.get(person=mona)
    assert alert.trigger == "panic_api"
    mona.refresh_from_db()
    assert decode_location(mona.last_location).latitude == pytest.approx(30.0444)
    assert mona.last_location_source == "app"


def test_panic_without_a_body_field_raises_an_alert_too(
    client: Client, mona: ProtectedPerson
) -> None:
    status, _body = call(client, "panic", {}, panic_token(mona))
    assert status == 200
    assert Alert.objects.get().trigger == "panic_api"


def test_a_drill_says_so(client: Client, mona: ProtectedPerson) -> None:
    status, body = call(client, "panic", {"drill": True, "place": "office"}, panic_token(mona))
    assert status == 200 and body["drill"] is True
    assert Alert.objects.get().is_drill


@pytest.mark.parametrize(
    "body",
    [
        {"latitude": 30.0},
        {"longitude": 31.0},
        {"latitude": 91, "longitude": 0},
        {"latitude": 0, "longitude": 181},
        {"place": "x" * 201},
        {"drill": "perhaps"},
    ],
)
def test_bad_input_is_422_and_raises_nothing(
    client: Client, mona: ProtectedPerson, body: dict[str, Any]
) -> None:
    status, answer = call(client, "panic", body, panic_token(mona))
    assert status == 422
    assert answer["error"]["code"] == "validation_error"
    assert not Alert.objects.exists()


def test_every_bad_token_gets_the_same_401(
    client: Client, mona: ProtectedPerson, alice: User, bearer: Bearer
) -> None:
    good = panic_token(mona)
    answers = [
        call(client, "panic", {}, None),
        call(client, "panic", {}, "not-a-token"),
        call(client, "panic", {}, good[:-2] + "xx"),
        call(client, "panic", {}, bearer(alice)["authorization"].split()[1]),
        call(client, "panic", {}, "x" * 5000),
    ]
    revoke_panic_link(mona, actor=None)
    answers.append(call(client, "panic", {}, good))
    other = create_person(mona.organisation, alias="Salma", actor=None)
    other_token = panic_token(other)
    update_person(other, active=False, actor=None)
    answers.append(call(client, "panic", {}, other_token))
    assert {status for status, _body in answers} == {401}
    assert len({json.dumps(body) for _status, body in answers}) == 1
    assert not Alert.objects.exists()


def test_location_updates_the_open_alert(client: Client, mona: ProtectedPerson) -> None:
    raise_alert(mona, trigger=Trigger.PANIC_WEB)
    status, body = call(
        client,
        "location",
        {"latitude": 30.06, "longitude": 31.22, "place": "Zamalek"},
        panic_token(mona),
    )
    assert (status, body) == (200, {"received": True})
    assert AlertEvent.objects.filter(kind=EventKind.LOCATION).count() == 1
    mona.refresh_from_db()
    assert decode_location(mona.last_location).place == "Zamalek"


def test_location_answers_the_same_without_an_alert(client: Client, mona: ProtectedPerson) -> None:
    status, body = call(
        client, "location", {"latitude": 30.06, "longitude": 31.22}, panic_token(mona)
    )
    assert (status, body) == (200, {"received": True})


def test_location_needs_a_point(client: Client, mona: ProtectedPerson) -> None:
    status, _body = call(client, "location", {"place": "Zamalek"}, panic_token(mona))
    assert status == 422


@pytest.fixture
def plan(mona: ProtectedPerson) -> CheckInPlan:
    return create_plan(
        mona,
        kind=PlanKind.RECURRING,
        due_time=datetime.time(17, 0),
        checkin_word="sunflower",
        duress_word="umbrella",
        actor=None,
    )


def test_checkin_and_duress_get_the_same_answer(
    client: Client, mona: ProtectedPerson, plan: CheckInPlan
) -> None:
    normal = call(client, "checkin", {"word": "sunflower"}, panic_token(mona))
    duress = call(client, "checkin", {"word": "umbrella"}, panic_token(mona))
    assert normal == duress == (200, {"result": "checked_in"})
    assert Alert.objects.get().trigger == "duress"


def test_a_wrong_word_and_no_plan(client: Client, mona: ProtectedPerson) -> None:
    assert call(client, "checkin", {"word": "tulip"}, panic_token(mona)) == (
        200,
        {"result": "no_plan"},
    )
    create_plan(
        mona,
        kind=PlanKind.RECURRING,
        due_time=datetime.time(9, 0),
        checkin_word="sunflower",
        actor=None,
    )
    assert call(client, "checkin", {"word": "tulip"}, panic_token(mona)) == (
        200,
        {"result": "wrong_word"},
    )


@pytest.mark.parametrize("body", [{}, {"word": ""}, {"word": "x" * 65}, {"word": 7}])
def test_a_check_in_word_that_cannot_be_one_is_422(
    client: Client, mona: ProtectedPerson, body: dict[str, Any]
) -> None:
    status, _answer = call(client, "checkin", body, panic_token(mona))
    assert status == 422


def test_end_with_the_pin_ends_the_alert(client: Client, mona: ProtectedPerson) -> None:
    raise_alert(mona, trigger=Trigger.PANIC_API)
    assert call(client, "end", {"pin": "0000"}, panic_token(mona)) == (200, {"ended": False})
    assert Alert.objects.get().status == "open"
    assert call(client, "end", {"pin": PIN}, panic_token(mona)) == (200, {"ended": True})
    assert Alert.objects.get().status == "resolved"


def test_pin_tries_are_few_an_hour(
    client: Client, mona: ProtectedPerson, settings: Settings
) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 1000
    statuses = [call(client, "end", {"pin": "0000"}, panic_token(mona))[0] for _ in range(11)]
    assert statuses == [200] * 10 + [429]


def test_requests_count_per_person(
    client: Client, mona: ProtectedPerson, settings: Settings
) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 2
    other = create_person(mona.organisation, alias="Salma", actor=None)
    place = {"latitude": 30.0444, "longitude": 31.2357}
    statuses = [call(client, "location", place, panic_token(mona))[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert call(client, "location", place, panic_token(other))[0] == 200


def test_no_rate_limit_ever_stops_a_panic(
    client: Client, mona: ProtectedPerson, settings: Settings
) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 1
    statuses = [call(client, "panic", {}, panic_token(mona))[0] for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert Alert.objects.filter(person=mona, status="open").count() == 1


def test_the_schema_describes_every_operation(client: Client) -> None:
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert schema["components"]["securitySchemes"]["PanicToken"]["scheme"] == "bearer"
    for path in ("panic", "location", "checkin", "end"):
        operation = schema["paths"][f"/api/v1/safety/{path}"]["post"]
        assert operation["security"] == [{"PanicToken": []}]
        assert operation["description"] and operation["summary"]
        assert operation["tags"] == ["safety"]
        limited = {"401", "422", "429"} if path != "panic" else {"401", "422"}
        assert limited <= set(operation["responses"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
fields = st.sampled_from(["latitude", "longitude", "place", "drill", "word", "pin"])
bodies = st.dictionaries(fields, json_values, max_size=4) | json_values


@hypothesis_settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(["panic", "location", "checkin", "end"]), body=bodies)
def test_any_body_with_a_good_token_gets_an_answer_and_never_a_500(
    client: Client, mona: ProtectedPerson, settings: Settings, path: str, body: Any
) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 1_000_000
    response = client.post(
        f"/api/v1/safety/{path}",
        json.dumps(body, allow_nan=True),
        content_type="application/json",
        headers={"authorization": f"Bearer {panic_token(mona)}"},
    )
    assert response.status_code in (200, 400, 422, 429)
    assert response.headers["Content-Type"].startswith("application/json")
