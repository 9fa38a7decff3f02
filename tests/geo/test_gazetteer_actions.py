from __future__ import annotations

import pytest

from safespaces.audit.models import AuditEvent
from safespaces.geo.actions import add_or_update_city
from safespaces.geo.cells import CITY_RESOLUTION, cell_id
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.gazetteer.search import search_places
from safespaces.geo.models import NamedPlace, PlaceGram

pytestmark = pytest.mark.django_db

TAHRIR = PlaceRecord("1", "Tahrir Square", 30.0444, 31.2357, "square", ("ميدان التحرير",))


def test_it_stores_a_place_with_its_keys_cell_and_index() -> None:
    summary = import_places([TAHRIR], "csv")
    place = NamedPlace.objects.get()
    assert (summary.created, summary.updated, summary.unchanged) == (1, 0, 0)
    assert place.normalised_name == "tahrir square"
    assert place.match_keys == ["tahrir skuari", "midan thrir"]
    assert place.cell == cell_id(30.0444, 31.2357, CITY_RESOLUTION)
    assert PlaceGram.objects.filter(place=place, gram="thr").exists()


def test_a_reimport_updates_the_place_and_its_index() -> None:
    import_places([TAHRIR], "csv")
    renamed = PlaceRecord("1", "Zamalek", 30.0609, 31.2197, "neighbourhood")
    summary = import_places([renamed], "csv")
    place = NamedPlace.objects.get()
    assert (summary.created, summary.updated) == (0, 1)
    assert (place.name, place.latitude, place.kind) == ("Zamalek", 30.0609, "neighbourhood")
    assert search_places("Tahrir") == []
    assert [match.place for match in search_places("Zamalek")] == [place]


def test_an_identical_reimport_changes_nothing() -> None:
    import_places([TAHRIR], "csv")
    summary = import_places([TAHRIR], "csv")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)


def test_the_same_id_from_another_source_is_another_place() -> None:
    import_places([TAHRIR], "csv")
    import_places([TAHRIR], "geojson")
    assert NamedPlace.objects.count() == 2


def test_a_dry_run_counts_but_stores_nothing() -> None:
    summary = import_places([TAHRIR], "csv", dry_run=True)
    assert summary.created == 1
    assert not NamedPlace.objects.exists()
    assert not PlaceGram.objects.exists()
    assert not AuditEvent.objects.filter(tag="place:import").exists()


def test_it_records_the_import_in_the_audit_log() -> None:
    import_places([TAHRIR], "osm", actor="system")
    event = AuditEvent.objects.get(tag="place:import")
    assert event.target == "osm"
    assert event.data == {"created": 1, "updated": 0, "unchanged": 0, "dry_run": False}


def test_it_links_places_to_the_city_it_is_given() -> None:
    cairo = add_or_update_city("Cairo", "EG", 30.0444, 31.2357, "Africa/Cairo")
    import_places([TAHRIR], "csv", city=cairo)
    assert NamedPlace.objects.get().city == cairo


def test_a_point_off_the_globe_stores_nothing() -> None:
    off_the_globe = PlaceRecord("2", "Nowhere", 91.0, 0.0)
    with pytest.raises(ValueError, match="Latitude must be between -90 and 90"):
        import_places([TAHRIR, off_the_globe], "csv")
    assert not NamedPlace.objects.exists()


def test_it_refuses_two_records_with_one_id() -> None:
    twin = PlaceRecord("1", "Zamalek", 30.0609, 31.2197)
    with pytest.raises(ValueError, match="The id '1' appears twice in one import"):
        import_places([TAHRIR, twin], "csv")
    assert not NamedPlace.objects.exists()
