"""The moderation console: the queue of reports, one report in full, and every change to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safespaces.accounts.models import User
from safespaces.reports import actions
from safespaces.reports.actions import TransitionRefused
from safespaces.reports.duplicates import suggest_duplicates
from safespaces.reports.locks import (
    ReportLocked,
    acquire_lock,
    break_lock,
    held_by_someone_else,
    release_lock,
)
from safespaces.reports.models import Report, ReportLock
from safespaces.reports.validation import ReportInvalid
from safespaces.web.staff.account import signed_in_staff
from safespaces.web.staff.moderation_forms import (
    BulkForm,
    CategoriesForm,
    LocationForm,
    MergeForm,
    QueueFilterForm,
    RejectForm,
)

MODERATE = "reports.moderate_report"
BREAK_LOCKS = "reports.break_report_lock"
PAGE_SIZE = 50
# Served by the public map's caching tile proxy; a missing tile leaves a plain background.
TILE_URL = "/map/tiles/{z}/{x}/{y}.png"

Change = Callable[[Report, User], object]


def locked_message(lock: ReportLock) -> str:
    until = date_format(timezone.localtime(lock.expires_at), "SHORT_DATETIME_FORMAT")
    return _("This report is being edited by %(username)s until %(until)s.") % {
        "username": lock.holder.get_username(),
        "until": until,
    }


def report_for(public_id: str) -> Report:
    return get_object_or_404(Report, public_id=public_id)


def apply_change(request: HttpRequest, report: Report, change: Change, done: str) -> bool:
    """Take (or renew) the edit lock, then change the report; a message says how it went."""
    user = signed_in_staff(request)
    try:
        acquire_lock(report, user)
        change(report, user)
    except ReportLocked as refused:
        messages.error(request, locked_message(refused.lock))
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    except ReportInvalid as invalid:
        for message in invalid.errors.values():
            messages.error(request, message)
    else:
        messages.success(request, done)
        return True
    return False


def form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def back_to(report: Report) -> HttpResponse:
    return redirect("staff:report", public_id=report.public_id)


@never_cache
@permission_required(MODERATE, raise_exception=True)
def report_queue_view(request: HttpRequest) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None)
    listed = filters.filter(
        Report.objects.defer("exact_point", "contact").prefetch_related("categories")
    ).order_by("-created_at", "-pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "bulk": BulkForm(),
    }
    return render(request, "staff/moderation/queue.html", context)


BULK_CHANGES: dict[str, Callable[[Report, User, str], object]] = {
    "verify": lambda report, user, reason: actions.verify_report(report, user),
    "reject": lambda report, user, reason: actions.reject_report(report, user, reason),
    "archive": lambda report, user, reason: actions.archive_report(report, user),
}


def queue_url(query: str) -> str:
    cleaned = QueryDict(query).urlencode()
    url = reverse("staff:reports")
    return f"{url}?{cleaned}" if cleaned else url


@require_POST
@permission_required(MODERATE, raise_exception=True)
def report_bulk_view(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    back = queue_url(request.POST.get("query", ""))
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    user = signed_in_staff(request)
    change = BULK_CHANGES[form.cleaned_data["action"]]
    done, skipped = 0, 0
    for report in Report.objects.filter(public_id__in=form.cleaned_data["reports"]):
        if held_by_someone_else(report, user) is not None:
            skipped += 1
            continue
        try:
            change(report, user, form.cleaned_data["reason"])
        except TransitionRefused:
            skipped += 1
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("%(count)d report was changed.", "%(count)d reports were changed.", done)
            % {"count": done},
        )
    if skipped:
        messages.error(
            request,
            ngettext(
                "%(count)d report was left as it was: its state does not allow this change "
                "or someone is editing it.",
                "%(count)d reports were left as they were: their state does not allow this "
                "change or someone is editing them.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect(back)


def lock_for_viewer(request: HttpRequest, report: Report) -> tuple[ReportLock | None, bool]:
    """Opening a report takes its edit lock when free; (the lock, whether the viewer holds it)."""
    try:
        return acquire_lock(report, signed_in_staff(request)), True
    except ReportLocked as refused:
        return refused.lock, False


@never_cache
@permission_required(MODERATE, raise_exception=True)
def report_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    report = report_for(public_id)
    lock, editing = lock_for_viewer(request, report)
    keys = list(report.categories.values_list("key", flat=True))
    point = report.point
    context = {
        "report": report,
        "categories": report.categories.all(),
        "point": point,
        "public_point": report.public_point,
        "lock": lock,
        "editing": editing,
        "may_break_lock": request.user.has_perm(BREAK_LOCKS),
        "location_editable": report.published_at is None,
        "mean_displacement": round(settings.SAFESPACES_LOCATION_MEAN_DISPLACEMENT_METRES),
        "reject_form": RejectForm(),
        "categories_form": CategoriesForm(initial={"categories": keys}, kept=keys),
        "location_form": LocationForm(
            initial={
                "latitude": point[0] if point else None,
                "longitude": point[1] if point else None,
                "place_text": report.place_text,
                "precision": report.precision,
            }
        ),
        "suggestions": suggest_duplicates(report),
        "merged_reports": report.merged_reports.only("public_id", "support_count"),
        "tile_url": TILE_URL,
    }
    return render(request, "staff/moderation/detail.html", context)


def transition_view(change: Change, done: Promise) -> Callable[[HttpRequest, str], HttpResponse]:
    """A POST-only view that applies one change to the report named in the URL."""

    @require_POST
    @permission_required(MODERATE, raise_exception=True)
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        report = report_for(public_id)
        apply_change(request, report, change, str(done))
        return back_to(report)

    return view


report_verify_view = transition_view(actions.verify_report, gettext_lazy("The report is verified."))
report_publish_view = transition_view(
    actions.publish_report, gettext_lazy("The report is published with its displaced location.")
)
report_archive_view = transition_view(
    actions.archive_report, gettext_lazy("The report is archived.")
)
report_withdraw_consent_view = transition_view(
    actions.withdraw_public_consent,
    gettext_lazy("The report is no longer shown to the public: the reporter withdrew consent."),
)


@require_POST
@permission_required(MODERATE, raise_exception=True)
def report_reject_view(request: HttpRequest, public_id: str) -> HttpResponse:
    report = report_for(public_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return back_to(report)
    reason = form.cleaned_data["reason"]
    apply_change(
        request,
        report,
        lambda current, user: actions.reject_report(current, user, reason),
        _("The report is rejected."),
    )
    return back_to(report)


@require_POST
@permission_required(MODERATE, raise_exception=True)
def report_categories_view(request: HttpRequest, public_id: str) -> HttpResponse:
    report = report_for(public_id)
    kept = list(report.categories.values_list("key", flat=True))
    form = CategoriesForm(request.POST, kept=kept)
    if not form.is_valid():
        form_errors(request, form)
        return back_to(report)
    keys = form.cleaned_data["categories"]
    apply_change(
        request,
        report,
        lambda current, user: actions.update_report_categories(current, user, keys),
        _("The categories are saved."),
    )
    return back_to(report)


@require_POST
@permission_required(MODERATE, raise_exception=True)
def report_location_view(request: HttpRequest, public_id: str) -> HttpResponse:
    report = report_for(public_id)
    form = LocationForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return back_to(report)
    data = form.cleaned_data
    apply_change(
        request,
        report,
        lambda current, user: actions.update_report_location(
            current,
            user,
            data["latitude"],
            data["longitude"],
            place_text=data["place_text"],
            precision=data["precision"],
        ),
        _("The location is saved."),
    )
    return back_to(report)


@require_POST
@permission_required(MODERATE, raise_exception=True)
def report_merge_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Merge the posted duplicate into this report."""
    kept = report_for(public_id)
    form = MergeForm(request.POST)
    duplicate = None
    if form.is_valid():
        duplicate = Report.objects.filter(public_id=form.cleaned_data["duplicate"]).first()
    if duplicate is None:
        messages.error(request, _("There is no report with this code to merge."))
        return back_to(kept)
    other = held_by_someone_else(duplicate, signed_in_staff(request))
    if other is not None:
        messages.error(request, locked_message(other))
        return back_to(kept)
    apply_change(
        request,
        kept,
        lambda current, user: actions.merge_reports(duplicate, current, user),
        _("The duplicate is merged into this report and archived."),
    )
    return back_to(kept)


@require_POST
@permission_required(MODERATE, raise_exception=True)
def report_release_view(request: HttpRequest, public_id: str) -> HttpResponse:
    report = report_for(public_id)
    release_lock(report, signed_in_staff(request))
    messages.success(request, _("You have stopped editing this report; others may edit it now."))
    return redirect("staff:reports")


@require_POST
@permission_required(BREAK_LOCKS, raise_exception=True)
def report_break_lock_view(request: HttpRequest, public_id: str) -> HttpResponse:
    report = report_for(public_id)
    if break_lock(report, signed_in_staff(request)):
        messages.success(request, _("The edit lock is broken; the report is yours to edit."))
    else:
        messages.info(request, _("Nobody was editing this report any more."))
    return back_to(report)


urlpatterns: list[URLPattern] = [
    path("reports/", report_queue_view, name="reports"),
    path("reports/bulk/", report_bulk_view, name="reports_bulk"),
    path("reports/<str:public_id>/", report_detail_view, name="report"),
    path("reports/<str:public_id>/verify/", report_verify_view, name="report_verify"),
    path("reports/<str:public_id>/publish/", report_publish_view, name="report_publish"),
    path("reports/<str:public_id>/reject/", report_reject_view, name="report_reject"),
    path("reports/<str:public_id>/archive/", report_archive_view, name="report_archive"),
    path(
        "reports/<str:public_id>/withdraw-consent/",
        report_withdraw_consent_view,
        name="report_withdraw_consent",
    ),
    path("reports/<str:public_id>/categories/", report_categories_view, name="report_categories"),
    path("reports/<str:public_id>/location/", report_location_view, name="report_location"),
    path("reports/<str:public_id>/merge/", report_merge_view, name="report_merge"),
    path("reports/<str:public_id>/release/", report_release_view, name="report_release"),
    path("reports/<str:public_id>/break-lock/", report_break_lock_view, name="report_break_lock"),
]
