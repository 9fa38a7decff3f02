"""Coordinators keep the directory: the venue list with its filters, and one venue's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safespaces.places.attention import needing, with_open_flag_counts
from safespaces.places.hours_words import hours_in_words
from safespaces.places.models import Venue
from safespaces.places.rules import counts_as_safe_space, reasons_not_safe
from safespaces.web.staff.venues_forms import (
    PledgeForm,
    ReasonForm,
    TrainedStaffForm,
    VenueFilterForm,
    VisitForm,
)

MANAGE = "places.manage_venue"
CONFIDENTIAL = "places.view_confidential_venue"
PAGE_SIZE = 50


def filtered_venues(form: VenueFilterForm) -> Any:
    venues = Venue.objects.select_related("organisation").prefetch_related("trained_staff")
    if not form.is_valid():
        return venues.none()
    data = form.cleaned_data
    if data["q"]:
        venues = venues.filter(name__icontains=data["q"])
    if data["status"]:
        venues = venues.filter(status=data["status"])
    if data["kind"]:
        venues = venues.filter(kind=data["kind"])
    venues = venues.filter(needing(data["attention"], timezone.localdate()))
    return with_open_flag_counts(venues).order_by("name", "pk")


@never_cache
@require_safe
@permission_required(MANAGE, raise_exception=True)
def venue_list(request: HttpRequest) -> HttpResponse:
    form = VenueFilterForm(request.GET)
    page = Paginator(filtered_venues(form), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"venue": venue, "safe": counts_as_safe_space(venue, today)} for venue in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "may_see_confidential": request.user.has_perm(CONFIDENTIAL),
    }
    return render(request, "staff/venues/list.html", context)


def venue_page_context(request: HttpRequest, venue: Venue, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    defaults = {
        "reason_form": ReasonForm(),
        "pledge_form": PledgeForm(
            initial={
                "signed_on": venue.pledge_signed_on or today,
                "renewal_due": venue.pledge_renewal_due,
                "commitments": venue.pledge_commitments,
            }
        ),
        "staff_form": TrainedStaffForm(initial={"trained_on": today}),
        "visit_form": VisitForm(),
    }
    defaults.update(forms)
    return {
        "venue": venue,
        "today": today,
        "safe": counts_as_safe_space(venue, today),
        "reasons": reasons_not_safe(venue, today),
        "hours_words": hours_in_words(venue.opening_hours, today),
        "trained_staff": list(venue.trained_staff.all()),
        "visits": list(venue.visits.select_related("visited_by")),
        "open_flags": venue.flags.filter(resolved_at__isnull=True).count(),
        "may_see_confidential": request.user.has_perm(CONFIDENTIAL),
        **defaults,
    }


def venue_of(pk: str) -> Venue:
    return get_object_or_404(
        Venue.objects.select_related("organisation").prefetch_related("trained_staff"), pk=pk
    )


@never_cache
@require_safe
@permission_required(MANAGE, raise_exception=True)
def venue_page(request: HttpRequest, pk: str) -> HttpResponse:
    venue = venue_of(pk)
    return render(request, "staff/venues/detail.html", venue_page_context(request, venue))


urlpatterns: list[URLPattern] = [
    path("venues/", venue_list, name="venues"),
    path("venues/<uuid:pk>/", venue_page, name="venue"),
]
