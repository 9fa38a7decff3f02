"""People at risk and the staff who belong to their organisation: each change atomic, audited.

Audit data names fields and ids only, never an alias, a number or a situation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.places.models import Organisation
from safespaces.safety.models import (
    EscalationLadder,
    ProtectedPerson,
    RiskLevel,
    StaffMembership,
    TrustedContact,
)
from safespaces.safety.validation import (
    MAX_ALIAS_CHARS,
    MAX_TEXT_CHARS,
    SafetyInvalid,
    email_address,
    language_code,
    optional_text,
    phone_number,
    pin_code,
    refuse,
    required_text,
    time_zone_name,
)
from safespaces.vault.blind_index import email_index, phone_index
from safespaces.vault.phones import InvalidPhoneNumber

if TYPE_CHECKING:
    from safespaces.accounts.models import User

PERSON_FIELDS = (
    "alias",
    "phone",
    "email",
    "language",
    "time_zone",
    "risk_level",
    "situation",
    "ladder",
    "active",
)


def clean_person_field(organisation: Organisation, name: str, value: Any) -> Any:
    """The value as stored, or SafetyInvalid naming the field."""
    if name == "alias":
        return required_text("alias", value, MAX_ALIAS_CHARS)
    if name == "phone":
        return phone_number("phone", value)
    if name == "email":
        return email_address("email", value)
    if name == "language":
        return language_code("language", value)
    if name == "time_zone":
        return time_zone_name("time_zone", value)
    if name == "risk_level":
        if value not in RiskLevel.values:
            raise refuse("risk_level", _("Choose one of the risk levels."))
        return value
    if name == "situation":
        return optional_text("situation", value, MAX_TEXT_CHARS)
    if name == "ladder":
        return ladder_of(organisation, value)
    if name == "active":
        return bool(value)
    raise refuse(name, _("This field cannot be changed here."))


def ladder_of(
    organisation: Organisation, ladder: EscalationLadder | None
) -> EscalationLadder | None:
    if ladder is not None and ladder.organisation_id != organisation.pk:
        raise refuse("ladder", _("Choose one of this organisation's ladders."))
    return ladder


def apply_person_fields(person: ProtectedPerson, fields: dict[str, Any]) -> list[str]:
    """Set the cleaned fields and their blind indexes; the names of those that changed."""
    changed = []
    for name, value in fields.items():
        cleaned = clean_person_field(person.organisation, name, value)
        current = getattr(person, name)
        if isinstance(cleaned, str):
            current = current or ""  # encrypted fields read None before their first value
        if current != cleaned:
            changed.append(name)
            setattr(person, name, cleaned)
    if "phone" in changed:
        person.phone_index = phone_index(person.phone) if person.phone else ""
    if "email" in changed:
        person.email_index = email_index(person.email) if person.email else ""
    return sorted(changed)


@transaction.atomic
def create_person(
    organisation: Organisation,
    *,
    alias: str,
    phone: str = "",
    email: str = "",
    language: str = "",
    risk_level: str = RiskLevel.MEDIUM,
    situation: str = "",
    pin: str = "",
    ladder: EscalationLadder | None = None,
    time_zone: str = "",
    actor: User | None,
) -> ProtectedPerson:
    person = ProtectedPerson(organisation=organisation, phone="", email="", situation="")
    apply_person_fields(
        person,
        {
            "alias": alias,
            "phone": phone,
            "email": email,
            "language": language,
            "time_zone": time_zone,
            "risk_level": risk_level,
            "situation": situation,
            "ladder": ladder,
        },
    )
    if pin:
        person.pin_hash = make_password(pin_code("pin", pin))
    person.save()
    record_event("person:create", actor, str(person.pk), {"organisation": str(organisation.pk)})
    return person


@transaction.atomic
def update_person(person: ProtectedPerson, *, actor: User | None, **fields: Any) -> ProtectedPerson:
    unknown = sorted(set(fields) - set(PERSON_FIELDS))
    if unknown:
        raise SafetyInvalid({name: _("This field cannot be changed here.") for name in unknown})
    changed = apply_person_fields(person, fields)
    if changed:
        person.save()
    record_event("person:update", actor, str(person.pk), {"fields": changed})
    return person


@transaction.atomic
def set_pin(person: ProtectedPerson, pin: str, *, actor: User | None) -> None:
    """The PIN that ends an alert ("I'm safe"), kept only as an Argon2 hash."""
    person.pin_hash = make_password(pin_code("pin", pin))
    person.save(update_fields=["pin_hash"])
    record_event("person:set_pin", actor, str(person.pk))


@transaction.atomic
def revoke_panic_link(person: ProtectedPerson, *, actor: User | None) -> None:
    """Every panic link given out before stops working; the next one made works."""
    ProtectedPerson.objects.filter(pk=person.pk).update(
        panic_link_version=F("panic_link_version") + 1
    )
    person.refresh_from_db(fields=["panic_link_version"])
    record_event("person:revoke_link", actor, str(person.pk))


def index_or_none(phone: str) -> str | None:
    try:
        return phone_index(phone)
    except InvalidPhoneNumber:
        return None


# Set while the worker routes a batch of messages: the blind indexes, among the batch's
# senders, of active people; a sender outside it is nobody's number, known without a query.
_people_among_senders: ContextVar[frozenset[str] | None] = ContextVar(
    "people_among_senders", default=None
)


@contextmanager
def people_looked_up(phone_indexes: Iterable[str]) -> Iterator[None]:
    """Within the block, person_by_phone asks the database only for numbers found here."""
    found = ProtectedPerson.objects.filter(phone_index__in=set(phone_indexes), active=True)
    token = _people_among_senders.set(frozenset(found.values_list("phone_index", flat=True)))
    try:
        yield
    finally:
        _people_among_senders.reset(token)


def person_by_phone(phone: str) -> ProtectedPerson | None:
    """The active person with this number (the most recently registered, if several)."""
    index = index_or_none(phone)
    return None if index is None else person_by_index(index)


def person_by_index(index: str) -> ProtectedPerson | None:
    """person_by_phone for a number's blind index (a correspondent's, say)."""
    looked_up = _people_among_senders.get()
    if looked_up is not None and index not in looked_up:
        return None
    people = ProtectedPerson.objects.filter(phone_index=index, active=True)
    return people.order_by("-created_at").first()


def contacts_by_phone(phone: str) -> list[TrustedContact]:
    index = index_or_none(phone)
    if index is None:
        return []
    contacts = TrustedContact.objects.select_related("person").filter(phone_index=index)
    return list(contacts.order_by("created_at"))


@transaction.atomic
def add_staff_membership(
    user: User, organisation: Organisation, *, actor: User | None
) -> StaffMembership:
    """The user may now see the organisation's people (with a role that allows it)."""
    membership, created = StaffMembership.objects.get_or_create(
        user=user, organisation=organisation
    )
    if created:
        record_event(
            "membership:add", actor, user.pseudonym, {"organisation": str(organisation.pk)}
        )
    return membership


@transaction.atomic
def remove_staff_membership(user: User, organisation: Organisation, *, actor: User | None) -> None:
    deleted, _by_model = StaffMembership.objects.filter(
        user=user, organisation=organisation
    ).delete()
    if deleted:
        record_event(
            "membership:remove", actor, user.pseudonym, {"organisation": str(organisation.pk)}
        )
