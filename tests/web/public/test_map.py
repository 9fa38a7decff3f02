"""/map/ without JavaScript: the filter form, the paged list and the server-drawn summary."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from safespaces.accounts.models import User
from safespaces.geo.cells import CITY_RESOLUTION, cell_id
from safespaces.geo.models import NamedPlace
from safespaces.reports.actions import load_preset, submit_report
from safespaces.reports.models import Category
from safespaces.web.public.report_map import PAGE_SIZE
from tests.reports.public_reports import SHUBRA, TAHRIR, published_at, published_many
from tests.reports.submissions import a_submission

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def categories(db: None, settings: Any) -> list[Category]:
    settings.SAFESPACES_MAP_MIN_COUNT = 3
    return load_preset("street_harassment")


def page(**params: Any) -> Any:
    return Client().get("/map/", params)


def listed_codes(response: Any) -> list[str]:
    return re.findall(r'href="/reports/([0-9A-Z]+)/"', response.content.decode())


def test_it_lists_published_reports_only(bob: User) -> None:
    report = published_at(bob, TAHRIR)
    pending = submit_report(a_submission())
    response = page()
    assert response.status_code == 200
    assert listed_codes(response) == [report.public_id]
    assert pending.public_id not in response.content.decode()


def test_it_pages_the_list_and_keeps_the_filters(bob: User) -> None:
    published_many(bob, TAHRIR, PAGE_SIZE + 2, categories=["stalking"])
    first = page(category="stalking")
    assert len(listed_codes(first)) == PAGE_SIZE
    assert 'href="?category=stalking&amp;page=2"' in first.content.decode()
    second = page(category="stalking", page=2)
    assert len(listed_codes(second)) == 2
    assert not set(listed_codes(first)) & set(listed_codes(second))


def test_it_filters_the_list(bob: User) -> None:
    stalked = published_at(bob, TAHRIR, categories=["stalking"], time_from=datetime.time(23))
    published_at(bob, TAHRIR, categories=["catcalls"], time_from=datetime.time(9))
    assert listed_codes(page(category="stalking")) == [stalked.public_id]
    assert listed_codes(page(hour_from=22, hour_to=2)) == [stalked.public_id]
    assert listed_codes(page(**{"from": "2000-01-01", "to": "2000-01-02"})) == []


def test_it_explains_faulty_filters_and_still_lists(bob: User) -> None:
    report = published_at(bob, TAHRIR)
    response = page(**{"from": "2025-02-01", "to": "2025-01-01"})
    assert response.status_code == 400
    assert "The end date must not be before the start date." in response.content.decode()
    assert listed_codes(response) == [report.public_id]


def test_it_summarises_by_kind_and_by_named_area(bob: User) -> None:
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
    published_many(bob, TAHRIR, 3, categories=["stalking"])
    published_many(bob, SHUBRA, 2, categories=["stalking"])
    text = page().content.decode()
    assert re.search(r"<td>Stalking or following</td><td>5</td>", text)
    assert "Around Downtown" in text
    # Shubra's two reports are under k: that area is not in the summary.
    assert text.count("<td>Around") == 1


def test_it_names_categories_in_the_visitors_language(bob: User) -> None:
    published_at(bob, TAHRIR, categories=["stalking"])
    arabic = Client().get("/ar/map/").content.decode()
    name = Category.objects.get(key="stalking").name_ar
    assert name in arabic
    assert 'dir="rtl"' in arabic


def test_it_renders_report_text_inert(bob: User) -> None:
    published_at(bob, TAHRIR, description=XSS)
    text = page().content.decode()
    assert "<script>alert" not in text
    assert "onerror=alert(1)>" not in text


def test_it_carries_the_map_for_javascript_from_our_own_origin(settings: Any) -> None:
    settings.SAFESPACES_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    text = Client().get("/ar/map/").content.decode()
    assert 'src="/static/vendor/leaflet/leaflet.js"' in text
    assert 'src="/static/safespaces/map.js"' in text
    assert 'data-cells-url="/api/v1/map/cells"' in text
    assert 'data-tile-url="/map/tiles/{z}/{x}/{y}.png"' in text
    assert "tile.example.org" not in text


def test_it_draws_a_plain_map_without_a_tile_server() -> None:
    assert 'data-tile-url=""' in page().content.decode()
