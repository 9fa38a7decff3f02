"""The public map at /map/ and one published report at /reports/<public_id>/.

Everything works without JavaScript: the filter form, the paged list and the summaries are
drawn by the server; map.js adds the Leaflet map over the same filters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from safespaces.accounts.throttle import client_bucket
from safespaces.geo.aggregation import map_min_count
from safespaces.geo.models import City
from safespaces.reports.actions import ReportNotFound, express_support
from safespaces.reports.models import Category, Report
from safespaces.reports.queries import (
    POINTS_ZOOM,
    FiltersInvalid,
    PublicFilters,
    area_counts,
    area_name,
    category_counts,
    check_filters,
    published_report,
    report_list,
)
from safespaces.web import tiles

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 20
# "This happened to me too": per client bucket (a keyed hash, never the address).
SUPPORT_PER_REPORT_PER_DAY = 3
SUPPORT_PER_HOUR = 30
DEFAULT_CENTRE = (20.0, 0.0)


DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def hour_field(label: StrOrPromise) -> forms.TypedChoiceField:
    hours = [("", _("Any time")), *((str(hour), f"{hour:02d}:00") for hour in range(24))]
    return forms.TypedChoiceField(
        label=label, required=False, choices=hours, coerce=int, empty_value=None
    )


class MapFilterForm(forms.Form):
    """The filters of the map and list, by the same names as the cells API's parameters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or settings.LANGUAGE_CODE
        kinds = [
            ("", _("All kinds")),
            *(
                (category.key, category.name(language))
                for category in Category.objects.filter(is_active=True)
            ),
        ]
        # "from" is a Python keyword, so the fields are added by name rather than declared.
        self.fields["category"] = forms.ChoiceField(
            label=_("Kind of incident"), required=False, choices=kinds
        )
        self.fields["from"] = forms.DateField(
            label=_("Happened on or after"), required=False, widget=DATE_INPUT
        )
        self.fields["to"] = forms.DateField(
            label=_("Happened on or before"), required=False, widget=DATE_INPUT
        )
        self.fields["hour_from"] = hour_field(_("Starting from"))
        self.fields["hour_to"] = hour_field(_("Starting until"))

    def filters(self) -> PublicFilters:
        data = self.cleaned_data
        return PublicFilters(
            category=data.get("category") or None,
            occurred_from=data.get("from"),
            occurred_to=data.get("to"),
            hour_from=data.get("hour_from"),
            hour_to=data.get("hour_to"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                check_filters(self.filters())
            except FiltersInvalid as error:
                for name, message in error.errors.items():
                    self.add_error(name if name in self.fields else None, message)
        return cleaned


def map_centre() -> tuple[float, float, int]:
    city = City.objects.first()
    if city is None:
        return (*DEFAULT_CENTRE, 2)
    return (city.latitude, city.longitude, 12)


def unprefixed(name: str, **kwargs: Any) -> str:
    """A URL without a language prefix: the API and the tiles are the same in every language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


def map_settings() -> dict[str, Any]:
    latitude, longitude, zoom = map_centre()
    tile_url = ""
    if settings.SAFESPACES_TILE_URL:
        tile_url = unprefixed("public:map_tile", z=0, x=0, y=0).replace(
            "/0/0/0.png", "/{z}/{x}/{y}.png"
        )
    return {
        "latitude": latitude,
        "longitude": longitude,
        "zoom": zoom,
        "points_zoom": POINTS_ZOOM,
        "cells_url": reverse("api:map_cells"),
        "places_url": reverse("api:map_places"),
        "tile_url": tile_url,
        "attribution": settings.SAFESPACES_TILE_ATTRIBUTION,
    }


def page_links(request: HttpRequest, page: Page[Report]) -> dict[str, str]:
    """Links to the neighbouring pages that keep the visitor's filters."""
    kept = [(name, value) for name, value in request.GET.items() if name != "page" and value]
    links = {}
    if page.has_previous():
        links["previous"] = "?" + urlencode([*kept, ("page", page.previous_page_number())])
    if page.has_next():
        links["next"] = "?" + urlencode([*kept, ("page", page.next_page_number())])
    return links


def category_names(report: Report, language: str) -> list[str]:
    return [category.name(language) for category in report.categories.all()]


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    form = MapFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.filters() if valid else PublicFilters()
    k = map_min_count()
    language = get_language() or settings.LANGUAGE_CODE
    page = Paginator(report_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filtered": valid and filters != PublicFilters(),
        "page": page,
        "listed": [(report, category_names(report, language)) for report in page.object_list],
        "page_links": page_links(request, page),
        "category_counts": [
            {"name": item.category.name(language), "count": item.count}
            for item in category_counts(filters)
        ],
        "area_counts": area_counts(filters, k),
        "min_count": k,
        "map": map_settings(),
    }
    return render(request, "public/map/map.html", context, status=200 if valid else 400)


def uncertainty_metres() -> int:
    """A circle holding about nine in ten displaced points: twice the mean displacement."""
    return round(2 * settings.SAFESPACES_LOCATION_MEAN_DISPLACEMENT_METRES)


def report_or_404(public_id: str) -> Report:
    report = published_report(public_id)
    if report is None:
        raise Http404
    return report


def render_report(request: HttpRequest, report: Report, status: int = 200) -> HttpResponse:
    assert report.public_latitude is not None and report.public_longitude is not None
    language = get_language() or settings.LANGUAGE_CODE
    context = {
        "report": report,
        "category_names": category_names(report, language),
        "area_name": area_name(report.public_latitude, report.public_longitude),
        "uncertainty_metres": uncertainty_metres(),
        "supported": request.GET.get("supported") == "1",
        "support_refused": status == 429,
        "map": {
            **map_settings(),
            "latitude": report.public_latitude,
            "longitude": report.public_longitude,
            "zoom": 14,
            "radius": uncertainty_metres(),
        },
    }
    return render(request, "public/reports/report.html", context, status=status)


@require_safe
def report_page(request: HttpRequest, public_id: str) -> HttpResponse:
    return render_report(request, report_or_404(public_id))


def support_allowed(request: HttpRequest, public_id: str) -> bool:
    """Counts this attempt; False once the client has supported too much."""
    bucket = client_bucket(request)
    day = timezone.now().date().isoformat()
    keys = (
        (f"support:{bucket}:{public_id}:{day}", SUPPORT_PER_REPORT_PER_DAY, 24 * 3600),
        (f"support:{bucket}:hour", SUPPORT_PER_HOUR, 3600),
    )
    allowed = True
    for key, limit, lifetime in keys:
        cache.add(key, 0, lifetime)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: start again
            cache.set(key, 1, lifetime)
            count = 1
        allowed = allowed and count <= limit
    return allowed


@require_POST
def report_support(request: HttpRequest, public_id: str) -> HttpResponse:
    """'This happened to me too': one more supporter, then back to the report."""
    report = report_or_404(public_id)
    if not support_allowed(request, report.public_id):
        return render_report(request, report, status=429)
    try:
        express_support(report.public_id)
    except ReportNotFound:
        raise Http404 from None
    return redirect(
        reverse("public:published_report", kwargs={"public_id": report.public_id}) + "?supported=1"
    )


urlpatterns: list[URLPattern | URLResolver] = [
    path("map/", map_page, name="map"),
    path("map/tiles/<int:z>/<int:x>/<int:y>.png", tiles.tile, name="map_tile"),
    path("reports/<str:public_id>/", report_page, name="published_report"),
    path("reports/<str:public_id>/support/", report_support, name="published_report_support"),
]
