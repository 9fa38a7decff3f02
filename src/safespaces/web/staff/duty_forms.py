"""The forms of an alert's page in the duty console."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safespaces.safety.models import Outcome, SupportNetwork

MAX_NOTE_CHARS = 2000


def note_field(label: Any, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class NoteForm(forms.Form):
    text = note_field(_("Note"), required=True)


class CallForm(forms.Form):
    text = note_field(_("What was said (optional)"), required=False)


class NetworkForm(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Support network"), queryset=SupportNetwork.objects.none(), empty_label=None
    )

    def __init__(self, networks: QuerySet[SupportNetwork], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = note_field(_("Note (optional)"), required=False)
