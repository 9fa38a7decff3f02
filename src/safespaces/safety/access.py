"""Who may see which people at risk and their alerts.

Staff see a person only with the permission to watch people AND a membership of the person's
organisation. Superusers are not exempt: a database administrator is not a duty officer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from safespaces.places.models import Organisation
from safespaces.safety.models import Alert, ProtectedPerson, StaffMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

WATCH = "safety.watch_person"
MANAGE = "safety.manage_person"
ROSTER = "safety.manage_roster"


def organisations_of(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations the user is a member of (any role)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    member_of = StaffMembership.objects.filter(user_id=user.pk).values("organisation_id")
    return Organisation.objects.filter(pk__in=member_of)


def organisations_with(user: AnyUser, permission: str) -> QuerySet[Organisation]:
    if not user.is_authenticated or not user.has_perm(permission):  # type: ignore[attr-defined]
        return Organisation.objects.none()
    return organisations_of(user)


def people_visible_to(user: AnyUser) -> QuerySet[ProtectedPerson]:
    return ProtectedPerson.objects.filter(organisation__in=organisations_with(user, WATCH))


def alerts_visible_to(user: AnyUser) -> QuerySet[Alert]:
    return Alert.objects.filter(person__organisation__in=organisations_with(user, WATCH))


def can_watch(user: AnyUser, person: ProtectedPerson) -> bool:
    return organisations_with(user, WATCH).filter(pk=person.organisation_id).exists()


def can_manage(user: AnyUser, organisation: Organisation) -> bool:
    """Set up people, contacts, plans, ladders and networks of this organisation."""
    return organisations_with(user, MANAGE).filter(pk=organisation.pk).exists()


def can_manage_roster(user: AnyUser, organisation: Organisation) -> bool:
    return organisations_with(user, ROSTER).filter(pk=organisation.pk).exists()
