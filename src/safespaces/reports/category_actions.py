"""Coordinators' changes to the taxonomy: add, edit, (de)activate, load a shipped preset.

Each change is atomic and writes its audit event. A category is never deleted: reports keep
the categories they were filed under, so retiring one means deactivating it. Its key never
changes either: exports and the API name categories by key, and a preset loaded again would
bring a renamed preset key back as a second category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.reports.actions import load_preset
from safespaces.reports.models import Category
from safespaces.reports.taxonomy import LANGUAGES, preset

if TYPE_CHECKING:
    from safespaces.accounts.models import User

KEY_SHAPE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
MAX_KEY_CHARS = 64
MAX_NAME_CHARS = 120


class CategoryInvalid(ValueError):
    """The change was refused; `field` names the faulty field and the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CategoryDetails:
    """What a coordinator may set on a category: its names, its place in lists, its state."""

    names: dict[str, str]
    order: int
    is_active: bool = True


def check_key(key: str) -> str:
    if not KEY_SHAPE.match(key) or len(key) > MAX_KEY_CHARS:
        raise CategoryInvalid(
            "key",
            _(
                "A key is made of lowercase letters and digits, with single hyphens or "
                "underscores between them, at most 64 characters."
            ),
        )
    return key


def cleaned_fields(details: CategoryDetails) -> dict[str, str | int | bool]:
    """The model fields for these details, or CategoryInvalid naming the first fault."""
    fields: dict[str, str | int | bool] = {}
    for language in LANGUAGES:
        name = " ".join(details.names.get(language, "").split())
        if not name:
            raise CategoryInvalid(f"name_{language}", _("Give the name in every language."))
        if len(name) > MAX_NAME_CHARS:
            raise CategoryInvalid(f"name_{language}", _("A name is at most 120 characters long."))
        fields[f"name_{language}"] = name
    if details.order < 0:
        raise CategoryInvalid("order", _("The order is zero or a positive number."))
    fields["order"] = details.order
    fields["is_active"] = details.is_active
    return fields


@transaction.atomic
def create_category(actor: User, key: str, details: CategoryDetails) -> Category:
    """A new category of no preset; its key is final."""
    key = check_key(key.strip())
    fields = cleaned_fields(details)
    taken = CategoryInvalid("key", _("Another category already has this key."))
    if Category.objects.filter(key=key).exists():
        raise taken
    try:
        with transaction.atomic():
            category = Category.objects.create(key=key, preset="", **fields)
    except IntegrityError:  # created at the same moment by someone else
        raise taken from None
    record_event("category:create", actor, key, {"active": category.is_active})
    return category


@transaction.atomic
def update_category(actor: User, category: Category, details: CategoryDetails) -> Category:
    """Change the names, order or state; an event lists the fields that changed, if any."""
    fields = cleaned_fields(details)
    current = Category.objects.select_for_update().get(pk=category.pk)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if changed:
        for name in changed:
            setattr(current, name, fields[name])
        current.save(update_fields=changed)
        record_event("category:update", actor, current.key, {"changed": changed})
    return current


@transaction.atomic
def load_preset_for(actor: User, key: str) -> int:
    """Load a shipped preset, adding only its missing categories; the number added.

    Loading again changes nothing: categories already there keep what coordinators made of
    them, including being inactive.
    """
    chosen = preset(key)  # UnknownPreset for a key no preset has
    before = Category.objects.filter(key__in=[term.key for term in chosen.terms]).count()
    load_preset(chosen.key, actor)
    return len(chosen.terms) - before
