"""The moderation console's forms: queue filters, bulk changes and the edits of one report."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safespaces.reports.models import Category, Report
from safespaces.reports.validation import MAX_PLACE_CHARS, MAX_SHORT_TEXT_CHARS

MAX_SEARCH_CHARS = 200


def category_choices(active_only: bool) -> list[tuple[str, str]]:
    categories = Category.objects.all()
    if active_only:
        categories = categories.filter(is_active=True)
    language = get_language() or "en"
    return [(category.key, category.name(language)) for category in categories]


def set_choices(field: forms.Field, choices: list[tuple[str, Any]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    occurred_from = forms.DateField(
        label=_("Happened on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_until = forms.DateField(
        label=_("Happened on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    q = forms.CharField(
        label=_("Words in the description"), required=False, max_length=MAX_SEARCH_CHARS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        set_choices(self.fields["status"], anything + list(Report.Status.choices))
        set_choices(self.fields["category"], anything + category_choices(active_only=False))
        set_choices(self.fields["channel"], anything + list(Report.Channel.choices))
        set_choices(self.fields["language"], anything + list(settings.LANGUAGES))

    def filter(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        """The reports that match every filter given; all of them when the form is invalid."""
        if not self.is_valid():
            return reports
        data = self.cleaned_data
        exact = {
            "status": data["status"],
            "categories__key": data["category"],
            "channel": data["channel"],
            "language": data["language"],
            "occurred_on__gte": data["occurred_from"],
            "occurred_on__lte": data["occurred_until"],
            "description__icontains": data["q"].strip(),
        }
        given = {lookup: value for lookup, value in exact.items() if value}
        return reports.filter(**given).distinct() if given else reports


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Change the selected reports"),
        choices=[
            ("verify", _("Verify")),
            ("reject", _("Reject")),
            ("archive", _("Archive")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason for rejection"), required=False, max_length=MAX_SHORT_TEXT_CHARS
    )
    reports = forms.MultipleChoiceField(label=_("Reports"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any code may be posted; codes that name no report are skipped by the view.
        posted = self.data.getlist("reports") if hasattr(self.data, "getlist") else []
        set_choices(self.fields["reports"], [(code, code) for code in posted])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why these reports are rejected."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=MAX_SHORT_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CategoriesForm(forms.Form):
    """The active categories, and those of the report that have been made inactive since.

    A category a coordinator retired stays on the reports filed under it: it is shown, ticked,
    and kept unless the moderator unticks it.
    """

    categories = forms.MultipleChoiceField(
        label=_("Categories"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, kept: Collection[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = category_choices(active_only=True)
        retired = Category.objects.filter(key__in=kept, is_active=False)
        language = get_language() or "en"
        choices += [
            (category.key, _("%(name)s (no longer in use)") % {"name": category.name(language)})
            for category in retired
        ]
        set_choices(self.fields["categories"], choices)


class LocationForm(forms.Form):
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90.0, max_value=90.0)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180.0, max_value=180.0)
    place_text = forms.CharField(
        label=_("Place as given"), required=False, max_length=MAX_PLACE_CHARS
    )
    precision = forms.ChoiceField(label=_("Precision"), choices=Report.Precision.choices)


class MergeForm(forms.Form):
    duplicate = forms.CharField(label=_("Code of the duplicate report"), max_length=32)
