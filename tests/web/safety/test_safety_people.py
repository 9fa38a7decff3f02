"""Setting up people at risk: details, contacts, plans and the panic link."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.outbox.models import Message
from safespaces.places.models import Organisation
from safespaces.safety.links import panic_token, person_for_panic_token
from safespaces.safety.models import (
    CheckInPlan,
    Consent,
    PlanKind,
    PlanState,
    ProtectedPerson,
    TrustedContact,
)
from tests.web.safety.conftest import a_contact, a_person

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
PEOPLE = "/staff/safety/people/"


def person_url(person: ProtectedPerson, rest: str = "") -> str:
    return f"{PEOPLE}{person.pk}/{rest}"


def test_a_coordinator_adds_a_person(
    coordinator: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    response = staff_client(coordinator).post(
        f"{PEOPLE}new/",
        {
            "organisation": organisation.pk,
            "alias": "Layla",
            "phone": "+201001234000",
            "language": "ar",
            "time_zone": "Africa/Cairo",
            "risk_level": "high",
            "situation": "Lawyer, threatened by phone.",
            "pin": "9137",
        },
    )
    person = ProtectedPerson.objects.get(alias="Layla")
    assert response.status_code == 302
    assert response.headers["Location"] == person_url(person)
    assert person.organisation == organisation
    assert person.phone == "+201001234000" and person.risk_level == "high"
    assert check_password("9137", person.pin_hash)


def test_a_refused_field_is_shown_beside_it(
    coordinator: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    response = staff_client(coordinator).post(
        f"{PEOPLE}new/",
        {"organisation": organisation.pk, "alias": "Layla", "risk_level": "high", "pin": "12"},
    )
    assert response.status_code == 200
    assert "A PIN has 4 to 32 characters." in response.content.decode()
    assert not ProtectedPerson.objects.exists()


def test_only_the_coordinators_organisations_are_offered(
    coordinator: User, other_organisation: Organisation, staff_client: StaffClient
) -> None:
    client = staff_client(coordinator)
    assert other_organisation.name not in client.get(f"{PEOPLE}new/").content.decode()
    response = client.post(
        f"{PEOPLE}new/", {"organisation": other_organisation.pk, "alias": "X", "risk_level": "low"}
    )
    assert response.status_code == 200
    assert not ProtectedPerson.objects.exists()


def test_people_of_another_organisation_are_not_found(
    coordinator: User, other_organisation: Organisation, staff_client: StaffClient
) -> None:
    elsewhere = a_person(other_organisation, alias="Rima")
    client = staff_client(coordinator)
    assert "Rima" not in client.get(PEOPLE).content.decode()
    for rest in ("", "edit/"):
        assert client.get(person_url(elsewhere, rest)).status_code == 404
    for rest in ("contacts/", "plans/", "panic-link/", "panic-link/revoke/"):
        assert client.post(person_url(elsewhere, rest), {"name": "x"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.panic_link_version == 1 and not elsewhere.contacts.exists()


def test_a_duty_officer_may_not_set_people_up(
    officer: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    client = staff_client(officer)
    assert client.get(PEOPLE).status_code == 403
    assert client.get(person_url(person)).status_code == 403


def test_editing_keeps_the_pin_unless_a_new_one_is_given(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    old_hash = person.pin_hash
    form = {"alias": "Noor B.", "risk_level": "critical", "language": "en"}
    staff_client(coordinator).post(person_url(person, "edit/"), form)
    person.refresh_from_db()
    assert person.alias == "Noor B." and person.risk_level == "critical"
    assert person.pin_hash == old_hash
    staff_client(coordinator).post(person_url(person, "edit/"), {**form, "pin": "55667"})
    person.refresh_from_db()
    assert check_password("55667", person.pin_hash)


def test_a_new_contact_is_asked_and_shown_as_asked(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    client = staff_client(coordinator)
    before = Message.objects.filter(purpose="safety:consent").count()
    response = client.post(
        person_url(person, "contacts/"),
        {"name": "Samir", "phone": "+201005550000", "channels": "sms", "codeword": "olive"},
    )
    assert response.status_code == 302
    contact = TrustedContact.objects.get(person=person)
    assert contact.consent == Consent.ASKED
    assert Message.objects.filter(purpose="safety:consent").count() == before + 1
    page = client.get(person_url(person)).content.decode()
    assert '<td class="consent-asked">Asked, no answer yet</td>' in page


def test_a_contact_is_removed(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    contact = a_contact(person)
    staff_client(coordinator).post(person_url(person, f"contacts/{contact.pk}/remove/"))
    assert not TrustedContact.objects.filter(pk=contact.pk).exists()


def test_a_recurring_plan_starts_and_can_pause_resume_and_end(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    client = staff_client(coordinator)
    response = client.post(
        person_url(person, "plans/"),
        {
            "kind": PlanKind.RECURRING,
            "due_time": "17:00",
            "weekdays": ["1", "3", "5"],
            "grace_minutes": "20",
            "checkin_word": "sunrise",
            "duress_word": "sunset",
        },
    )
    assert response.status_code == 302
    plan = CheckInPlan.objects.get(person=person)
    assert plan.weekdays == "135" and plan.grace_minutes == 20
    assert plan.next_deadline is not None
    for change, state in (("pause", "paused"), ("resume", "active"), ("end", "ended")):
        client.post(person_url(person, f"plans/{plan.pk}/{change}/"))
        plan.refresh_from_db()
        assert plan.state == PlanState(state)


def test_a_trip_deadline_is_read_in_the_plans_time_zone(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    tomorrow = timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=1)
    staff_client(coordinator).post(
        person_url(person, "plans/"),
        {
            "kind": PlanKind.TRIP,
            "deadline": f"{tomorrow.isoformat()}T18:30",
            "time_zone": "Asia/Beirut",
            "grace_minutes": "15",
        },
    )
    plan = CheckInPlan.objects.get(person=person)
    assert plan.next_deadline is not None
    local = plan.next_deadline.astimezone(ZoneInfo("Asia/Beirut"))
    assert (local.date(), local.hour, local.minute) == (tomorrow, 18, 30)


def test_a_recurring_plan_without_a_time_is_refused(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    response = staff_client(coordinator).post(
        person_url(person, "plans/"), {"kind": PlanKind.RECURRING, "grace_minutes": "15"}
    )
    assert response.status_code == 400
    assert "Give the time to check in by." in response.content.decode()
    assert not CheckInPlan.objects.exists()


def test_the_panic_link_is_shown_only_when_asked(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    client = staff_client(coordinator)
    token = panic_token(person)
    assert token not in client.get(person_url(person)).content.decode()
    response = client.post(person_url(person, "panic-link/"))
    page = response.content.decode()
    assert f"/help/panic/{token}/" in page
    assert "Anyone who has it can raise an alert for Noor." in page


def test_the_panic_link_is_in_the_persons_language(
    coordinator: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    person = a_person(organisation, alias="Yasmine", language="ar")
    page = staff_client(coordinator).post(person_url(person, "panic-link/")).content.decode()
    assert f"/ar/help/panic/{panic_token(person)}/" in page


def test_revoking_the_link_stops_every_link_given_before(
    coordinator: User, person: ProtectedPerson, staff_client: StaffClient
) -> None:
    old = panic_token(person)
    response = staff_client(coordinator).post(person_url(person, "panic-link/revoke/"))
    assert response.status_code == 302
    assert person_for_panic_token(old) is None
    person.refresh_from_db()
    assert person_for_panic_token(panic_token(person)) == person
