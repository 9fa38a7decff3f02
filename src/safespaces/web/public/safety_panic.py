"""`/help/panic/<token>/`: the panic page a person at risk was given, as a signed link.

The link is the authority: no login and no cookie. There is no CSRF cookie either, because a
forged request would need the secret link, and whoever holds it can press the button anyway;
a panic refused for a missing cookie would be far worse. Everything works with JavaScript
off; panic.js only adds the phone's position to the forms.

Opening the link tells nothing about whether an alert is open (someone else may hold the
phone); only the answer to a POST does. Posts are rate-limited per client (secret_links),
and each person's PIN may be wrong SAFESPACES_LOGIN_ATTEMPTS times in a row before it
rests for SAFESPACES_LOGIN_LOCKOUT_MINUTES.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from safespaces.accounts import throttle
from safespaces.safety import actions
from safespaces.safety.links import person_for_panic_token
from safespaces.safety.models import LocationSource, ProtectedPerson, Trigger
from safespaces.web.public.safety_forms import LocationForm, PanicForm, PinForm
from safespaces.web.public.secret_links import link_not_found, no_referrer, over_limit

TEMPLATE = "public/safety/panic.html"
PANIC, DRILL, LOCATION, END = "panic", "drill", "location", "end"


def pin_bucket(person: ProtectedPerson) -> str:
    return f"panic-pin:{person.pk}"


def page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("panic_form", PanicForm())
    context.setdefault("location_form", LocationForm())
    context.setdefault("pin_form", PinForm())
    return render(request, TEMPLATE, context, status=status)


def send_alert(request: HttpRequest, person: ProtectedPerson, *, drill: bool) -> HttpResponse:
    where = PanicForm(request.POST).where()
    try:
        alert = actions.raise_alert(person, trigger=Trigger.PANIC_WEB, is_drill=drill, **where)
    except actions.SafetyInvalid:  # the location was refused: the alert goes without it
        alert = actions.raise_alert(person, trigger=Trigger.PANIC_WEB, is_drill=drill)
    return page(request, sent=True, drill=alert.is_drill)


def add_location(request: HttpRequest, person: ProtectedPerson) -> HttpResponse:
    form = LocationForm(request.POST)
    if not form.is_valid():
        return page(request, location_form=form, status=400)
    try:
        actions.add_location(person, source=LocationSource.WEB, **form.where())
    except actions.SafetyInvalid as refused:
        for message in refused.errors.values():
            form.add_error(None, message)
        return page(request, location_form=form, status=400)
    return page(request, location_added=True)


def end_alert(request: HttpRequest, person: ProtectedPerson) -> HttpResponse:
    form = PinForm(request.POST)
    if not form.is_valid():
        return page(request, pin_form=form, status=400)
    bucket = pin_bucket(person)
    if throttle.is_locked_out(bucket):
        minutes = settings.SAFESPACES_LOGIN_LOCKOUT_MINUTES
        return page(request, pin_locked=True, lockout_minutes=minutes, status=429)
    if not actions.end_alert_with_pin(person, form.cleaned_data["pin"]):
        throttle.record_failure(bucket)
        return page(request, wrong_pin=True)
    throttle.clear_failures(bucket)
    return page(request, ended=True)


@csrf_exempt
@no_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def panic(request: HttpRequest, token: str) -> HttpResponse:
    person = person_for_panic_token(token)
    if person is None:
        return link_not_found(request)
    if request.method == "GET":
        return page(request)
    action = request.POST.get("action", PANIC)
    if action in (LOCATION, END) and over_limit(request):
        return page(request, too_many=True, status=429)
    if action == LOCATION:
        return add_location(request, person)
    if action == END:
        return end_alert(request, person)
    # Anything else is a panic: neither a garbled button nor a rate limit may stop an alert
    # (people behind one carrier's address share a limit; the token is the authority here).
    return send_alert(request, person, drill=action == DRILL)


urlpatterns: list[URLPattern | URLResolver] = [
    path("help/panic/<str:token>/", panic, name="panic"),
]
