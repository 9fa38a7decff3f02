"""The changes made from a venue's page: status, sign, pledge, trained staff, visits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safespaces.accounts.models import User
from safespaces.places.actions import (
    TransitionRefused,
    activate_venue,
    add_trained_staff,
    close_venue,
    new_sign_token,
    record_pledge,
    record_visit,
    reinstate_venue,
    remove_trained_staff,
    suspend_venue,
)
from safespaces.places.models import TrainedStaff, Venue
from safespaces.places.validation import VenueInvalid
from safespaces.web.staff.account import signed_in_staff
from safespaces.web.staff.venues import MANAGE, venue_of, venue_page_context
from safespaces.web.staff.venues_forms import PledgeForm, ReasonForm, TrainedStaffForm, VisitForm

Change = Callable[[User, Venue], Any]


def page_with(request: HttpRequest, venue: Venue, **forms: Any) -> HttpResponse:
    """The venue's page again, with the refused form showing its errors."""
    context = venue_page_context(request, venue, **forms)
    return render(request, "staff/venues/detail.html", context, status=400)


def status_view(change: Change, done: str | Promise) -> Callable[[HttpRequest, str], HttpResponse]:
    @require_POST
    @permission_required(MANAGE, raise_exception=True)
    def view(request: HttpRequest, pk: str) -> HttpResponse:
        venue = venue_of(pk)
        try:
            change(signed_in_staff(request), venue)
        except TransitionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(done))
        return redirect("staff:venue", pk=venue.pk)

    return view


@require_POST
@permission_required(MANAGE, raise_exception=True)
def venue_suspend(request: HttpRequest, pk: str) -> HttpResponse:
    venue = venue_of(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return page_with(request, venue, reason_form=form)
    try:
        suspend_venue(signed_in_staff(request), venue, form.cleaned_data["reason"])
    except TransitionRefused as error:
        messages.error(request, str(error))
    except VenueInvalid as error:
        form.add_error("reason", error.errors.get("reason", str(error)))
        return page_with(request, venue, reason_form=form)
    else:
        messages.success(request, _("The venue is suspended: no search finds it now."))
    return redirect("staff:venue", pk=venue.pk)


def record_view(
    form_class: type[forms.Form], form_name: str, record: Callable[[User, Venue, Any], Any]
) -> Callable[[HttpRequest, str], HttpResponse]:
    """A POST that records something about the venue from a form of its page."""

    @require_POST
    @permission_required(MANAGE, raise_exception=True)
    def view(request: HttpRequest, pk: str) -> HttpResponse:
        venue = venue_of(pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                message = record(signed_in_staff(request), venue, form.cleaned_data)
            except VenueInvalid as error:
                form.refused(error)  # type: ignore[attr-defined]
            else:
                messages.success(request, message)
                return redirect("staff:venue", pk=venue.pk)
        return page_with(request, venue, **{form_name: form})

    return view


def pledge(actor: User, venue: Venue, data: dict[str, Any]) -> str:
    record_pledge(
        actor,
        venue,
        signed_on=data["signed_on"],
        commitments=data["commitments"],
        renewal_due=data["renewal_due"],
    )
    return _("The pledge has been recorded.")


def trained_staff(actor: User, venue: Venue, data: dict[str, Any]) -> str:
    add_trained_staff(
        actor,
        venue,
        name=data["name"],
        trained_on=data["trained_on"],
        expires_on=data["expires_on"],
    )
    return _("The trained staff member has been added.")


def visit(actor: User, venue: Venue, data: dict[str, Any]) -> str:
    record_visit(
        actor, venue, visited_on=data["visited_on"], passed=data["passed"], notes=data["notes"]
    )
    return _("The visit has been recorded and the next one scheduled.")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def staff_remove(request: HttpRequest, pk: str, member: int) -> HttpResponse:
    found = get_object_or_404(TrainedStaff, pk=member, venue_id=pk)
    remove_trained_staff(signed_in_staff(request), found)
    messages.success(request, _("The trained staff member has been removed."))
    return redirect("staff:venue", pk=pk)


urlpatterns: list[URLPattern] = [
    path(
        "venues/<uuid:pk>/activate/",
        status_view(activate_venue, gettext_lazy("The venue is active.")),
        name="venue_activate",
    ),
    path("venues/<uuid:pk>/suspend/", venue_suspend, name="venue_suspend"),
    path(
        "venues/<uuid:pk>/reinstate/",
        status_view(reinstate_venue, gettext_lazy("The venue has been reinstated.")),
        name="venue_reinstate",
    ),
    path(
        "venues/<uuid:pk>/close/",
        status_view(close_venue, gettext_lazy("The venue is closed for good.")),
        name="venue_close",
    ),
    path(
        "venues/<uuid:pk>/new-sign/",
        status_view(
            new_sign_token, gettext_lazy("A new sign was made: the old sign no longer verifies.")
        ),
        name="venue_new_sign",
    ),
    path(
        "venues/<uuid:pk>/pledge/",
        record_view(PledgeForm, "pledge_form", pledge),
        name="venue_pledge",
    ),
    path(
        "venues/<uuid:pk>/trained-staff/",
        record_view(TrainedStaffForm, "staff_form", trained_staff),
        name="venue_add_staff",
    ),
    path(
        "venues/<uuid:pk>/trained-staff/<int:member>/remove/",
        staff_remove,
        name="venue_remove_staff",
    ),
    path(
        "venues/<uuid:pk>/visits/", record_view(VisitForm, "visit_form", visit), name="venue_visit"
    ),
]
