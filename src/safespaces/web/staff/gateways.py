"""Gateways in the staff console: their health, the inbound messages waiting for the worker,
and each gateway's settings for coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from safespaces.outbox.gateway_accounts import (
    save_gateway_settings,
    saved_account,
    saved_values,
)
from safespaces.outbox.gateways.fields import GATEWAY_FIELDS
from safespaces.outbox.health import gateway_health
from safespaces.web.health import is_stale, last_heartbeat, seconds_since, waiting_inbound
from safespaces.web.staff.account import signed_in_staff
from safespaces.web.staff.gateway_callbacks import callback_urls, needs_token_first
from safespaces.web.staff.gateway_forms import GatewaySettingsForm

VIEW_MESSAGES = "outbox.view_message"
CONFIGURE = "outbox.configure_gateways"


@never_cache
@permission_required(VIEW_MESSAGES, raise_exception=True)
def gateways_view(request: HttpRequest) -> HttpResponse:
    waiting, oldest = waiting_inbound()
    seen_at = last_heartbeat()
    context = {
        "gateways": gateway_health(),
        "now": timezone.now(),
        "configurable": set(GATEWAY_FIELDS),
        "may_configure": request.user.has_perm(CONFIGURE),
        # Inbound messages are answered by the worker: a stopped one leaves people unanswered.
        "inbound_waiting": waiting,
        "inbound_oldest_since": oldest,
        "worker_seen_at": seen_at,
        "worker_stopped": is_stale(seconds_since(seen_at)),
    }
    return render(request, "staff/gateways/health.html", context)


@never_cache
@permission_required(CONFIGURE, raise_exception=True)
def gateway_settings_view(request: HttpRequest, name: str) -> HttpResponse:
    if name not in GATEWAY_FIELDS:
        raise Http404
    account = saved_account(name)
    initial = {"language": "", "enabled": True}
    if account is not None:
        initial = {"language": account.language, "enabled": account.enabled}
    data = request.POST if request.method == "POST" else None
    form = GatewaySettingsForm(name, saved_values(account), data, initial=initial)
    if request.method == "POST" and form.is_valid():
        save_gateway_settings(name, form.changes(), signed_in_staff(request))
        messages.success(request, _("The gateway's settings are saved."))
        return redirect("staff:gateway_settings", name=name)
    context = {
        "gateway": name,
        "form": form,
        "callbacks": callback_urls(name, request),
        "needs_token": needs_token_first(name),
    }
    return render(request, "staff/gateways/settings.html", context)


urlpatterns: list[URLPattern] = [
    path("gateways/", gateways_view, name="gateways"),
    path("gateways/<slug:name>/settings/", gateway_settings_view, name="gateway_settings"),
]
