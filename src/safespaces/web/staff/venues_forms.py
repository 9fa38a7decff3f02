"""Forms of the venue console; the actions check everything again and have the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.places.languages import SPOKEN_LANGUAGES
from safespaces.places.models import Group, Organisation, Service, Venue, VenueKind, VenueStatus
from safespaces.places.validation import (
    MAX_HOURS_CHARS,
    MAX_LINE_CHARS,
    MAX_NAME_CHARS,
    MAX_PHONE_CHARS,
    MAX_REASON_CHARS,
    MAX_TEXT_CHARS,
    OrganisationDetails,
    VenueDetails,
    VenueInvalid,
)

DATE = forms.DateInput(attrs={"type": "date"})


class RefusalMixin:
    """Shows an action's refusal on the fields it names."""

    def refused(self, error: VenueInvalid) -> None:
        for name, message in error.errors.items():
            field = name if name in self.fields else None  # type: ignore[attr-defined]
            self.add_error(field, message)  # type: ignore[attr-defined]


class OrganisationForm(RefusalMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME_CHARS)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=MAX_PHONE_CHARS, required=False)
    hotline = forms.CharField(
        label=_("Hotline"),
        max_length=MAX_PHONE_CHARS,
        required=False,
        help_text=_("What the public gets instead of the address of a confidential venue."),
    )
    hotline_is_24_7 = forms.BooleanField(
        label=_("The hotline answers day and night"), required=False
    )

    def details(self) -> OrganisationDetails:
        return OrganisationDetails(**self.cleaned_data)


def organisation_initial(organisation: Organisation) -> dict[str, Any]:
    return {name: getattr(organisation, name) for name in OrganisationForm.base_fields}


class VenueForm(RefusalMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME_CHARS)
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    confidential = forms.BooleanField(
        label=_("Confidential: the address and point never leave the vetted roles"),
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=MAX_LINE_CHARS, required=False)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    directions = forms.CharField(
        label=_("How to get there"), max_length=MAX_LINE_CHARS, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_TEXT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(label=_("Public phone"), max_length=MAX_PHONE_CHARS, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone for status polls and heads-ups (never public)"),
        max_length=MAX_PHONE_CHARS,
        required=False,
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=MAX_HOURS_CHARS,
        required=False,
        help_text=_(
            "In OpenStreetMap syntax: “Mo-Fr 09:00-18:00; Sa 10:00-14:00”, “24/7”, "
            "“Mo-Su 22:00-06:00”, “Sa-Th 09:00-17:00; Fr off; PH off”."
        ),
    )
    groups = forms.MultipleChoiceField(
        label=_("Who it serves (none ticked: everyone)"),
        choices=Group.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("Youngest age served"), required=False, min_value=0)
    max_age = forms.IntegerField(label=_("Oldest age served"), required=False, min_value=0)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wheelchair_accessible = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Accessibility notes"), max_length=MAX_LINE_CHARS, required=False
    )
    heads_up = forms.BooleanField(
        label=_("Send the venue a heads-up when we direct someone there"), required=False
    )

    def details(self) -> VenueDetails:
        data = dict(self.cleaned_data)
        organisation = data.pop("organisation")
        return VenueDetails(organisation_id=str(organisation.pk), **data)


def venue_initial(venue: Venue) -> dict[str, Any]:
    """The form as the venue stands; the address from wherever its confidentiality keeps it."""
    initial = {
        name: getattr(venue, name) for name in VenueForm.base_fields if name != "organisation"
    }
    initial["organisation"] = venue.organisation_id
    initial["address"] = (venue.confidential_address or "") if venue.confidential else venue.address
    initial["contact_phone"] = venue.contact_phone or ""
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (seen only by staff)"), max_length=MAX_REASON_CHARS)


class PledgeForm(RefusalMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    renewal_due = forms.DateField(
        label=_("Renewal due (a year after signing if left empty)"), required=False, widget=DATE
    )
    commitments = forms.CharField(
        label=_("Commitments"),
        max_length=MAX_TEXT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TrainedStaffForm(RefusalMixin, forms.Form):
    name = forms.CharField(label=_("Name (kept encrypted)"), max_length=MAX_NAME_CHARS)
    trained_on = forms.DateField(label=_("Trained on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Training expires (two years after if left empty)"), required=False, widget=DATE
    )


class VisitForm(RefusalMixin, forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE, initial=timezone.localdate)
    passed = forms.BooleanField(label=_("The venue passed the visit"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=MAX_TEXT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


ATTENTION = (
    ("", _("Any")),
    ("pledge", _("Pledge renewal due")),
    ("training", _("Training expiring")),
    ("visit", _("Visit due")),
    ("flags", _("Open flags")),
)


class VenueFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=MAX_NAME_CHARS)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *VenueStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *VenueKind.choices]
    )
    attention = forms.ChoiceField(label=_("Needs attention"), required=False, choices=ATTENTION)
