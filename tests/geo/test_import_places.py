"""`safespaces import-places`: small files in each real format, imported whole or not at all."""

# Arabic letters in these tests are data, not look-alikes of Latin ones.
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safespaces.geo.actions import add_or_update_city
from safespaces.geo.models import NamedPlace

pytestmark = pytest.mark.django_db

CSV = """id,name,latitude,longitude,kind,alt_names
1,Tahrir Square,30.0444,31.2357,square,ميدان التحرير;Midan el-Tahrir
2,مدينة نصر,30.0561,31.3301,district,Nasr City
"""

GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "node/1",
            "geometry": {"type": "Point", "coordinates": [31.2357, 30.0444]},
            "properties": {"name": "ميدان التحرير", "name:en": "Tahrir Square", "place": "square"},
        },
        {
            "type": "Feature",
            "id": "way/2",
            "geometry": {
                "type": "LineString",
                "coordinates": [[31.20, 30.00], [31.30, 30.10]],
            },
            "properties": {"name": "Corniche", "highway": "primary"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [31.0, 30.0]},
            "properties": {"highway": "traffic_signals"},
        },
    ],
}

OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="10" lat="30.0536" lon="31.2389">
    <tag k="name" v="جمال عبد الناصر"/>
    <tag k="name:en" v="Gamal Abdel Nasser"/>
    <tag k="railway" v="station"/>
    <tag k="station" v="subway"/>
  </node>
  <node id="11" lat="30.0400" lon="31.2300"/>
  <node id="12" lat="30.0500" lon="31.2400"/>
  <node id="13" lat="30.0600" lon="31.2300"/>
  <way id="20">
    <nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="11"/>
    <tag k="name" v="Garden City"/>
    <tag k="alt_name" v="جاردن سيتي;Jardin"/>
    <tag k="place" v="neighbourhood"/>
  </way>
  <way id="21">
    <nd ref="11"/><nd ref="99"/>
    <tag k="name" v="Qasr al-Nil Street"/>
    <tag k="highway" v="secondary"/>
  </way>
  <relation id="30"><tag k="name" v="Cairo Metro Line 1"/></relation>
</osm>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_places", *args, stdout=out)
    return out.getvalue()


def test_it_imports_a_csv_file(tmp_path: Path) -> None:
    output = run(str(write(tmp_path, "places.csv", CSV)))
    assert "Created: 2. Updated: 0. Unchanged: 0." in output
    tahrir = NamedPlace.objects.get(external_id="1")
    assert (tahrir.kind, tahrir.source) == ("square", "csv")
    assert tahrir.alternative_names == ["ميدان التحرير", "Midan el-Tahrir"]


def test_a_reimport_updates_instead_of_duplicating(tmp_path: Path) -> None:
    run(str(write(tmp_path, "places.csv", CSV)))
    moved = CSV.replace("30.0444,31.2357", "30.0450,31.2360")
    output = run(str(write(tmp_path, "places.csv", moved)))
    assert "Created: 0. Updated: 1. Unchanged: 1." in output
    assert NamedPlace.objects.count() == 2
    assert NamedPlace.objects.get(external_id="1").latitude == 30.0450


def test_a_dry_run_changes_nothing(tmp_path: Path) -> None:
    output = run(str(write(tmp_path, "places.csv", CSV)), "--dry-run")
    assert "Dry run, nothing was changed. Would be created: 2." in output
    assert not NamedPlace.objects.exists()


def test_a_bad_row_rolls_back_everything_and_names_its_line(tmp_path: Path) -> None:
    bad = CSV + "3,Zamalek,north,31.2197,neighbourhood,\n"
    with pytest.raises(CommandError) as raised:
        run(str(write(tmp_path, "places.csv", bad)))
    assert "Nothing was imported. Errors in the file: 1." in str(raised.value)
    assert "Line 4: The latitude 'north' is not a number from -90 to 90." in str(raised.value)
    assert not NamedPlace.objects.exists()


def test_a_csv_file_reports_every_bad_row(tmp_path: Path) -> None:
    bad = CSV + ",,30,31,,\n4,Dokki,30,31,palace,\n2,Again,30,31,,\n"
    with pytest.raises(CommandError) as raised:
        run(str(write(tmp_path, "places.csv", bad)))
    message = str(raised.value)
    assert "Line 4: The name is empty." in message
    assert "Line 5: The kind 'palace' is not one of:" in message
    assert "Line 6: The id '2' appears earlier in the file." in message


def test_a_long_list_of_errors_is_cut_short(tmp_path: Path) -> None:
    bad = "name,latitude,longitude\n" + "Nowhere,100,0\n" * 25
    with pytest.raises(CommandError) as raised:
        run(str(write(tmp_path, "places.csv", bad)))
    message = str(raised.value)
    assert "Errors in the file: 25." in message
    assert "Line 21:" in message
    assert "Line 22:" not in message
    assert message.endswith("Errors not shown: 5.")


def test_a_csv_file_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="needs a header row with the columns name"):
        run(str(write(tmp_path, "places.csv", "title,lat,lon\nTahrir,30,31\n")))


def test_rows_without_an_id_are_updated_on_reimport(tmp_path: Path) -> None:
    rows = "name,latitude,longitude\nZamalek,30.0609,31.2197\n"
    run(str(write(tmp_path, "places.csv", rows)))
    output = run(str(write(tmp_path, "places.csv", rows)))
    assert "Created: 0. Updated: 0. Unchanged: 1." in output


def test_it_imports_a_geojson_file(tmp_path: Path) -> None:
    output = run(str(write(tmp_path, "places.geojson", json.dumps(GEOJSON))))
    assert "Created: 2." in output
    assert "Feature 3: It has no name, so it is skipped." in output
    tahrir = NamedPlace.objects.get(external_id="node/1")
    assert (tahrir.kind, tahrir.alternative_names) == ("square", ["Tahrir Square"])
    corniche = NamedPlace.objects.get(external_id="way/2")
    assert (corniche.latitude, corniche.longitude) == pytest.approx((30.05, 31.25))
    assert corniche.kind == "street"


def test_a_bad_geojson_feature_rolls_back_everything(tmp_path: Path) -> None:
    broken = json.loads(json.dumps(GEOJSON))
    broken["features"][1]["geometry"]["coordinates"] = [["east", "north"]]
    with pytest.raises(
        CommandError, match=re.escape("Feature 2: Its geometry has no valid coordinates.")
    ):
        run(str(write(tmp_path, "places.geojson", json.dumps(broken))))
    assert not NamedPlace.objects.exists()


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="The file is not valid JSON"):
        run(str(write(tmp_path, "places.geojson", "{not json")))


def test_it_imports_an_openstreetmap_extract(tmp_path: Path) -> None:
    output = run(str(write(tmp_path, "cairo.osm", OSM)))
    assert "Created: 2." in output
    assert "OSM way/21: some of its nodes are not in the file, so it is skipped." in output
    station = NamedPlace.objects.get(external_id="node/10")
    assert (station.kind, station.source) == ("metro_station", "osm")
    assert station.alternative_names == ["Gamal Abdel Nasser"]
    garden_city = NamedPlace.objects.get(external_id="way/20")
    assert (garden_city.latitude, garden_city.longitude) == pytest.approx((30.05, 31.2333333))
    assert garden_city.alternative_names == ["جاردن سيتي", "Jardin"]
    assert garden_city.kind == "neighbourhood"


def test_a_broken_openstreetmap_file_names_its_line(tmp_path: Path) -> None:
    broken = OSM.replace('<node id="11"', '<node id="11" <oops', 1)
    with pytest.raises(CommandError, match=re.escape("Line 9: the file is not valid OSM XML.")):
        run(str(write(tmp_path, "cairo.osm", broken)))
    assert not NamedPlace.objects.exists()


def test_an_openstreetmap_node_off_the_globe_rolls_back_everything(tmp_path: Path) -> None:
    broken = OSM.replace('lat="30.0536"', 'lat="130.0536"')
    with pytest.raises(
        CommandError, match=re.escape("OSM node/10: The latitude '130.0536' is not")
    ):
        run(str(write(tmp_path, "cairo.osm", broken)))
    assert not NamedPlace.objects.exists()


def test_it_links_places_to_the_named_city(tmp_path: Path) -> None:
    cairo = add_or_update_city("Cairo", "EG", 30.0444, 31.2357, "Africa/Cairo")
    run(str(write(tmp_path, "places.csv", CSV)), "--city", "Cairo")
    assert {place.city for place in NamedPlace.objects.all()} == {cairo}


def test_an_unknown_city_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=re.escape("There is no city named 'Atlantis'.")):
        run(str(write(tmp_path, "places.csv", CSV)), "--city", "Atlantis")


def test_the_format_option_overrides_the_extension(tmp_path: Path) -> None:
    output = run(str(write(tmp_path, "export.txt", CSV)), "--format", "csv")
    assert "Created: 2." in output


def test_a_file_of_unknown_extension_needs_a_format(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Give --format"):
        run(str(write(tmp_path, "export.txt", CSV)))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        run(str(tmp_path / "absent.csv"))


def test_the_console_command_runs_it_by_its_dashed_name(tmp_path: Path) -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SAFESPACES_", "DJANGO_")) and name != "DATABASE_URL"
    }
    done = subprocess.run(
        [str(Path(sys.executable).with_name("safespaces")), "import-places", "--help"],
        env=environment | {"SAFESPACES_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "--dry-run" in done.stdout
    assert "Import named places into the gazetteer" in done.stdout
