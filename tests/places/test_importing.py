"""`safespaces import-venues`: every format, dry runs, per-row errors, all or nothing."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safespaces.audit.models import AuditEvent
from safespaces.places.importing import OrganisationMissing, import_venues, read_venues
from safespaces.places.models import Organisation, Venue, VenueStatus
from tests.places.venues import a_venue, an_organisation

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_venues", *args, stdout=out)
    return out.getvalue()


def test_it_imports_our_csv_columns() -> None:
    an_organisation("Safe Streets Cairo")
    output = run(str(DATA / "venues.csv"), "--organisation", "Safe Streets Cairo")
    assert "Created: 3." in output
    riche = Venue.objects.get(source="csv", external_id="cr-1")
    assert riche.kind == "cafe"
    assert riche.groups == ["women", "children_youth"]
    assert riche.languages == ["ar", "en"]
    assert riche.wheelchair_accessible is True
    assert riche.phone == "+20223929793"
    assert riche.status == VenueStatus.ACTIVE
    assert riche.cell_7 != 0 and riche.cell_9 != 0
    youth = Venue.objects.get(external_id="cr-3")
    assert (youth.min_age, youth.max_age) == (12, 24)
    assert youth.opening_hours == "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-14:00"
    assert Venue.objects.get(external_id="cr-2").status == VenueStatus.PENDING


def test_it_updates_on_a_second_import_and_counts_unchanged() -> None:
    an_organisation("Safe Streets Cairo")
    run(str(DATA / "venues.csv"), "--organisation", "Safe Streets Cairo")
    output = run(str(DATA / "venues.csv"), "--organisation", "Safe Streets Cairo")
    assert "Created: 0. Updated: 0. Unchanged: 3." in output
    assert Venue.objects.count() == 3


def test_an_update_keeps_what_the_file_does_not_say(tmp_path: Path) -> None:
    organisation = an_organisation("Safe Streets Cairo")
    run(str(DATA / "venues.csv"), "--organisation", "Safe Streets Cairo")
    riche = Venue.objects.get(external_id="cr-1")
    riche.services = ["refuge", "phone", "food"]
    riche.save()
    smaller = tmp_path / "hours.csv"
    smaller.write_text(
        "id,name,latitude,longitude,kind,opening_hours\n"
        "cr-1,Café Riche,30.0478,31.2391,cafe,Mo-Su 09:00-23:00\n",
        encoding="utf-8",
    )
    output = run(str(smaller), "--organisation", organisation.name)
    assert "Updated: 1." in output
    riche.refresh_from_db()
    assert riche.opening_hours == "Mo-Su 09:00-23:00"
    assert riche.services == ["refuge", "phone", "food"]
    assert riche.address == "17 Talaat Harb Street"


def test_a_dry_run_reports_and_changes_nothing() -> None:
    an_organisation("Safe Streets Cairo")
    before = AuditEvent.objects.count()
    output = run(str(DATA / "venues.csv"), "--organisation", "Safe Streets Cairo", "--dry-run")
    assert "Dry run, nothing was changed. Would be created: 3." in output
    assert "Line 2: would create Café Riche." in output
    assert Venue.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_dry_run_of_an_update_names_the_venue() -> None:
    organisation = an_organisation("Safe Streets Cairo")
    run(str(DATA / "venues.csv"), "--organisation", organisation.name)
    Venue.objects.filter(external_id="cr-2").update(name="Old name")
    output = run(str(DATA / "venues.csv"), "--organisation", organisation.name, "--dry-run")
    assert "Line 3: would update Nile Pharmacy." in output
    assert "Would be updated: 1. Unchanged: 2." in output
    assert Venue.objects.get(external_id="cr-2").name == "Old name"


def test_errors_name_the_line_and_field_and_nothing_is_imported() -> None:
    an_organisation("Safe Streets Cairo")
    with pytest.raises(CommandError) as raised:
        run(str(DATA / "venues_with_errors.csv"), "--organisation", "Safe Streets Cairo")
    message = str(raised.value)
    assert "Nothing was imported. Errors in the file: 3." in message
    assert "Line 3, latitude: 'north' is not a number from -90.0 to 90.0." in message
    assert "Line 4, kind: This is not one of the allowed choices." in message
    assert "Line 4, opening_hours: These opening hours cannot be read." in message
    assert Venue.objects.count() == 0


def test_a_failure_while_storing_rolls_back_every_venue_before_it() -> None:
    """All or nothing even past reading: the second record's organisation is missing."""
    organisation = an_organisation("Safe Streets Cairo")
    parsed = read_venues(DATA / "venues.csv", "csv")
    assert not parsed.errors
    first = parsed.records[0]
    with pytest.raises(OrganisationMissing):
        import_venues([first, *parsed.records[1:]], "csv", organisation=None)
    assert Venue.objects.count() == 0
    summary = import_venues(parsed.records, "csv", organisation=organisation)
    assert summary.created == 3


def test_the_same_id_twice_is_an_error(tmp_path: Path) -> None:
    an_organisation("Safe Streets Cairo")
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "id,name,latitude,longitude\nx,One,30.0,31.0\nx,Two,30.1,31.1\n", encoding="utf-8"
    )
    with pytest.raises(
        CommandError, match=re.escape("Line 3, id: The id 'x' appears earlier in the file.")
    ):
        run(str(twice), "--organisation", "Safe Streets Cairo")


def test_rows_without_an_organisation_need_the_option() -> None:
    with pytest.raises(CommandError, match="give one with --organisation"):
        run(str(DATA / "venues.csv"))
    with pytest.raises(CommandError, match="There is no organisation named 'Nobody'"):
        run(str(DATA / "venues.csv"), "--organisation", "Nobody")


def test_it_imports_geojson_points_with_our_columns_or_osm_tags() -> None:
    an_organisation("Safe Streets Cairo")
    output = run(str(DATA / "venues.geojson"), "--organisation", "Safe Streets Cairo")
    assert "Created: 2." in output
    legal = Venue.objects.get(source="geojson", external_id="gj-1")
    assert (legal.kind, legal.latitude, legal.longitude) == ("legal_aid", 30.0444, 31.2357)
    assert legal.services == ["legal", "referral"] and legal.wheelchair_accessible
    clinic = Venue.objects.get(name="Garden City Clinic")
    assert clinic.kind == "clinic"
    assert clinic.address == "12 Kasr El Aini Street"
    assert clinic.external_id == "garden city clinic@30.03800,31.23200"


def test_a_feature_that_is_not_a_point_is_an_error_with_its_index(tmp_path: Path) -> None:
    an_organisation("Safe Streets Cairo")
    line = tmp_path / "line.geojson"
    line.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "A street"}, "geometry": {"type": "LineString", "coordinates": '
        "[[31.0, 30.0], [31.1, 30.1]]}}]}",
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError, match=re.escape("Feature 1, geometry: The geometry is not a Point.")
    ):
        run(str(line), "--organisation", "Safe Streets Cairo")


def test_it_imports_osm_xml_nodes_and_ways_with_venue_tags() -> None:
    an_organisation("Safe Streets Cairo")
    output = run(str(DATA / "venues.osm"), "--organisation", "Safe Streets Cairo")
    assert "Created: 3." in output
    cafe = Venue.objects.get(source="osm", external_id="node/1001")
    assert cafe.kind == "cafe"
    assert cafe.opening_hours == "Mo-Su 07:00-01:00"
    assert cafe.wheelchair_accessible and cafe.phone == "+20227361115"
    assert cafe.address == "31 26th of July Street"
    clinic = Venue.objects.get(external_id="way/2001")
    assert clinic.kind == "clinic"
    assert clinic.latitude == pytest.approx(30.0505)
    assert clinic.longitude == pytest.approx(31.2305)
    assert Venue.objects.get(external_id="node/1007").kind == "police"
    assert not Venue.objects.filter(name="Tahrir bus stop").exists()


def test_it_imports_overpass_json() -> None:
    an_organisation("Safe Streets Cairo")
    output = run(
        str(DATA / "overpass.json"), "--format", "osm", "--organisation", "Safe Streets Cairo"
    )
    assert "Created: 3." in output
    church = Venue.objects.get(external_id="node/3001")
    assert church.kind == "religious"
    campus = Venue.objects.get(external_id="way/4001")
    assert (campus.kind, campus.latitude, campus.longitude) == ("school", 30.027, 31.21)
    assert campus.accessibility_notes == "limited"
    assert Venue.objects.get(external_id="node/3002").kind == "shop"


def test_it_imports_hsds_json_with_its_organisation() -> None:
    output = run(str(DATA / "services.json"), "--format", "hsds-json")
    assert "Created: 2." in output and "New organisations: 1." in output
    assert "the language 'de' is not one this deployment lists" in output
    organisation = Organisation.objects.get(name="Nadeem Partner Network")
    assert organisation.hotline == "+201009998888" and organisation.hotline_is_24_7
    assert organisation.phone == "+20225750000"
    desk = Venue.objects.get(source="hsds", external_id="9a3e1c1e-8d1f-4c57-8f2b-1f2d3c4b5a61")
    assert desk.organisation == organisation
    assert desk.kind == "shelter"
    assert desk.status == VenueStatus.ACTIVE
    assert desk.opening_hours == "Mo-Fr 09:00-21:00; Sa 10:00-14:00"
    assert desk.address == "8 Champollion Street, Cairo, 11511"
    assert desk.directions == "Metro: Sadat, exit 3"
    assert desk.phone == "+20223911111"
    assert desk.languages == ["ar"]
    assert (desk.min_age, desk.max_age) == (16, None)
    assert desk.wheelchair_accessible and desk.accessibility_notes == "Lift to the first floor"
    legal = Venue.objects.get(name="Legal Advice Clinic")
    assert (legal.kind, legal.status) == ("legal_aid", VenueStatus.SUSPENDED)


def test_hsds_errors_name_the_service_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(
        '[{"id": "s1", "name": "No place", "status": "active", "service_at_locations": []},'
        ' {"id": "s2", "name": "Odd", "status": "open"}]',
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        run(str(broken), "--format", "hsds-json", "--organisation", an_organisation().name)
    message = str(raised.value)
    assert "Service 1, location: The service has no location with a latitude" in message
    assert "Service 2, status: The status must be active, inactive, defunct" in message


def test_it_imports_the_hsds_tables_from_a_folder() -> None:
    output = run(str(DATA / "hsds_tables"))
    assert "Created: 2." in output
    cafe = Venue.objects.get(source="hsds", external_id="svc-1")
    assert cafe.organisation.name == "Safe Streets Alexandria"
    assert cafe.organisation.hotline == "+2034800000"
    assert cafe.opening_hours == "Mo-Su 08:00-23:00"
    assert cafe.address == "120 Corniche Road, Alexandria, 21500"
    assert cafe.phone == "+2034811111"
    drop_in = Venue.objects.get(external_id="svc-2")
    assert drop_in.opening_hours == "Mo-Th 10:00-18:00; Su 10:00-18:00"
    assert (drop_in.min_age, drop_in.max_age, drop_in.status) == (14, 25, VenueStatus.PENDING)


def test_it_imports_the_hsds_tables_from_a_zip_and_names_csv_lines(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    shutil.copytree(DATA / "hsds_tables", folder)
    services = folder / "services.csv"
    services.write_text(
        services.read_text(encoding="utf-8").replace(",14,25", ",25,14"), encoding="utf-8"
    )
    archive = tmp_path / "directory.zip"
    with zipfile.ZipFile(archive, "w") as package:
        for table in folder.iterdir():
            package.write(table, f"hsds/{table.name}")
    with pytest.raises(CommandError) as raised:
        run(str(archive))
    assert "services.csv line 3, max_age: The oldest age served cannot be below" in str(
        raised.value
    )
    assert Venue.objects.count() == 0
    services.write_text(
        services.read_text(encoding="utf-8").replace(",25,14", ",14,25"), encoding="utf-8"
    )
    with zipfile.ZipFile(archive, "w") as package:
        for table in folder.iterdir():
            package.write(table, f"hsds/{table.name}")
    assert "Created: 2." in run(str(archive))


def test_a_confidential_venue_matched_by_an_import_keeps_its_address_hidden(
    tmp_path: Path,
) -> None:
    organisation = an_organisation("Safe Streets Cairo")
    shelter = a_venue(organisation, name="Women's house", kind="shelter", confidential=True)
    Venue.objects.filter(pk=shelter.pk).update(source="csv", external_id="sh-1")
    update = tmp_path / "shelter.csv"
    update.write_text(
        "id,name,kind,latitude,longitude,address\n"
        "sh-1,Women's house,shelter,30.0444,31.2357,9 Hidden Lane\n",
        encoding="utf-8",
    )
    run(str(update), "--organisation", organisation.name)
    shelter.refresh_from_db()
    assert shelter.confidential
    assert shelter.address == ""
    assert shelter.confidential_address == "9 Hidden Lane"
