"""The two steps of the public reporting form, and how a typed place becomes a location.

Step one asks what, where and when; step two, which a reporter may skip, asks about them and
their consent. Both are re-checked together by `validate_submission` when the report is sent.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from safespaces.geo.gazetteer.search import search_places
from safespaces.geo.models import NamedPlace
from safespaces.reports.locating import KIND_PRECISION
from safespaces.reports.models import Category, Report
from safespaces.reports.validation import (
    MAX_CONTACT_CHARS,
    MAX_DESCRIPTION_CHARS,
    MAX_PLACE_CHARS,
    MAX_SHORT_TEXT_CHARS,
    ReportInvalid,
    ReportSubmission,
    local_now,
    validate_submission,
)

Precision = Report.Precision
# A web key: "web:" and a token the form made, so no other channel's key can be named here.
KEY_PREFIX = "web:"
KEY_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_PLACE_CHOICES = 5
TEXT_ONLY = "text"
# Validation names the point's parts and "location"; the form shows them by the place field.
LOCATION_ERRORS = ("latitude", "longitude", "location", "precision")
POINT_FIELDS = ("latitude", "longitude", "point_precision")


def new_submission_key() -> str:
    return secrets.token_urlsafe(32)


def submission_key_of(data: QueryDict) -> str | None:
    """The form's own key, or None when it is missing or not one the form could have made."""
    token = data.get("submission_key", "")
    return token if KEY_TOKEN.match(token) else None


def today() -> datetime.date:
    return local_now().date()


class WhatWhereWhen(forms.Form):
    """Step one: what happened, where and when, and who is telling us."""

    categories = forms.MultipleChoiceField(
        label=gettext_lazy("What happened?"),
        help_text=gettext_lazy("Choose every description that fits."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one category.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Tell us what happened, in your own words."),
        help_text=gettext_lazy(
            "This is optional. Please do not write your name or anyone else's name."
        ),
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reporter_role = forms.ChoiceField(
        label=gettext_lazy("Who is reporting?"),
        choices=Report.ReporterRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Say whether it happened to you or to someone else.")
        },
    )
    place_text = forms.CharField(
        label=gettext_lazy("Where did it happen?"),
        help_text=gettext_lazy(
            "Type a street, a square, a station or a landmark nearby. We will check it with you."
        ),
        required=False,
        max_length=MAX_PLACE_CHARS,
    )
    latitude = forms.FloatField(
        required=False, min_value=-90.0, max_value=90.0, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180.0, max_value=180.0, widget=forms.HiddenInput
    )
    point_precision = forms.ChoiceField(
        required=False,
        choices=[("", ""), *Precision.choices],
        widget=forms.HiddenInput,
    )
    occurred_on = forms.DateField(
        label=gettext_lazy("On what day did it happen?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Give the day it happened.")},
    )
    occurred_on_estimated = forms.BooleanField(
        label=gettext_lazy("I am not sure of the day."), required=False
    )
    time_from = forms.TimeField(
        label=gettext_lazy("At what time did it happen, or start?"),
        help_text=gettext_lazy("This is optional."),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_to = forms.TimeField(
        label=gettext_lazy("Until what time did it go on?"),
        help_text=gettext_lazy("This is optional: give it if it went on for a while."),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_estimated = forms.BooleanField(
        label=gettext_lazy("I am not sure of the time."), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        categories_field = self.fields["categories"]
        assert isinstance(categories_field, forms.MultipleChoiceField)
        categories_field.choices = [
            (category.key, category.name(language))
            for category in Category.objects.filter(is_active=True)
        ]
        self.fields["occurred_on"].widget.attrs["max"] = today().isoformat()
        self.fields["occurred_on"].initial = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_point = cleaned.get("latitude") is not None and cleaned.get("longitude") is not None
        faulty_point = any(name in self.errors for name in POINT_FIELDS)
        if faulty_point and "place_text" not in self.errors:
            self.add_error(
                "place_text",
                _("The point chosen on the map is not valid. Choose it again, or type a place."),
            )
        elif not has_point and not cleaned.get("place_text") and "place_text" not in self.errors:
            self.add_error(
                "place_text", _("Say where it happened: type a place or choose a point on the map.")
            )
        if "occurred_on" in cleaned and "reporter_role" in cleaned:
            self.check_as_a_report(cleaned)
        return cleaned

    def check_as_a_report(self, cleaned: dict[str, Any]) -> None:
        """The domain's own checks (a future time in the deployment's zone, and the rest)."""
        try:
            validate_submission(submission_of(cleaned, {}, Location.of(cleaned)))
        except ReportInvalid as invalid:
            for name, message in invalid.errors.items():
                target = "place_text" if name in LOCATION_ERRORS else name
                if target in self.fields and target not in self.errors:
                    self.add_error(target, message)


class AboutYou(forms.Form):
    """Step two, all optional: about the reporter, what others did, consent and contact."""

    age_range = forms.ChoiceField(
        label=gettext_lazy("How old is the person it happened to?"),
        choices=[("", gettext_lazy("I prefer not to say.")), *Report.AgeRange.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("What is the gender of the person it happened to?"),
        choices=[("", gettext_lazy("I prefer not to say.")), *Report.Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    intervention = forms.ChoiceField(
        label=gettext_lazy("Did anyone step in to help?"),
        choices=Report.Intervention.choices,
        initial=Report.Intervention.UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    intervention_how = forms.CharField(
        label=gettext_lazy("If someone stepped in, what did they do?"),
        required=False,
        max_length=MAX_SHORT_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_public = forms.BooleanField(
        label=gettext_lazy("You may show this report publicly, in anonymised form."),
        help_text=gettext_lazy(
            "The public map and list would show the categories, the date and time, what you "
            "wrote, and a location moved a few hundred metres at random. They never show your "
            "contact details, the place you typed or the exact point."
        ),
        required=False,
    )
    consent_partners = forms.BooleanField(
        label=gettext_lazy("You may share this report with the organisations we work with."),
        help_text=gettext_lazy(
            "Partners such as support services and researchers would see the report, but not "
            "your contact details."
        ),
        required=False,
    )
    contact = forms.CharField(
        label=gettext_lazy("How can we reach you, if you would like us to follow up?"),
        help_text=gettext_lazy(
            "This is optional: a phone number or an email address. It is stored encrypted, "
            "only our staff can read it, and it is deleted once it is no longer needed."
        ),
        required=False,
        max_length=MAX_CONTACT_CHARS,
    )

    def clean_intervention(self) -> str:
        value: str = self.cleaned_data.get("intervention") or Report.Intervention.UNKNOWN
        return value


@dataclass(frozen=True)
class Location:
    """Where the report happened, as the form settled it."""

    latitude: float | None
    longitude: float | None
    precision: str
    place_text: str

    @classmethod
    def of(cls, cleaned: dict[str, Any]) -> Location:
        """The point the map or the device gave, or the reporter's words alone."""
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        text = cleaned.get("place_text", "")
        if latitude is None or longitude is None:
            return cls(None, None, Precision.CITY, text)
        return cls(latitude, longitude, cleaned.get("point_precision") or Precision.EXACT, text)


@dataclass(frozen=True)
class PlaceQuestion:
    """Which of these places did the reporter mean? Asked until they answer."""

    query: str
    places: list[NamedPlace] = field(default_factory=list)
    answered: bool = False
    choice: str = ""
    error: str = ""

    def chosen(self) -> NamedPlace | None:
        return next((place for place in self.places if str(place.pk) == self.choice), None)


def ask_about_place(text: str, data: QueryDict) -> PlaceQuestion:
    """The places matching the typed text, with the reporter's answer if they gave one for it."""
    places = [match.place for match in search_places(text, limit=MAX_PLACE_CHOICES)]
    answered = data.get("place_query", "").strip() == text
    return PlaceQuestion(text, places, answered, data.get("place_choice", "") if answered else "")


def settle_location(cleaned: dict[str, Any], data: QueryDict) -> Location | PlaceQuestion:
    """A point from the map, or the typed place once the reporter confirmed what they meant."""
    if cleaned.get("latitude") is not None and cleaned.get("longitude") is not None:
        return Location.of(cleaned)
    text: str = cleaned["place_text"]
    question = ask_about_place(text, data)
    if not question.answered:
        return question
    if question.choice == TEXT_ONLY:
        return Location.of(cleaned)
    chosen = question.chosen()
    if chosen is None:
        return replace(question, error=place_question_error(question.places))
    return Location(chosen.latitude, chosen.longitude, KIND_PRECISION[chosen.kind], text)


def place_question_error(places: list[NamedPlace]) -> str:
    if places:
        return _("Choose the place you meant, or keep your own words.")
    return _("Change the place, or tick the box to send your words alone.")


def submission_of(one: dict[str, Any], two: dict[str, Any], location: Location) -> ReportSubmission:
    """The report as the two steps gave it, for the web channel in the page's language."""
    return ReportSubmission(
        categories=list(one.get("categories", [])),
        occurred_on=one["occurred_on"],
        reporter_role=one["reporter_role"],
        channel=Report.Channel.WEB,
        description=one.get("description", ""),
        occurred_on_estimated=one.get("occurred_on_estimated", False),
        time_from=one.get("time_from"),
        time_to=one.get("time_to"),
        time_estimated=one.get("time_estimated", False),
        age_range=two.get("age_range", ""),
        gender=two.get("gender", ""),
        intervention=two.get("intervention") or Report.Intervention.UNKNOWN,
        intervention_how=two.get("intervention_how", ""),
        latitude=location.latitude,
        longitude=location.longitude,
        place_text=location.place_text,
        precision=location.precision,
        language=get_language() or "en",
        consent_public=two.get("consent_public", False),
        consent_partners=two.get("consent_partners", False),
        contact=two.get("contact", ""),
    )


def carried_values(form_class: type[forms.Form], data: QueryDict) -> list[tuple[str, str]]:
    """The raw values of another step's fields, to carry along as hidden inputs."""
    return [(name, value) for name in form_class.base_fields for value in data.getlist(name)]
