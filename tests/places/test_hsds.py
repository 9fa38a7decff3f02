"""places.hsds and `safespaces export-venues`: HSDS 3.0 out, and back in unchanged."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from safespaces.places.hsds import service_of
from safespaces.places.models import Organisation, Venue, VenueStatus
from safespaces.places.venue_import.hsds_hours import hours_from_schedules, schedules_from_hours
from tests.places.venues import a_venue, an_organisation

pytestmark = pytest.mark.django_db

COMPARED = (
    "name", "kind", "description", "address", "latitude", "longitude", "directions", "phone",
    "groups", "min_age", "max_age", "languages", "services", "wheelchair_accessible",
    "accessibility_notes", "opening_hours", "status",
)  # fmt: skip


def export() -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("export_venues", "--format", "hsds-json", stdout=out)
    services: list[dict[str, object]] = json.loads(out.getvalue())
    return services


def a_network() -> tuple[Organisation, list[Venue], Venue]:
    organisation = an_organisation("Safe Streets Cairo", phone="+20 2 2575 0000")
    public = [
        a_venue(organisation),
        a_venue(
            organisation,
            name="Zamalek Youth Centre",
            kind="drop_in",
            groups=["children_youth"],
            min_age=12,
            max_age=24,
            languages=["ar", "fr"],
            services=["counselling"],
            wheelchair_accessible=True,
            accessibility_notes="Ramp at the side door",
            directions="Behind the club",
            opening_hours="Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-14:00",
        ),
        a_venue(organisation, name="Night Clinic", kind="clinic", opening_hours="PH off; 24/7"),
    ]
    shelter = a_venue(
        organisation,
        name="Maadi Women's House",
        kind="shelter",
        confidential=True,
        address="9 Hidden Lane",
        latitude=29.9601,
        longitude=31.2569,
    )
    return organisation, public, shelter


def test_it_exports_public_venues_as_nested_services() -> None:
    organisation, public, _shelter = a_network()
    services = {service["name"]: service for service in export()}
    assert set(services) == {venue.name for venue in public}
    riche = services["Café Riche"]
    assert riche["id"] == str(public[0].id)
    assert riche["status"] == "inactive"
    assert riche["organization"]["name"] == organisation.name  # type: ignore[index]
    hotline = riche["organization"]["phones"][1]  # type: ignore[index]
    assert (hotline["number"], hotline["description"]) == ("+201001234567", "Hotline (24/7)")
    place = riche["service_at_locations"][0]  # type: ignore[index]
    assert place["location"]["addresses"][0]["address_1"] == "17 Talaat Harb Street"
    assert place["schedules"][0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert (place["schedules"][0]["opens_at"], place["schedules"][0]["closes_at"]) == (
        "10:00",
        "23:00",
    )
    assert [language["code"] for language in riche["languages"]] == ["ar", "en"]  # type: ignore[union-attr]


def test_hours_hsds_cannot_say_travel_as_a_schedule_description() -> None:
    _organisation, public, _shelter = a_network()
    schedules = service_of(public[2])["service_at_locations"][0]["schedules"]
    assert [schedule.get("description") for schedule in schedules] == ["PH off; 24/7"]
    assert "byday" not in schedules[0]


def test_no_confidential_venue_is_in_the_export() -> None:
    _organisation, _public, shelter = a_network()
    text = json.dumps(export())
    for secret in (shelter.name, str(shelter.id), "9 Hidden Lane", "29.9601", "31.2569"):
        assert secret not in text


def test_export_then_import_gives_back_the_same_venues(tmp_path: Path) -> None:
    _organisation, public, shelter = a_network()
    Venue.objects.filter(pk=public[0].pk).update(status=VenueStatus.ACTIVE)
    before = {venue.pk: venue for venue in Venue.objects.filter(confidential=False)}
    file = tmp_path / "directory.json"
    call_command("export_venues", "--output", str(file), stderr=io.StringIO())
    out = io.StringIO()
    call_command("import_venues", str(file), "--format", "hsds-json", stdout=out)
    assert "Created: 0. Updated: 0. Unchanged: 3. New organisations: 0." in out.getvalue()
    # Into an empty directory: the same fields again, in a new organisation of the same name.
    Venue.objects.all().delete()
    Organisation.objects.all().delete()
    out = io.StringIO()
    call_command("import_venues", str(file), "--format", "hsds-json", stdout=out)
    assert "Created: 3." in out.getvalue()
    for old in before.values():
        new = Venue.objects.get(source="hsds", external_id=str(old.pk))
        assert [getattr(new, name) for name in COMPARED] == [
            getattr(old, name) for name in COMPARED
        ]
        assert new.organisation.hotline == "+201001234567"
        assert new.organisation.hotline_is_24_7
    assert not Venue.objects.filter(name=shelter.name).exists()


@pytest.mark.parametrize(
    "hours",
    [
        "24/7",
        "Mo-Fr 09:00-18:00",
        "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-14:00",
        "Fr-Su 22:00-04:00",
        "Mo 08:00-10:00; We 08:00-10:00",
    ],
)
def test_weekly_hours_go_to_schedules_and_back(hours: str) -> None:
    schedules = schedules_from_hours(hours)
    assert schedules is not None
    assert hours_from_schedules(schedules) == hours


def test_a_later_rule_replaces_an_earlier_one_for_its_days() -> None:
    schedules = schedules_from_hours("Mo-Fr 09:00-18:00; Fr 10:00-12:00")
    assert schedules is not None
    assert hours_from_schedules(schedules) == "Mo-Th 09:00-18:00; Fr 10:00-12:00"


@pytest.mark.parametrize("hours", ["PH off; 24/7", "Jan-Mar Mo 10:00-12:00", "Mo-Fr 09:00+"])
def test_richer_hours_are_not_weekly_schedules(hours: str) -> None:
    assert schedules_from_hours(hours) is None
