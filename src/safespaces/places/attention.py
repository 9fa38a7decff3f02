"""Which venues need a coordinator's attention soon: the filters of the venue console."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from safespaces.places.models import TrainedStaff, Venue, VenueFlag, VenueStatus

# How far ahead a renewal, an expiring training or a visit counts as "soon".
PLEDGE_WARNING = datetime.timedelta(days=30)
TRAINING_WARNING = datetime.timedelta(days=30)
VISIT_WARNING = datetime.timedelta(days=14)
LIVE = (VenueStatus.PENDING, VenueStatus.ACTIVE, VenueStatus.SUSPENDED)


def pledge_due(today: datetime.date) -> Q:
    """No pledge yet, or its renewal falls due within the warning (or has passed)."""
    soon = today + PLEDGE_WARNING
    return Q(pledge_signed_on__isnull=True) | Q(pledge_renewal_due__lte=soon)


def training_expiring(today: datetime.date) -> Q:
    soon = TrainedStaff.objects.filter(
        venue=OuterRef("pk"), expires_on__gt=today, expires_on__lte=today + TRAINING_WARNING
    )
    return Q(Exists(soon))


def visit_due(today: datetime.date) -> Q:
    return Q(next_visit_due__isnull=True) | Q(next_visit_due__lte=today + VISIT_WARNING)


def open_flags() -> Q:
    return Q(Exists(VenueFlag.objects.filter(venue=OuterRef("pk"), resolved_at__isnull=True)))


def needing(attention: str, today: datetime.date) -> Q:
    """The condition for one of "pledge", "training", "visit", "flags"; anything else: all."""
    conditions = {
        "pledge": lambda: pledge_due(today),
        "training": lambda: training_expiring(today),
        "visit": lambda: visit_due(today),
        "flags": open_flags,
    }
    chosen = conditions.get(attention)
    if chosen is None:
        return Q()
    # Closed venues need nothing any more.
    return chosen() & Q(status__in=LIVE)


def with_open_flag_counts(venues: QuerySet[Venue]) -> QuerySet[Venue]:
    return venues.annotate(
        open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True), distinct=True)
    )
