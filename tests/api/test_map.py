from __future__ import annotations

import random
from typing import Any

import h3
import pytest
from django.test import Client

from safespaces.accounts.models import User
from safespaces.reports.actions import load_preset, publish_report, submit_report
from safespaces.reports.models import Category
from tests.reports.public_reports import SHUBRA, TAHRIR, published_at, published_many
from tests.reports.submissions import a_submission

URL = "/api/v1/map/cells"
CAIRO = "31.1,29.9,31.4,30.2"


@pytest.fixture(autouse=True)
def categories(db: None, settings: Any) -> list[Category]:
    settings.SAFESPACES_MAP_MIN_COUNT = 3
    return load_preset("street_harassment")


def cells(**params: Any) -> Any:
    return Client().get(URL, {"bbox": CAIRO, "zoom": 12, **params})


def faulty(response: Any) -> list[str]:
    assert response.status_code == 422
    return [detail["loc"][-1] for detail in response.json()["error"]["details"]]


def test_it_counts_reports_on_cells_of_the_zoom(bob: User) -> None:
    published_many(bob, TAHRIR, 3)
    body = cells().json()
    assert body["min_count"] == 3
    [cell] = body["cells"]
    assert cell["count"] == 3
    assert cell["cell"] == h3.latlng_to_cell(*TAHRIR, body["resolution"])
    assert len(cell["boundary"]) == 6
    assert body["points"] == []


def test_it_leaves_out_cells_under_k(bob: User) -> None:
    published_many(bob, TAHRIR, 3)
    published_many(bob, SHUBRA, 2)
    assert [cell["count"] for cell in cells(zoom=11).json()["cells"]] == [3]


def test_it_uses_coarser_cells_when_zoomed_out(bob: User) -> None:
    published_many(bob, TAHRIR, 3)
    assert cells(zoom=9).json()["resolution"] < cells(zoom=14).json()["resolution"]


def test_it_applies_the_filters(bob: User) -> None:
    published_many(bob, TAHRIR, 3, categories=["stalking"])
    assert cells(category="stalking").json()["cells"] != []
    assert cells(category="catcalls").json()["cells"] == []
    assert cells(**{"from": "2000-01-01", "to": "2000-12-31"}).json()["cells"] == []
    assert cells(hour_from=3, hour_to=4).json()["cells"] == []


def test_it_answers_only_for_the_viewport(bob: User) -> None:
    published_many(bob, TAHRIR, 3)
    assert cells(bbox="29.8,31.1,30.1,31.3").json()["cells"] == []


def test_it_shows_displaced_points_at_close_zoom(bob: User) -> None:
    report = published_at(bob, TAHRIR)
    body = cells(zoom=16, bbox="31.23,30.04,31.24,30.05").json()
    assert body["points"] == [
        {"public_id": report.public_id, "latitude": TAHRIR[0], "longitude": TAHRIR[1]}
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "0,10,1,5"}, "bbox"),
        ({"bbox": "x" * 300}, "bbox"),
        ({"zoom": 21}, "zoom"),
        ({"zoom": "near"}, "zoom"),
        ({"category": "no-such-thing"}, "category"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2025-02-01", "to": "2025-01-01"}, "to"),
        ({"hour_from": 24}, "hour_from"),
        ({"hour_to": -1}, "hour_to"),
    ],
)
def test_it_names_the_faulty_parameter(params: dict[str, Any], field: str) -> None:
    assert field in faulty(cells(**params))


def test_it_needs_a_viewport_and_a_zoom() -> None:
    assert set(faulty(Client().get(URL))) == {"bbox", "zoom"}


def test_it_answers_place_names_for_a_map_without_tiles() -> None:
    from safespaces.geo.cells import CITY_RESOLUTION, cell_id
    from safespaces.geo.models import NamedPlace

    NamedPlace.objects.create(
        name="Downtown",
        normalised_name="downtown",
        kind=NamedPlace.Kind.DISTRICT,
        latitude=30.046,
        longitude=31.238,
        cell=cell_id(30.046, 31.238, CITY_RESOLUTION),
        source=NamedPlace.Source.CSV,
        external_id="1",
    )
    body = Client().get("/api/v1/map/places", {"bbox": CAIRO, "zoom": 12}).json()
    assert [(place["name"], place["kind"]) for place in body["places"]] == [
        ("Downtown", "district")
    ]
    assert "bbox" in faulty(Client().get("/api/v1/map/places", {"bbox": "0", "zoom": 12}))


def test_it_never_answers_with_an_exact_location(bob: User) -> None:
    """Random reports published for real: no public answer carries an exact coordinate."""
    draw = random.Random(20240613)
    exact = []
    public_ids = []
    for _ in range(25):
        latitude = 30.0 + draw.uniform(0.0, 0.1)
        longitude = 31.2 + draw.uniform(0.0, 0.1)
        report = publish_report(
            submit_report(a_submission(latitude=latitude, longitude=longitude)), bob
        )
        exact.append((latitude, longitude))
        public_ids.append(report.public_id)
    client = Client()
    bodies = [
        client.get(URL, {"bbox": "31.0,29.8,31.5,30.3", "zoom": zoom}).content.decode()
        for zoom in (10, 13, 16, 18)
    ]
    bodies.append(client.get("/api/v1/reports", {"page_size": 100}).content.decode())
    bodies.append(client.get("/map/").content.decode())
    for public_id in public_ids:
        bodies.append(client.get(f"/reports/{public_id}/").content.decode())
        bodies.append(client.get(f"/api/v1/reports/{public_id}").content.decode())
    points = client.get(URL, {"bbox": "31.0,29.8,31.5,30.3", "zoom": 16}).json()["points"]
    assert len(points) == 25
    everything = "\n".join(bodies)
    for latitude, longitude in exact:
        assert repr(latitude) not in everything
        assert repr(longitude) not in everything
        # Six decimals of one axis can match another report's displaced point by chance
        # (about 1 in 200 runs); an exact leak carries both axes of the same point.
        assert not (f"{latitude:.6f}" in everything and f"{longitude:.6f}" in everything)
