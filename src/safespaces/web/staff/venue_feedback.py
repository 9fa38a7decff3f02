"""`/staff/venue-feedback/`: flags and proposed edits from the public, "unsafe" flags first.

Moderators resolve flags and accept or reject edits; an edit made on a version of the venue
that has changed since is marked stale, so the moderator compares before accepting.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from safespaces.places.feedback import EditAlreadyDecided, accept_edit, reject_edit, resolve_flag
from safespaces.places.feedback_queue import feedback_queue
from safespaces.places.models import ProposedEdit, VenueFlag
from safespaces.places.validation import VenueInvalid
from safespaces.web.staff.account import signed_in_staff

MODERATE = "places.moderate_venue_feedback"


@never_cache
@require_safe
@permission_required(MODERATE, raise_exception=True)
def queue_view(request: HttpRequest) -> HttpResponse:
    context = {
        "queue": feedback_queue(),
        # Moderators are not a vetted role: a shelter is named by its organisation only.
        "may_see_confidential": request.user.has_perm("places.view_confidential_venue"),
    }
    return render(request, "staff/venue_feedback/queue.html", context)


@require_POST
@permission_required(MODERATE, raise_exception=True)
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(VenueFlag, pk=pk)
    if resolve_flag(flag, signed_in_staff(request)):
        messages.success(request, _("The flag is resolved."))
    else:
        messages.info(request, _("Someone resolved this flag already."))
    return redirect("staff:venue_feedback")


@require_POST
@permission_required(MODERATE, raise_exception=True)
def edit_accept(request: HttpRequest, pk: int) -> HttpResponse:
    edit = get_object_or_404(ProposedEdit.objects.select_related("venue"), pk=pk)
    try:
        accept_edit(edit, signed_in_staff(request))
    except EditAlreadyDecided:
        messages.info(request, _("Someone decided this edit already."))
    except VenueInvalid as invalid:
        messages.error(
            request,
            _("This edit cannot be applied: %(errors)s")
            % {"errors": " ".join(invalid.errors.values())},
        )
    else:
        messages.success(request, _("The edit is applied to the venue."))
    return redirect("staff:venue_feedback")


@require_POST
@permission_required(MODERATE, raise_exception=True)
def edit_reject(request: HttpRequest, pk: int) -> HttpResponse:
    edit = get_object_or_404(ProposedEdit, pk=pk)
    try:
        reject_edit(edit, signed_in_staff(request))
    except EditAlreadyDecided:
        messages.info(request, _("Someone decided this edit already."))
    else:
        messages.success(request, _("The edit is rejected."))
    return redirect("staff:venue_feedback")


urlpatterns: list[URLPattern] = [
    path("venue-feedback/", queue_view, name="venue_feedback"),
    path("venue-feedback/flags/<int:pk>/resolve/", flag_resolve, name="venue_flag_resolve"),
    path("venue-feedback/edits/<int:pk>/accept/", edit_accept, name="venue_edit_accept"),
    path("venue-feedback/edits/<int:pk>/reject/", edit_reject, name="venue_edit_reject"),
]
