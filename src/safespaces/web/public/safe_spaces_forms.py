"""The safe-space finder's form: where (a typed place, or a point from the device) and filters.

A typed place is matched in the gazetteer. A clear match is used at once, since someone in
danger should not answer a question first; otherwise the visitor chooses among the matches,
as on the report form.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safespaces.geo.gazetteer.search import search_places
from safespaces.geo.models import NamedPlace
from safespaces.places.languages import SPOKEN_LANGUAGES
from safespaces.places.models import Group, Service
from safespaces.web.public.reporting_forms import PlaceQuestion, ask_about_place

MAX_PLACE_CHARS = 200
# A typed place is taken without asking when its match is this good and beats the next one.
CLEAR_MATCH_SCORE = 0.95
NOW, AT = "now", "at"


class FinderForm(forms.Form):
    place = forms.CharField(
        label=gettext_lazy("Where are you?"),
        help_text=gettext_lazy("Type a street, a square, a station or a landmark nearby."),
        required=False,
        max_length=MAX_PLACE_CHARS,
    )
    latitude = forms.FloatField(
        required=False, min_value=-90.0, max_value=90.0, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180.0, max_value=180.0, widget=forms.HiddenInput
    )
    service = forms.ChoiceField(
        label=gettext_lazy("What do you need?"),
        choices=[("", gettext_lazy("Anything")), *Service.choices],
        required=False,
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Who is it for?"),
        choices=[("", gettext_lazy("Anyone")), *Group.choices],
        required=False,
    )
    when = forms.ChoiceField(
        label=gettext_lazy("When?"),
        choices=[(NOW, gettext_lazy("Open now")), (AT, gettext_lazy("Open at this time:"))],
        initial=NOW,
        required=False,
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=gettext_lazy("Day and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    accessible = forms.BooleanField(label=gettext_lazy("Wheelchair accessible"), required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language spoken"),
        choices=[("", gettext_lazy("Any language")), *SPOKEN_LANGUAGES],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_point = cleaned.get("latitude") is not None and cleaned.get("longitude") is not None
        if not has_point and not cleaned.get("place") and "place" not in self.errors:
            self.add_error("place", _("Type a place, or use your location."))
        if cleaned.get("when") == AT and cleaned.get("at") is None and "at" not in self.errors:
            self.add_error("at", _("Give the day and time you want the place to be open."))
        return cleaned

    def search_time(self) -> datetime.datetime | None:
        """None for now; otherwise the time asked for, in the deployment's time zone."""
        moment = self.cleaned_data.get("at")
        if self.cleaned_data.get("when") != AT or moment is None:
            return None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@dataclass(frozen=True)
class Located:
    latitude: float
    longitude: float
    place: NamedPlace | None = None  # the gazetteer place, when the visitor typed one
    others: tuple[NamedPlace, ...] = ()  # other matches, to offer if the first was not it


def clear_match(text: str) -> Located | None:
    """The place meant, when the gazetteer has no doubt about it."""
    matches = search_places(text, limit=5)
    if not matches:
        return None
    first, rest = matches[0], matches[1:]
    if rest and (first.score < CLEAR_MATCH_SCORE or rest[0].score >= first.score):
        return None
    place = first.place
    return Located(place.latitude, place.longitude, place, tuple(m.place for m in rest))


def locate(cleaned: dict[str, Any], data: QueryDict) -> Located | PlaceQuestion:
    """A point from the device, the place chosen among matches, a clear match, or a question."""
    if cleaned.get("latitude") is not None and cleaned.get("longitude") is not None:
        return Located(cleaned["latitude"], cleaned["longitude"])
    text: str = cleaned["place"]
    question = ask_about_place(text, data)
    chosen = question.chosen() if question.answered else None
    if chosen is not None:
        return Located(chosen.latitude, chosen.longitude, chosen)
    if not question.answered:
        clear = clear_match(text)
        if clear is not None:
            return clear
    return question
