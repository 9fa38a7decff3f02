"""The audit log, read-only, for those allowed to see it."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from safespaces.audit.models import AuditEvent

PAGE_SIZE = 50


class TagFilterForm(forms.Form):
    tag = forms.RegexField(
        label=_("Events whose tag starts with"),
        regex=r"^[a-z0-9_:]*$",
        max_length=64,
        required=False,
        error_messages={"invalid": _("Use lower-case letters, digits, _ and : only.")},
        widget=forms.TextInput(attrs={"placeholder": "user:"}),
    )


@never_cache
@permission_required("audit.view_auditevent", raise_exception=True)
def audit_log_view(request: HttpRequest) -> HttpResponse:
    form = TagFilterForm(request.GET or None)
    events = AuditEvent.objects.order_by("-sequence")
    prefix = form.cleaned_data["tag"] if form.is_valid() else ""
    if prefix:
        events = events.filter(tag__startswith=prefix)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/audit/list.html", {"form": form, "page": page, "prefix": prefix})


urlpatterns: list[URLPattern] = [path("audit/", audit_log_view, name="audit")]
