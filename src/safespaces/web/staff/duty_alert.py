"""One alert in the duty console: its timeline, and what the duty officer does about it.

Claim, acknowledge, note, log a call, activate a support network, resolve: each is a POST that
calls the safety action (which audits it) and comes back to the alert. An alert of another
organisation is not found, whatever the role.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from safespaces.safety import actions
from safespaces.safety import messages as safety_messages
from safespaces.safety.access import WATCH, alerts_visible_to
from safespaces.safety.locations import decode_location
from safespaces.safety.models import (
    Alert,
    AlertEvent,
    AlertStatus,
    RecipientKind,
    SupportNetwork,
)
from safespaces.safety.recipients import Recipient
from safespaces.web.point_map import point_map
from safespaces.web.staff.account import signed_in_staff
from safespaces.web.staff.duty_forms import CallForm, NetworkForm, NoteForm, ResolveForm
from safespaces.web.staff.duty_labels import event_line, recipient_label

TEMPLATE = "staff/duty/alert.html"


def visible_alert(request: HttpRequest, pk: uuid.UUID) -> Alert:
    alerts = alerts_visible_to(request.user).select_related(
        "person__organisation", "claimed_by", "plan"
    )
    return get_object_or_404(alerts, pk=pk)


def networks_of(alert: Alert) -> QuerySet[SupportNetwork]:
    return SupportNetwork.objects.filter(organisation_id=alert.person.organisation_id)


def network_previews(alert: Alert) -> list[dict[str, Any]]:
    """Each network's message as its members would read it (in the officer's language)."""
    reader = Recipient(
        kind=RecipientKind.NETWORK, id="", language=get_language() or "en", addresses=()
    )
    link = _("[link to the alert's live page]")
    return [
        {
            "network": network,
            "members": network.members.count(),
            "preview": safety_messages.network_message(alert, network, reader, link).for_channel(
                "sms"
            ),
        }
        for network in networks_of(alert)
    ]


def deliveries(alert: Alert) -> list[dict[str, Any]]:
    rows = alert.deliveries.select_related("message").order_by("created_at", "pk")
    return [
        {
            "recipient": recipient_label(alert, row.recipient_kind, row.recipient_id),
            "channel": row.channel,
            "status": row.message.status if row.message else "",
            "status_label": row.message.get_status_display() if row.message else "",
            "at": row.created_at,
            "round": row.round,
        }
        for row in rows
    ]


def alert_page(request: HttpRequest, alert: Alert, **forms: Any) -> HttpResponse:
    person = alert.person
    location = decode_location(person.last_location)
    events = AlertEvent.objects.filter(alert=alert).select_related("actor", "contact")
    context = {
        "alert": alert,
        "person": person,
        "is_open": alert.status != AlertStatus.RESOLVED,
        "location": location,
        "point_map": point_map(location.latitude, location.longitude)
        if location.latitude is not None and location.longitude is not None
        else None,
        "map_label": _("Map of the last known location"),
        "timeline": [event_line(event) for event in events.order_by("at", "pk")],
        "contacts": list(person.contacts.all()),
        "deliveries": deliveries(alert),
        "networks": network_previews(alert),
        "note_form": forms.get("note_form") or NoteForm(),
        "call_form": forms.get("call_form") or CallForm(),
        "network_form": forms.get("network_form") or NetworkForm(networks_of(alert)),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
    }
    status = 400 if forms else 200
    return render(request, TEMPLATE, context, status=status)


@never_cache
@require_safe
@permission_required(WATCH, raise_exception=True)
def duty_alert(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return alert_page(request, visible_alert(request, pk))


def done(request: HttpRequest, alert: Alert, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("staff:duty_alert", pk=alert.pk)


@never_cache
@require_POST
@permission_required(WATCH, raise_exception=True)
def claim(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    alert = visible_alert(request, pk)
    actions.claim_alert(alert, actor=signed_in_staff(request))
    return done(request, alert, _("You have claimed this alert."))


@never_cache
@require_POST
@permission_required(WATCH, raise_exception=True)
def acknowledge(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    alert = visible_alert(request, pk)
    if actions.acknowledge_alert(alert, actor=signed_in_staff(request)):
        return done(request, alert, _("The alert is acknowledged: its repeats have stopped."))
    return done(request, alert, _("The alert was already acknowledged."))


@never_cache
@require_POST
@permission_required(WATCH, raise_exception=True)
def note(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    alert = visible_alert(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return alert_page(request, alert, note_form=form)
    try:
        actions.add_note(alert, actor=signed_in_staff(request), text=form.cleaned_data["text"])
    except actions.SafetyInvalid as refused:
        form.add_error("text", refused.errors.get("text", str(refused)))
        return alert_page(request, alert, note_form=form)
    return done(request, alert, _("Your note is added to the timeline."))


@never_cache
@require_POST
@permission_required(WATCH, raise_exception=True)
def call(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    alert = visible_alert(request, pk)
    form = CallForm(request.POST)
    if not form.is_valid():
        return alert_page(request, alert, call_form=form)
    try:
        actions.record_call(alert, actor=signed_in_staff(request), text=form.cleaned_data["text"])
    except actions.SafetyInvalid as refused:
        form.add_error("text", refused.errors.get("text", str(refused)))
        return alert_page(request, alert, call_form=form)
    return done(request, alert, _("The call is recorded in the timeline."))


@never_cache
@require_POST
@permission_required(WATCH, raise_exception=True)
def activate_network(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    alert = visible_alert(request, pk)
    form = NetworkForm(networks_of(alert), request.POST)
    if not form.is_valid():
        return alert_page(request, alert, network_form=form)
    network = form.cleaned_data["network"]
    try:
        queued = actions.activate_network(alert, network, actor=signed_in_staff(request))
    except actions.SafetyInvalid as refused:
        for message in refused.errors.values():
            form.add_error(None, message)
        return alert_page(request, alert, network_form=form)
    text = ngettext(
        "The network %(name)s is activated: %(count)d message is queued.",
        "The network %(name)s is activated: %(count)d messages are queued.",
        queued,
    )
    return done(request, alert, text % {"name": network.name, "count": queued})


@never_cache
@require_POST
@permission_required(WATCH, raise_exception=True)
def resolve(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    alert = visible_alert(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return alert_page(request, alert, resolve_form=form)
    actions.resolve_alert(
        alert,
        actor=signed_in_staff(request),
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("The alert is resolved."))
    return redirect("staff:duty")


urlpatterns: list[URLPattern] = [
    path("duty/alerts/<uuid:pk>/", duty_alert, name="duty_alert"),
    path("duty/alerts/<uuid:pk>/claim/", claim, name="duty_alert_claim"),
    path("duty/alerts/<uuid:pk>/acknowledge/", acknowledge, name="duty_alert_acknowledge"),
    path("duty/alerts/<uuid:pk>/note/", note, name="duty_alert_note"),
    path("duty/alerts/<uuid:pk>/call/", call, name="duty_alert_call"),
    path("duty/alerts/<uuid:pk>/network/", activate_network, name="duty_alert_network"),
    path("duty/alerts/<uuid:pk>/resolve/", resolve, name="duty_alert_resolve"),
]
