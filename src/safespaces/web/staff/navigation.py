"""The staff console's menu: only the sections the signed-in role may open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safespaces.web.staff.undelivered import undelivered_notice


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str | Promise
    permission: str | None = None


SECTIONS = (
    Section("staff:home", _("Overview")),
    Section("staff:duty", _("Duty console"), "safety.watch_person"),
    Section("staff:safety_people", _("People at risk"), "safety.manage_person"),
    Section("staff:reports", _("Reports"), "reports.moderate_report"),
    Section("staff:exports", _("Exports"), "reports.export_report"),
    Section("staff:categories", _("Categories"), "reports.change_category"),
    Section("staff:gazetteer", _("Place names"), "geo.add_namedplace"),
    Section("staff:venues", _("Safe spaces"), "places.manage_venue"),
    Section("staff:venue_feedback", _("Venue feedback"), "places.moderate_venue_feedback"),
    Section("staff:outbox", _("Messages"), "outbox.view_message"),
    Section("staff:gateways", _("Gateways"), "outbox.view_message"),
    Section("staff:conversations", _("Conversations"), "conversations.read_conversation"),
    Section("staff:keywords", _("SMS keywords"), "conversations.configure_keywords"),
    Section("staff:users", _("Users"), "accounts.manage_users"),
    Section("staff:audit", _("Audit log"), "audit.view_auditevent"),
    Section("staff:tokens", _("API tokens")),
)


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not request.path.startswith("/staff/") or user is None or not user.is_authenticated:
        return {}
    items = []
    for section in SECTIONS:
        if section.permission and not user.has_perm(section.permission):
            continue
        url = reverse(section.url_name)
        items.append({"url": url, "label": section.label, "current": request.path == url})
    return {"staff_nav": items, **undelivered_notice(request)}
