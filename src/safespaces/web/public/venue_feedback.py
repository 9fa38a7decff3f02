"""`/safe-spaces/<id>/feedback/`: anyone may flag a venue or propose better details.

Nothing about the sender is stored. Each client (a keyed hash of its address under a daily
salt, kept only in the cache) may send SAFESPACES_VENUE_FEEDBACK_PER_HOUR flags and edits an
hour together; a moderator sees them in the console.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safespaces.accounts.throttle import client_bucket
from safespaces.places.feedback import FeedbackRefused, flag_venue, propose_edit
from safespaces.places.models import Venue, VenueStatus
from safespaces.places.public import public_view
from safespaces.web.public.venue_feedback_forms import EDIT, FLAG, EditForm, FlagForm

RATE_WINDOW_SECONDS = 3600
RATE_KEY = "throttle:venue-feedback:{bucket}"


def listed_venue(pk: uuid.UUID) -> Venue:
    venue = Venue.objects.select_related("organisation").filter(pk=pk).first()
    if venue is None or venue.status != VenueStatus.ACTIVE:
        raise Http404
    return venue


def over_limit(bucket: str) -> bool:
    count = cache.get(RATE_KEY.format(bucket=bucket), 0)
    return int(count) >= settings.SAFESPACES_VENUE_FEEDBACK_PER_HOUR


def count_one(bucket: str) -> None:
    """One more flag or edit from this client; the window starts with its first."""
    counter = RATE_KEY.format(bucket=bucket)
    cache.add(counter, 0, RATE_WINDOW_SECONDS)
    try:
        cache.incr(counter)
    except ValueError:  # the window closed between the two calls
        cache.add(counter, 1, RATE_WINDOW_SECONDS)


def page(
    request: HttpRequest,
    venue: Venue,
    flag_form: FlagForm,
    edit_form: EditForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "venue": public_view(venue),
        "flag_form": flag_form,
        "edit_form": edit_form,
        "error": error,
    }
    return render(request, "public/safe_spaces/feedback.html", context, status=status)


@require_http_methods(["GET", "POST"])
def venue_feedback(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    venue = listed_venue(pk)
    if request.method == "GET":
        return page(request, venue, FlagForm(), EditForm(venue))
    action = request.POST.get("action", "")
    flag_form = FlagForm(request.POST if action == FLAG else None)
    edit_form = EditForm(venue, request.POST if action == EDIT else None)
    form = flag_form if action == FLAG else edit_form
    if action not in (FLAG, EDIT) or not form.is_valid():
        return page(request, venue, flag_form, edit_form, status=400)
    bucket = client_bucket(request)
    if over_limit(bucket):
        message = _(
            "Too much feedback was sent from this connection in the last hour. "
            "Wait an hour and send it again."
        )
        return page(request, venue, flag_form, edit_form, error=message, status=429)
    try:
        if action == FLAG:
            flag_venue(venue, form.cleaned_data["kind"], form.cleaned_data["note"])
        else:
            propose_edit(venue, form.cleaned_data)
    except FeedbackRefused as refused:
        for name, message in refused.errors.items():
            form.add_error(None if name not in form.fields else name, message)
        return page(request, venue, flag_form, edit_form, status=400)
    count_one(bucket)
    context = {"venue": public_view(venue), "flagged": action == FLAG}
    return render(request, "public/safe_spaces/feedback_thanks.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path("safe-spaces/<uuid:pk>/feedback/", venue_feedback, name="venue_feedback"),
]
