from __future__ import annotations

import json
from pathlib import Path

import pytest

from safespaces.geo.gazetteer.readers import (
    RowError,
    alternative_names_from_tags,
    kind_from_tags,
    make_record,
    read_geojson,
)


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"railway": "station", "station": "subway"}, "metro_station"),
        ({"railway": "subway_entrance"}, "metro_station"),
        ({"railway": "station"}, "transit_stop"),
        ({"highway": "bus_stop"}, "transit_stop"),
        ({"place": "suburb"}, "district"),
        ({"place": "neighbourhood"}, "neighbourhood"),
        ({"place": "city"}, "city"),
        ({"place": "square"}, "square"),
        ({"highway": "pedestrian", "area": "yes"}, "square"),
        ({"highway": "residential"}, "street"),
        ({"amenity": "hospital"}, "landmark"),
        ({"tourism": "museum"}, "landmark"),
        ({"kind": "District", "amenity": "school"}, "district"),
        ({"kind": "castle", "amenity": "school"}, "landmark"),
        ({"natural": "tree"}, "other"),
    ],
)
def test_it_tells_the_kind_of_place_from_its_tags(tags: dict[str, str], kind: str) -> None:
    assert kind_from_tags(tags) == kind


def test_it_collects_every_other_name_once() -> None:
    tags = {
        "name": "Tahrir Square",
        "name:en": "Tahrir Square",
        "name:ar": "ميدان التحرير",
        "alt_name": "Midan el-Tahrir; Liberation Square",
        "old_name": "Ismailia Square",
        "opening_hours": "24/7",
    }
    assert alternative_names_from_tags(tags, "Tahrir Square") == (
        "ميدان التحرير",
        "Midan el-Tahrir",
        "Liberation Square",
        "Ismailia Square",
    )


def test_a_record_without_an_id_gets_one_from_its_name_and_point() -> None:
    record = make_record("", " Zamalek ", "30.06091", "31.21972")
    assert record.name == "Zamalek"
    assert record.external_id == "zamalek@30.06091,31.21972"


@pytest.mark.parametrize(
    ("latitude", "longitude", "problem"),
    [
        ("nan", "31", "The latitude 'nan' is not a number from -90 to 90."),
        (True, "31", "The latitude True is not a number from -90 to 90."),
        ("30", "181", "The longitude '181' is not a number from -180 to 180."),
        ("30", None, "The longitude None is not a number from -180 to 180."),
    ],
)
def test_it_refuses_coordinates_off_the_globe(
    latitude: object, longitude: object, problem: str
) -> None:
    with pytest.raises(RowError) as raised:
        make_record("1", "Somewhere", latitude, longitude)
    assert str(raised.value) == problem


def test_a_name_of_punctuation_only_is_empty() -> None:
    with pytest.raises(RowError, match="The name is empty"):
        make_record("1", "-- ? --", "30", "31")


def test_a_polygon_is_placed_at_the_mean_of_its_ring_without_the_repeated_corner(
    tmp_path: Path,
) -> None:
    square = [[[31.0, 30.0], [31.2, 30.0], [31.2, 30.2], [31.0, 30.2], [31.0, 30.0]]]
    multi = [square, [[[32.0, 31.0], [32.2, 31.0], [32.2, 31.2], [32.0, 31.0]]]]
    features = [
        {
            "type": "Feature",
            "id": 1,
            "geometry": {"type": "Polygon", "coordinates": square},
            "properties": {"name": "Block"},
        },
        {
            "type": "Feature",
            "id": 2,
            "geometry": {"type": "MultiPolygon", "coordinates": multi},
            "properties": {"name": "Two blocks"},
        },
        {"type": "Feature", "id": 3, "geometry": None, "properties": {"name": "Nowhere"}},
    ]
    path = tmp_path / "blocks.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    parsed = read_geojson(path)
    block, both = parsed.records
    assert (block.latitude, block.longitude) == pytest.approx((30.1, 31.1))
    corners = [(30.0, 31.0), (30.0, 31.2), (30.2, 31.2), (30.2, 31.0)]
    corners += [(31.0, 32.0), (31.0, 32.2), (31.2, 32.2)]
    mean = (sum(lat for lat, _ in corners) / 7, sum(lon for _, lon in corners) / 7)
    assert (both.latitude, both.longitude) == pytest.approx(mean)
    assert parsed.skipped == [
        "Feature 3: It has no point, line or polygon geometry, so it is skipped."
    ]
    assert parsed.errors == []


def test_a_single_feature_is_a_file_of_one_place(tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [31.2, 30.0]},
        "properties": {"name": "Dokki", "alt_names": ["الدقي", "Doqi"]},
    }
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps(feature))
    [record] = read_geojson(path).records
    assert record.alternative_names == ("الدقي", "Doqi")


def test_json_that_is_not_geojson_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]")
    assert read_geojson(path).errors == ["The file is not a GeoJSON FeatureCollection or Feature."]
