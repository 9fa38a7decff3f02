"""Only the person's organisation's staff with the watch permission see the person."""

from __future__ import annotations

import pytest

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.safety.access import (
    alerts_visible_to,
    can_manage,
    can_manage_roster,
    can_watch,
    people_visible_to,
)
from safespaces.safety.actions import add_staff_membership, raise_alert
from tests.conftest import MakeStaff
from tests.places.venues import an_organisation
from tests.safety.setup import a_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.DUTY_OFFICER, Role.CASE_WORKER, Role.COORDINATOR])
def test_a_member_with_a_watching_role_sees_the_person_and_alerts(
    make_staff: MakeStaff, role: Role
) -> None:
    person = a_person()
    alert = raise_alert(person, trigger="panic_web")
    user = make_staff(role)
    add_staff_membership(user, person.organisation, actor=None)
    assert can_watch(user, person)
    assert list(people_visible_to(user)) == [person]
    assert list(alerts_visible_to(user)) == [alert]


def test_a_moderator_member_sees_nobody(bob: User) -> None:
    person = a_person()
    add_staff_membership(bob, person.organisation, actor=None)
    assert not can_watch(bob, person)
    assert not people_visible_to(bob).exists()


def test_staff_of_another_organisation_see_nobody(charlie: User) -> None:
    person = a_person()
    raise_alert(person, trigger="panic_web")
    add_staff_membership(charlie, an_organisation("Elsewhere"), actor=None)
    assert not can_watch(charlie, person)
    assert not people_visible_to(charlie).exists()
    assert not alerts_visible_to(charlie).exists()


def test_a_superuser_without_membership_sees_nobody(make_staff: MakeStaff) -> None:
    person = a_person()
    root = make_staff(None)
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    root.refresh_from_db()
    assert not can_watch(root, person)
    add_staff_membership(root, person.organisation, actor=None)
    assert can_watch(root, person)


def test_an_inactive_member_sees_nobody(charlie: User) -> None:
    person = a_person()
    add_staff_membership(charlie, person.organisation, actor=None)
    User.objects.filter(pk=charlie.pk).update(is_active=False)
    charlie.refresh_from_db()
    assert not can_watch(charlie, person)


def test_only_coordinators_manage_people_and_the_roster(alice: User, charlie: User) -> None:
    organisation = an_organisation()
    for user in (alice, charlie):
        add_staff_membership(user, organisation, actor=None)
    assert can_manage(alice, organisation)
    assert can_manage_roster(alice, organisation)
    assert not can_manage(charlie, organisation)
    assert not can_manage_roster(charlie, organisation)
