"""The two forms of `/safe-spaces/<id>/feedback/`: flag a problem, or propose better details."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safespaces.places.feedback import MAX_NOTE_CHARS, editable_fields
from safespaces.places.models import FlagKind, Service, Venue
from safespaces.places.validation import MAX_HOURS_CHARS, MAX_LINE_CHARS, MAX_TEXT_CHARS

FLAG, EDIT = "flag", "edit"


class FlagForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is wrong?"), choices=FlagKind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Tell us more (optional). Do not write your name or phone number."),
        required=False,
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def edit_field(name: str) -> forms.Field:
    if name == "services":
        return forms.MultipleChoiceField(
            label=_("Services"),
            choices=Service.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    texts: dict[str, tuple[Any, int, bool]] = {
        "name": (_("Name"), MAX_LINE_CHARS, False),
        "phone": (_("Public phone"), MAX_LINE_CHARS, False),
        "directions": (_("How to get there"), MAX_LINE_CHARS, False),
        "description": (_("Description"), MAX_TEXT_CHARS, True),
        "accessibility_notes": (_("Accessibility notes"), MAX_LINE_CHARS, False),
        "opening_hours": (
            _("Opening hours, for example Mo-Fr 09:00-18:00"),
            MAX_HOURS_CHARS,
            False,
        ),
    }
    label, limit, long_text = texts[name]
    widget = forms.Textarea(attrs={"rows": 4}) if long_text else forms.TextInput
    return forms.CharField(label=label, required=False, max_length=limit, widget=widget)


class EditForm(forms.Form):
    """One field per detail the public may correct, filled with what we show today."""

    def __init__(self, venue: Venue, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", initial_values(venue))
        super().__init__(*args, **kwargs)
        for name in editable_fields(venue):
            self.fields[name] = edit_field(name)


def initial_values(venue: Venue) -> dict[str, object]:
    return {
        name: list(getattr(venue, name)) if name == "services" else getattr(venue, name)
        for name in editable_fields(venue)
    }
