"""`/report/`: the public reporting form, in two steps that work without JavaScript.

Nothing is kept between steps on the server or in a cookie (only Django's CSRF cookie): each
step posts every earlier answer back as hidden fields, and everything is checked again when
the report is sent. A key made at step one makes a second press of "Send" harmless.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from safespaces.accounts.throttle import client_bucket
from safespaces.geo.models import City
from safespaces.reports.models import Report
from safespaces.reports.photos import PhotoRefused, clean_photos, submit_report_with_photos
from safespaces.reports.validation import ReportInvalid
from safespaces.web.public.receipt import receipt_context
from safespaces.web.public.reporting_forms import (
    KEY_PREFIX,
    TEXT_ONLY,
    AboutYou,
    Location,
    PlaceQuestion,
    WhatWhereWhen,
    ask_about_place,
    carried_values,
    new_submission_key,
    settle_location,
    submission_key_of,
    submission_of,
)

CONTINUE, BACK, SEND, SKIP = "continue", "back", "send", "skip"
# The file input of step two: files cannot ride along in hidden fields, so they come only
# with the post that sends the report.
PHOTOS_FIELD = "photos"
RATE_WINDOW_SECONDS = 3600
RATE_KEY = "throttle:report-form:{bucket}"


class PhotoUploadHandler(FileUploadHandler):
    """Keeps uploaded photos in memory, never in a temporary file in clear on disk.

    It keeps at most one byte more than the largest photo accepted, and nothing of files past
    the number accepted, so memory stays bounded; their true size and count still reach the
    checks, which refuse them with a clear message.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.files_seen = 0
        self.buffer = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.buffer = io.BytesIO()
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = settings.SAFESPACES_REPORT_PHOTO_MAX_BYTES + 1 - self.buffer.tell()
        if self.files_seen <= settings.SAFESPACES_REPORT_MAX_PHOTOS and room > 0:
            self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    # The upload handlers must be set before anything reads the body, the CSRF check included:
    # so that check is made just after, by `csrf_protect`.
    request.upload_handlers = [PhotoUploadHandler(request)]
    return checked_report(request)


@csrf_protect
def checked_report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return step_one(request, WhatWhereWhen(), new_submission_key())
    data = request.POST
    key = submission_key_of(data) or new_submission_key()
    action = data.get("action", CONTINUE)
    one = WhatWhereWhen(data)
    if action == BACK or not one.is_valid():
        return step_one(request, one, key, question=pending_question(one, data))
    located = settle_location(one.cleaned_data, data)
    if isinstance(located, PlaceQuestion):
        return step_one(request, one, key, question=located)
    if action not in (SEND, SKIP):
        return step_two(request, AboutYou(initial=initial_of(AboutYou, data)), key)
    return send(request, one, AboutYou(data if action == SEND else None), located, key)


def send(
    request: HttpRequest, one: WhatWhereWhen, two: AboutYou, location: Location, key: str
) -> HttpResponse:
    """File the report, or show the step whose answers need another look."""
    if two.is_bound and not two.is_valid():
        return step_two(request, two, key)
    answers = two.cleaned_data if two.is_bound else {}
    try:
        photos = clean_photos(request.FILES.getlist(PHOTOS_FIELD))
    except PhotoRefused as refused:
        if not two.is_bound:
            two = AboutYou(initial=initial_of(AboutYou, request.POST))
        return step_two(request, two, key, photo_error=str(refused))
    idempotency_key = KEY_PREFIX + key
    first_time = not Report.objects.filter(submission_key=idempotency_key).exists()
    bucket = client_bucket(request)
    if first_time and over_limit(bucket):
        message = _(
            "Too many reports were sent from this connection in the last hour. Wait an hour "
            "and send it again, or call our helpline."
        )
        return step_two(request, two, key, error=message, status=429)
    try:
        filed = submit_report_with_photos(
            submission_of(one.cleaned_data, answers, location),
            photos,
            idempotency_key=idempotency_key,
        )
    except ReportInvalid as invalid:
        return show_faults(request, one, two, key, invalid.errors)
    if first_time:
        count_one(bucket)
    return render(request, "public/report/receipt.html", receipt_context(filed, location))


def show_faults(
    request: HttpRequest, one: WhatWhereWhen, two: AboutYou, key: str, errors: dict[str, str]
) -> HttpResponse:
    """Faults the final check found, shown next to their field on the step that asks it."""
    if not two.is_bound:
        two = AboutYou({})
        two.is_valid()
    others = []
    for name, message in errors.items():
        target = "place_text" if name in ("latitude", "longitude", "location") else name
        if target in one.fields:
            one.add_error(target, message)
        elif target in two.fields:
            two.add_error(target, message)
        else:
            others.append(message)
    if any(name in one.fields for name in one.errors):
        return step_one(request, one, key)
    return step_two(request, two, key, error=" ".join(others))


def over_limit(bucket: str) -> bool:
    count = cache.get(RATE_KEY.format(bucket=bucket), 0)
    return int(count) >= settings.SAFESPACES_WEB_REPORTS_PER_HOUR


def count_one(bucket: str) -> None:
    """One more report from this client; the window starts with its first report."""
    counter = RATE_KEY.format(bucket=bucket)
    cache.add(counter, 0, RATE_WINDOW_SECONDS)
    try:
        cache.incr(counter)
    except ValueError:  # the window closed between the two calls
        cache.add(counter, 1, RATE_WINDOW_SECONDS)


def pending_question(one: WhatWhereWhen, data: QueryDict) -> PlaceQuestion | None:
    """The place question asked before, shown again when the reporter comes back to step one."""
    one.is_valid()
    text = one.cleaned_data.get("place_text")
    if not text or one.cleaned_data.get("latitude") is not None:
        return None
    question = ask_about_place(text, data)
    return question if question.answered else None


def initial_of(form_class: type[AboutYou], data: QueryDict) -> dict[str, Any]:
    return {name: data.get(name) for name in form_class.base_fields if name in data}


def step_one(
    request: HttpRequest,
    form: WhatWhereWhen,
    key: str,
    *,
    question: PlaceQuestion | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "submission_key": key,
        "question": question,
        "text_only": TEXT_ONLY,
        "carried": carried_values(AboutYou, request.POST),
        "map_centre": map_centre(),
    }
    return render(request, "public/report/what_where_when.html", context)


def step_two(
    request: HttpRequest,
    form: AboutYou,
    key: str,
    *,
    error: str = "",
    photo_error: str = "",
    status: int = 200,
) -> HttpResponse:
    carried = carried_values(WhatWhereWhen, request.POST)
    carried += [
        (name, request.POST[name])
        for name in ("place_query", "place_choice")
        if name in request.POST
    ]
    context = {
        "form": form,
        "submission_key": key,
        "carried": carried,
        "error": error,
        "photo_error": photo_error,
        "photos_field": PHOTOS_FIELD,
        "max_photos": settings.SAFESPACES_REPORT_MAX_PHOTOS,
        "photo_max_megabytes": round(settings.SAFESPACES_REPORT_PHOTO_MAX_BYTES / (1024 * 1024)),
    }
    return render(request, "public/report/about_you.html", context, status=status)


def map_centre() -> dict[str, float] | None:
    """Where the map opens: the deployment's first city."""
    city = City.objects.order_by("pk").first()
    if city is None:
        return None
    return {"latitude": city.latitude, "longitude": city.longitude}


urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", report, name="report"),
]
