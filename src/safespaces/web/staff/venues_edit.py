"""Coordinators add and edit organisations and venues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safespaces.places.actions import (
    create_organisation,
    create_venue,
    update_organisation,
    update_venue,
)
from safespaces.places.models import Organisation, Venue
from safespaces.places.validation import VenueInvalid
from safespaces.web.staff.account import signed_in_staff
from safespaces.web.staff.venues import CONFIDENTIAL, MANAGE
from safespaces.web.staff.venues_forms import (
    OrganisationForm,
    VenueForm,
    organisation_initial,
    venue_initial,
)


@never_cache
@require_safe
@permission_required(MANAGE, raise_exception=True)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.annotate(venue_count=Count("venues"))
    return render(request, "staff/venues/organisations.html", {"organisations": organisations})


@never_cache
@permission_required(MANAGE, raise_exception=True)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create_organisation(signed_in_staff(request), form.details())
        except VenueInvalid as error:
            form.refused(error)
        else:
            messages.success(
                request, _("The organisation %(name)s has been added.") % {"name": organisation}
            )
            return redirect("staff:organisations")
    context = {"form": form, "organisation": None}
    return render(request, "staff/venues/organisation_form.html", context)


@never_cache
@permission_required(MANAGE, raise_exception=True)
def organisation_edit(request: HttpRequest, pk: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, initial=organisation_initial(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            update_organisation(signed_in_staff(request), organisation, form.details())
        except VenueInvalid as error:
            form.refused(error)
        else:
            messages.success(
                request, _("The organisation %(name)s has been saved.") % {"name": organisation}
            )
            return redirect("staff:organisations")
    context = {"form": form, "organisation": organisation}
    return render(request, "staff/venues/organisation_form.html", context)


def check_may_handle(request: HttpRequest, confidential: bool) -> None:
    """A confidential venue's address is in its form: only vetted roles may open it."""
    if confidential and not request.user.has_perm(CONFIDENTIAL):
        raise PermissionDenied


@never_cache
@permission_required(MANAGE, raise_exception=True)
def venue_create(request: HttpRequest) -> HttpResponse:
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check_may_handle(request, form.cleaned_data["confidential"])
        try:
            venue = create_venue(signed_in_staff(request), form.details())
        except VenueInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("The venue %(name)s has been added.") % {"name": venue})
            return redirect("staff:venue", pk=venue.pk)
    return render(request, "staff/venues/venue_form.html", {"form": form, "venue": None})


@never_cache
@permission_required(MANAGE, raise_exception=True)
def venue_edit(request: HttpRequest, pk: str) -> HttpResponse:
    venue = get_object_or_404(Venue.objects.select_related("organisation"), pk=pk)
    check_may_handle(request, venue.confidential)
    form = VenueForm(request.POST or None, initial=venue_initial(venue))
    if request.method == "POST" and form.is_valid():
        check_may_handle(request, form.cleaned_data["confidential"])
        try:
            update_venue(signed_in_staff(request), venue, form.details())
        except VenueInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("The venue %(name)s has been saved.") % {"name": venue})
            return redirect("staff:venue", pk=venue.pk)
    return render(request, "staff/venues/venue_form.html", {"form": form, "venue": venue})


urlpatterns: list[URLPattern] = [
    path("organisations/", organisation_list, name="organisations"),
    path("organisations/new/", organisation_create, name="organisation_create"),
    path("organisations/<uuid:pk>/", organisation_edit, name="organisation_edit"),
    path("venues/new/", venue_create, name="venue_create"),
    path("venues/<uuid:pk>/edit/", venue_edit, name="venue_edit"),
]
