"""Every change to categories and reports. Each is atomic and writes its audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.field_checks import Checker
from safespaces.geo.cells import CITY_RESOLUTION, cell_id
from safespaces.geo.privacy import displace, epsilon_per_metre, public_cells
from safespaces.reports import map_cells
from safespaces.reports.category_keys import active_category_ids
from safespaces.reports.models import Category, Report, new_public_id
from safespaces.reports.taxonomy import preset
from safespaces.reports.validation import (
    MAX_PLACE_CHARS,
    MAX_SHORT_TEXT_CHARS,
    ReportInvalid,
    ReportSubmission,
    check_categories,
    check_idempotency_key,
    check_point,
    validate_submission,
)

if TYPE_CHECKING:
    from safespaces.accounts.models import User

Status = Report.Status
# The states each transition may start from.
VERIFIABLE = (Status.PENDING,)
PUBLISHABLE = (Status.PENDING, Status.VERIFIED, Status.ARCHIVED)
REJECTABLE = (Status.PENDING, Status.VERIFIED, Status.PUBLISHED)
ARCHIVABLE = (Status.PENDING, Status.VERIFIED, Status.PUBLISHED, Status.REJECTED)


class TransitionRefused(Exception):
    """The report is not in a state that allows this change; the message says why."""


class ReportNotFound(LookupError):
    """No report, or none the caller may see, has this public id."""


@transaction.atomic
def load_preset(key: str, actor: User | None = None) -> list[Category]:
    """Add the preset's missing categories; existing ones, as coordinators left them, stay.

    One `category:load_preset` event: by the actor whenever one is named (also when nothing
    was added), else by "system" and only when something was added.
    """
    chosen = preset(key)
    categories = []
    added = 0
    for order, term in enumerate(chosen.terms, start=1):
        names = {f"name_{language}": name for language, name in term.names().items()}
        category, created = Category.objects.get_or_create(
            key=term.key, defaults={**names, "preset": chosen.key, "order": order}
        )
        categories.append(category)
        added += created
    if added or actor is not None:
        record_event("category:load_preset", actor, chosen.key, {"added": added})
    return categories


def load_configured_presets() -> None:
    """The presets named by SAFESPACES_REPORT_PRESETS."""
    for key in settings.SAFESPACES_REPORT_PRESETS:
        load_preset(key)


def locate(report: Report, latitude: float | None, longitude: float | None) -> None:
    if latitude is None or longitude is None:
        report.exact_point = None
        report.area_cell = None
        return
    report.exact_point = f"{latitude!r},{longitude!r}"
    report.area_cell = cell_id(latitude, longitude, CITY_RESOLUTION)


def build_report(submission: ReportSubmission, submission_key: str | None) -> Report:
    report = Report(
        description=submission.description,
        occurred_on=submission.occurred_on,
        occurred_on_estimated=submission.occurred_on_estimated,
        time_from=submission.time_from,
        time_to=submission.time_to,
        time_estimated=submission.time_estimated,
        reporter_role=submission.reporter_role,
        age_range=submission.age_range,
        gender=submission.gender,
        intervention=submission.intervention,
        intervention_how=submission.intervention_how,
        place_text=submission.place_text,
        precision=submission.precision,
        channel=submission.channel,
        language=submission.language,
        consent_public=submission.consent_public,
        consent_partners=submission.consent_partners,
        contact=submission.contact or None,
        submission_key=submission_key,
    )
    locate(report, submission.latitude, submission.longitude)
    return report


# A random public id is 50 bits: a clash is astronomically rare, but never an error.
PUBLIC_ID_TRIES = 3


def submit_report(
    submission: ReportSubmission,
    *,
    idempotency_key: str | None = None,
    actor: User | str | None = None,
) -> Report:
    """A new pending report; the same idempotency key again returns the first report."""
    key = check_idempotency_key(idempotency_key)
    cleaned = validate_submission(submission)
    for attempt in range(1, PUBLIC_ID_TRIES + 1):
        try:
            return insert_report(cleaned, key, actor, redraw=attempt > 1)
        except IntegrityError:
            # The key was used before (or by a request racing this one): answer with that
            # report. Otherwise the new public id clashed with another: draw again.
            existing = Report.objects.filter(submission_key=key).first() if key else None
            if existing is not None:
                return existing
            if attempt == PUBLIC_ID_TRIES:
                raise
    raise AssertionError("unreachable")


def insert_report(
    cleaned: ReportSubmission, key: str | None, actor: User | str | None, *, redraw: bool
) -> Report:
    with transaction.atomic():
        report = build_report(cleaned, key)
        if redraw:
            report.public_id = new_public_id()
        report.save()
        # A new report has no categories yet: one insert instead of set()'s diffing.
        links = Report.categories.through
        known = active_category_ids()
        links.objects.bulk_create(
            links(report_id=report.pk, category_id=known[category_key])
            for category_key in cleaned.categories
            if category_key in known
        )
        record_event(
            "report:submit",
            actor if actor is not None else "anonymous",
            report.public_id,
            {"channel": report.channel},
        )
    return report


def locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def require_status(report: Report, allowed: Iterable[str], message: str) -> None:
    if report.status not in allowed:
        raise TransitionRefused(message)


def change_status(report: Report, status: str, actor: User, tag: str) -> Report:
    previous = report.status
    with map_cells.kept_in_step(report):
        report.status = status
        report.save(update_fields=["status"])
    record_event(tag, actor, report.public_id, {"from": previous})
    return report


@transaction.atomic
def verify_report(report: Report, actor: User) -> Report:
    current = locked(report)
    require_status(current, VERIFIABLE, _("Only a pending report can be verified."))
    return change_status(current, Status.VERIFIED, actor, "report:verify")


@transaction.atomic
def publish_report(report: Report, actor: User) -> Report:
    """Publish with the public point drawn at the first publication and kept ever after."""
    current = locked(report)
    require_status(current, PUBLISHABLE, _("This report cannot be published from its state."))
    if not current.consent_public:
        raise TransitionRefused(_("The reporter did not agree to this report being public."))
    if current.public_point is None:
        point = current.point
        if point is None:
            raise TransitionRefused(_("Place this report on the map before publishing it."))
        latitude, longitude = displace(point[0], point[1], epsilon_per_metre())
        current.public_latitude, current.public_longitude = latitude, longitude
        current.set_public_cells(public_cells(latitude, longitude))
    if current.published_at is None:
        current.published_at = timezone.now()
    current.save()
    return change_status(current, Status.PUBLISHED, actor, "report:publish")


@transaction.atomic
def reject_report(report: Report, actor: User, reason: str) -> Report:
    checker = Checker()
    cleaned = checker.text("reason", reason, MAX_SHORT_TEXT_CHARS)
    if not cleaned:
        checker.fail("reason", _("Say why this report is rejected."))
    if checker.errors:
        raise ReportInvalid(checker.errors)
    current = locked(report)
    require_status(current, REJECTABLE, _("This report cannot be rejected from its state."))
    current.rejection_reason = cleaned
    current.save(update_fields=["rejection_reason"])
    return change_status(current, Status.REJECTED, actor, "report:reject")


@transaction.atomic
def archive_report(report: Report, actor: User) -> Report:
    current = locked(report)
    require_status(current, ARCHIVABLE, _("This report is already archived."))
    return change_status(current, Status.ARCHIVED, actor, "report:archive")


@transaction.atomic
def update_report_categories(report: Report, actor: User, keys: list[str]) -> Report:
    """Set the categories; one made inactive since may stay on a report that has it."""
    current = locked(report)
    checker = Checker()
    kept = set(current.categories.values_list("key", flat=True))
    unique = check_categories(checker, keys, kept)
    if checker.errors:
        raise ReportInvalid(checker.errors)
    with map_cells.kept_in_step(current):
        current.categories.set(Category.objects.filter(key__in=unique))
    record_event("report:categories", actor, current.public_id, {"categories": sorted(unique)})
    return current


@transaction.atomic
def update_report_location(
    report: Report,
    actor: User,
    latitude: float,
    longitude: float,
    place_text: str | None = None,
    precision: str | None = None,
) -> Report:
    """Correct the exact point (and the place text or precision) of an unpublished report."""
    checker = Checker()
    check_point(checker, latitude, longitude)
    cleaned_place = None
    if place_text is not None:
        cleaned_place = checker.text("place_text", place_text, MAX_PLACE_CHARS)
    if precision is not None:
        checker.choice("precision", precision, Report.Precision.values)
    if checker.errors:
        raise ReportInvalid(checker.errors)
    current = locked(report)
    if current.published_at is not None:
        raise TransitionRefused(_("The location of a published report cannot change."))
    locate(current, latitude, longitude)
    if cleaned_place is not None:
        current.place_text = cleaned_place
    if precision is not None:
        current.precision = precision
    current.save()
    record_event("report:location", actor, current.public_id)
    return current


@transaction.atomic
def withdraw_public_consent(report: Report, actor: User) -> Report:
    """The reporter no longer wants the report shown: it leaves every public page and count."""
    current = locked(report)
    with map_cells.kept_in_step(current):
        current.consent_public = False
        current.save(update_fields=["consent_public"])
    record_event("report:consent_withdraw", actor, current.public_id)
    return current


@transaction.atomic
def express_support(public_id: str) -> int:
    """ "This happened to me too": one more supporter of a published report; the new count."""
    updated = Report.objects.filter(public_id=public_id, status=Status.PUBLISHED).update(
        support_count=F("support_count") + 1
    )
    if not updated:
        raise ReportNotFound(public_id)
    record_event("report:support", "anonymous", public_id)
    count: int = Report.objects.values_list("support_count", flat=True).get(public_id=public_id)
    return count


@transaction.atomic
def merge_reports(duplicate: Report, kept: Report, actor: User) -> Report:
    """Archive the duplicate as merged into the kept report, which takes over its support."""
    if duplicate.pk == kept.pk:
        raise TransitionRefused(_("A report cannot be merged into itself."))
    # Row locks in primary-key order, so two merges of the same pair cannot deadlock.
    rows = {
        row.pk: row
        for row in Report.objects.select_for_update()
        .filter(pk__in=sorted((duplicate.pk, kept.pk)))
        .order_by("pk")
    }
    current, target = rows[duplicate.pk], rows[kept.pk]
    if current.merged_into_id is not None:
        raise TransitionRefused(_("This report has already been merged into another one."))
    if target.merged_into_id is not None:
        raise TransitionRefused(_("A report that was merged into another cannot take a merge."))
    previous = current.status
    with map_cells.kept_in_step(current):
        current.status = Status.ARCHIVED
        current.merged_into = target
        current.save(update_fields=["status", "merged_into"])
    Report.objects.filter(pk=target.pk).update(
        support_count=F("support_count") + current.support_count
    )
    record_event(
        "report:merge",
        actor,
        current.public_id,
        {"into": target.public_id, "from": previous, "support": current.support_count},
    )
    target.refresh_from_db()
    return target
