from __future__ import annotations

import datetime
import json
import random
from typing import Any

import pytest
from django.test import Client

from safespaces.accounts.models import User
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.reports.actions import (
    load_preset,
    publish_report,
    reject_report,
    submit_report,
    verify_report,
)
from safespaces.reports.models import Category, Report
from tests.reports.submissions import (
    EXACT_LATITUDE,
    EXACT_LONGITUDE,
    a_submission,
    api_payload,
    database_dump,
    yesterday,
)

URL = "/api/v1/reports"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def categories(db: None) -> list[Category]:
    return load_preset("street_harassment")


def post(payload: Any, **headers: str) -> Any:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return Client().post(URL, body, content_type="application/json", headers=headers)


def faulty_fields(response: Any) -> list[str]:
    assert response.status_code == 422
    return [detail["loc"][-1] for detail in response.json()["error"]["details"]]


def published(moderator: User, **changes: Any) -> Report:
    return publish_report(submit_report(a_submission(**changes)), moderator)


def test_anyone_may_submit_a_report() -> None:
    response = post(api_payload())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    report = Report.objects.get(public_id=body["public_id"])
    assert (report.channel, report.reporter_role) == ("api", "witnessed")
    assert report.point == (EXACT_LATITUDE, EXACT_LONGITUDE)


def test_the_answer_to_a_submission_holds_only_its_code_and_status() -> None:
    assert set(post(api_payload()).json()) == {"public_id", "status"}


def test_an_idempotency_key_makes_a_resubmission_harmless() -> None:
    first = post(api_payload(), **{"Idempotency-Key": "app-7f3e-1"})
    again = post(api_payload(), **{"Idempotency-Key": "app-7f3e-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Report.objects.count() == 1


def test_a_malformed_idempotency_key_is_named() -> None:
    assert faulty_fields(post(api_payload(), **{"Idempotency-Key": "x" * 101})) == [
        "idempotency_key"
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"categories": ["weather"]}, "categories"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"occurred_on": "2026-02-30"}, "occurred_on"),
        ({"occurred_on": "yesterday"}, "occurred_on"),
        ({"latitude": 123.4}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"description": "x" * 5001}, "description"),
        ({"description": 42}, "description"),
        ({"reporter_role": "bystander"}, "reporter_role"),
        ({"time_from": "25:00"}, "time_from"),
        ({"consent_public": "perhaps"}, "consent_public"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_input_gets_a_422_naming_the_field(changes: dict[str, Any], field: str) -> None:
    response = post(api_payload(**changes))
    assert faulty_fields(response) == [field]
    assert response.json()["error"]["code"] == "validation_error"
    assert not Report.objects.exists()


def test_a_missing_field_is_named() -> None:
    payload = api_payload()
    del payload["reporter_role"]
    assert faulty_fields(post(payload)) == ["reporter_role"]


def test_a_not_a_number_coordinate_is_named() -> None:
    body = json.dumps(api_payload()).replace(str(EXACT_LATITUDE), "NaN")
    assert faulty_fields(post(body)) == ["latitude"]


@pytest.mark.parametrize("body", ["", "[]", "null", "{", '{"categories": "catcalls"}'])
def test_a_malformed_body_gets_a_4xx(body: str) -> None:
    assert 400 <= post(body).status_code < 500


def test_anonymous_submissions_are_rate_limited(settings: Any) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 2
    statuses = [post(api_payload()).status_code for _attempt in range(3)]
    assert statuses == [201, 201, 429]


def test_the_list_holds_only_published_reports(bob: User) -> None:
    shown = published(bob)
    submit_report(a_submission())
    verify_report(submit_report(a_submission()), bob)
    reject_report(published(bob), bob, "Not an incident.")
    body = Client().get(URL).json()
    assert body["count"] == 1
    assert [item["public_id"] for item in body["results"]] == [shown.public_id]


def test_a_published_report_shows_its_public_point(bob: User) -> None:
    report = published(bob, time_from=datetime.time(18, 30))
    item = Client().get(f"{URL}/{report.public_id}").json()
    stored = Report.objects.get(pk=report.pk)
    assert (item["latitude"], item["longitude"]) == stored.public_point
    assert item["time_from"] == "18:30:00"
    assert item["categories"][0]["key"] == "catcalls"
    assert item["categories"][0]["names"]["ar"] == "التصفير والمعاكسة"
    assert not {"place_text", "contact", "area_cell", "reporter_role", "gender"} & set(item)


def test_the_public_point_is_the_same_on_every_request(bob: User) -> None:
    report = published(bob)
    answers = [Client().get(f"{URL}/{report.public_id}").json() for _request in range(5)]
    listed = Client().get(URL).json()["results"][0]
    points = {(answer["latitude"], answer["longitude"]) for answer in [*answers, listed]}
    assert len(points) == 1


def test_an_unpublished_report_is_not_found(bob: User) -> None:
    pending = submit_report(a_submission())
    verified = verify_report(submit_report(a_submission()), bob)
    for report in (pending, verified):
        response = Client().get(f"{URL}/{report.public_id}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert Client().get(f"{URL}/NOSUCHCODE").status_code == 404


def test_the_list_filters_by_category_and_date(bob: User) -> None:
    ogling = published(bob, categories=["ogling"], occurred_on=datetime.date(2025, 5, 1))
    catcalls = published(bob, categories=["catcalls"], occurred_on=datetime.date(2025, 6, 1))
    client = Client()

    def ids(**query: str) -> set[str]:
        return {item["public_id"] for item in client.get(URL, query).json()["results"]}

    assert ids(category="ogling") == {ogling.public_id}
    assert ids(occurred_from="2025-05-15") == {catcalls.public_id}
    assert ids(occurred_to="2025-05-15") == {ogling.public_id}
    assert ids(occurred_from="2025-04-01", occurred_to="2025-07-01") == {
        ogling.public_id,
        catcalls.public_id,
    }


def test_the_list_pages_through_the_newest_first(bob: User) -> None:
    reports = [published(bob) for _number in range(5)]
    newest_first = [report.public_id for report in reversed(reports)]
    pages = [Client().get(URL, {"page": page, "page_size": 2}).json() for page in (1, 2, 3)]
    assert [page["count"] for page in pages] == [5, 5, 5]
    assert [item["public_id"] for page in pages for item in page["results"]] == newest_first


@pytest.mark.parametrize(
    "query", [{"page": "0"}, {"page_size": "1000"}, {"occurred_from": "soon"}, {"page": "x"}]
)
def test_bad_list_parameters_get_a_422(query: dict[str, str]) -> None:
    assert Client().get(URL, query).status_code == 422


def test_a_script_in_the_description_comes_back_as_plain_json_text(bob: User) -> None:
    response = post(api_payload(description=XSS))
    report = Report.objects.get(public_id=response.json()["public_id"])
    publish_report(report, bob)
    answer = Client().get(f"{URL}/{report.public_id}")
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.json()["description"] == XSS


def test_no_public_answer_ever_carries_an_exact_location(bob: User) -> None:
    rng = random.Random(20261124)
    exact = []
    for _number in range(30):
        latitude, longitude = rng.uniform(-60, 70), rng.uniform(-180, 180)
        exact.append((latitude, longitude))
        consent = rng.random() < 0.8
        report = submit_report(
            a_submission(
                latitude=latitude,
                longitude=longitude,
                consent_public=consent,
                occurred_on=yesterday(),
            )
        )
        if consent:
            publish_report(report, bob)
    client = Client()
    bodies = [client.get(URL, {"page": page, "page_size": 10}).content for page in (1, 2, 3)]
    public_ids = Report.objects.values_list("public_id", flat=True)
    bodies += [client.get(f"{URL}/{public_id}").content for public_id in public_ids]
    text = b"\n".join(bodies).decode()
    assert text.count('"public_id"') > 10
    for latitude, longitude in exact:
        assert repr(latitude) not in text
        assert repr(longitude) not in text
        # Six decimals of one axis can match another report's displaced point by chance;
        # an exact leak carries both axes of the same point.
        assert not (f"{latitude:.6f}" in text and f"{longitude:.6f}" in text)


def test_an_api_submission_leaves_no_exact_point_in_the_database() -> None:
    post(api_payload())
    dump = database_dump()
    assert repr(EXACT_LATITUDE) not in dump
    assert repr(EXACT_LONGITUDE) not in dump


def test_a_named_place_without_a_point_is_placed_from_the_gazetteer() -> None:
    import_places(
        [PlaceRecord("1", "Tahrir Square", 30.0444, 31.2357, NamedPlace.Kind.SQUARE)],
        source="csv",
    )
    payload = {**api_payload(), "place_text": "Tahrir Square"}
    del payload["latitude"], payload["longitude"]
    response = post(payload)
    assert response.status_code == 201
    report = Report.objects.get(public_id=response.json()["public_id"])
    assert report.point == (30.0444, 31.2357)
    assert report.precision == Report.Precision.STREET
    assert report.place_text == "Tahrir Square"


def test_an_unknown_place_without_a_point_keeps_only_the_words() -> None:
    payload = {**api_payload(), "place_text": "behind the old bakery"}
    del payload["latitude"], payload["longitude"]
    response = post(payload)
    assert response.status_code == 201
    report = Report.objects.get(public_id=response.json()["public_id"])
    assert report.point is None and report.place_text == "behind the old bakery"
