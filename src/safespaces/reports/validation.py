"""What a report submission may hold, checked field by field with messages naming the field."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.field_checks import Checker
from safespaces.reports.category_keys import active_category_ids
from safespaces.reports.models import Report

MAX_DESCRIPTION_CHARS = 5000
MAX_SHORT_TEXT_CHARS = 1000
MAX_PLACE_CHARS = 200
MAX_CONTACT_CHARS = 200
MAX_CATEGORIES = 10
MAX_IDEMPOTENCY_KEY_CHARS = 100
EARLIEST_DATE = datetime.date(1900, 1, 1)
IDEMPOTENCY_KEY_SHAPE = re.compile(r"^[\x21-\x7e]+$")


class ReportInvalid(ValueError):
    """The submission has faults; `errors` maps each faulty field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ReportSubmission:
    """A report as a reporter gave it, through any channel."""

    categories: list[str]
    occurred_on: datetime.date
    reporter_role: str
    channel: str
    description: str = ""
    occurred_on_estimated: bool = False
    time_from: datetime.time | None = None
    time_to: datetime.time | None = None
    time_estimated: bool = False
    age_range: str = ""
    gender: str = ""
    intervention: str = Report.Intervention.UNKNOWN
    intervention_how: str = ""
    latitude: float | None = None
    longitude: float | None = None
    place_text: str = ""
    precision: str = Report.Precision.AREA
    language: str = "en"
    consent_public: bool = False
    consent_partners: bool = False
    contact: str = ""


def local_now() -> datetime.datetime:
    return timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE))


def check_categories(checker: Checker, keys: list[str], kept: Collection[str] = ()) -> list[str]:
    """Distinct keys of active categories; `kept` are keys also allowed (a report's own)."""
    unique = list(dict.fromkeys(keys))
    if not unique:
        checker.fail("categories", _("Choose at least one category."))
        return unique
    if len(unique) > MAX_CATEGORIES:
        checker.fail(
            "categories",
            _("Choose at most %(limit)d categories.") % {"limit": MAX_CATEGORIES},
        )
        return unique
    known = active_category_ids()
    unknown = [key for key in unique if key not in known and key not in kept]
    if unknown:
        checker.fail(
            "categories",
            _("This deployment has no category with the key %(key)s.") % {"key": unknown[0]},
        )
    return unique


def check_when(checker: Checker, submission: ReportSubmission) -> None:
    now = local_now()
    occurred_on = submission.occurred_on
    if occurred_on > now.date():
        checker.fail("occurred_on", _("The date cannot be in the future."))
        return
    if occurred_on < EARLIEST_DATE:
        checker.fail("occurred_on", _("The date is too far in the past."))
        return
    if submission.time_to is not None and submission.time_from is None:
        checker.fail("time_from", _("Give the start of the time range as well as its end."))
        return
    if occurred_on != now.date():
        return
    current = now.time().replace(tzinfo=None)
    if submission.time_from is not None and submission.time_from > current:
        checker.fail("time_from", _("The time cannot be in the future."))
    elif (
        submission.time_to is not None
        and submission.time_from is not None
        and submission.time_from <= submission.time_to
        and submission.time_to > current
    ):
        checker.fail("time_to", _("The time cannot be in the future."))


def check_point(checker: Checker, latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        checker.fail(missing, _("Give both the latitude and the longitude, or neither."))
        return
    if latitude is None or longitude is None:
        return
    if not (math.isfinite(latitude) and -90.0 <= latitude <= 90.0):
        checker.fail("latitude", _("The latitude must be a number between -90 and 90."))
    if not (math.isfinite(longitude) and -180.0 <= longitude <= 180.0):
        checker.fail("longitude", _("The longitude must be a number between -180 and 180."))


def validate_submission(submission: ReportSubmission) -> ReportSubmission:
    """The submission with its text cleaned, or `ReportInvalid` naming every faulty field."""
    checker = Checker()
    # A hotline report is a recording: moderators listen to it, then categorise and place it.
    spoken = submission.channel == Report.Channel.VOICE
    categories = list(submission.categories)
    if categories or not spoken:
        categories = check_categories(checker, categories)
    description = checker.text("description", submission.description, MAX_DESCRIPTION_CHARS)
    check_when(checker, submission)
    checker.choice("reporter_role", submission.reporter_role, Report.ReporterRole.values)
    checker.choice("age_range", submission.age_range, Report.AgeRange.values, blank=True)
    checker.choice("gender", submission.gender, Report.Gender.values, blank=True)
    checker.choice("intervention", submission.intervention, Report.Intervention.values)
    how = checker.text("intervention_how", submission.intervention_how, MAX_SHORT_TEXT_CHARS)
    check_point(checker, submission.latitude, submission.longitude)
    place_text = checker.text("place_text", submission.place_text, MAX_PLACE_CHARS)
    if (
        not spoken
        and submission.latitude is None
        and not place_text
        and "place_text" not in checker.errors
    ):
        checker.fail("location", _("Say where it happened: a place or a point on the map."))
    checker.choice("precision", submission.precision, Report.Precision.values)
    checker.choice("channel", submission.channel, Report.Channel.values)
    checker.choice("language", submission.language, [code for code, _name in settings.LANGUAGES])
    contact = checker.text("contact", submission.contact, MAX_CONTACT_CHARS)
    if checker.errors:
        raise ReportInvalid(checker.errors)
    return replace(
        submission,
        categories=categories,
        description=description,
        intervention_how=how,
        place_text=place_text,
        contact=contact,
    )


def check_idempotency_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY_CHARS or not IDEMPOTENCY_KEY_SHAPE.match(key):
        raise ReportInvalid(
            {
                "idempotency_key": _(
                    "The idempotency key must be 1 to %(limit)d printable ASCII characters."
                )
                % {"limit": MAX_IDEMPOTENCY_KEY_CHARS}
            }
        )
    return key
