"""When a venue counts as a safe space (National Safe Place's rule, issue 5).

Only while it is active, its pledge is signed and not past renewal, and it has at least
SAFESPACES_MIN_TRAINED_STAFF staff whose training has not expired. Trained staff are read
through `venue.trained_staff.all()`, so a list that prefetched them costs no extra query.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safespaces.places.models import Venue, VenueStatus


def current_trained_staff(venue: Venue, today: datetime.date) -> int:
    """Staff trained by today whose training expires after today."""
    return sum(
        member.trained_on <= today < member.expires_on for member in venue.trained_staff.all()
    )


def pledge_is_current(venue: Venue, today: datetime.date) -> bool:
    signed = venue.pledge_signed_on
    due = venue.pledge_renewal_due
    return signed is not None and signed <= today and (due is None or today <= due)


def reasons_not_safe(venue: Venue, today: datetime.date) -> list[str]:
    """Each condition the venue misses today, as a sentence; empty when it counts as safe."""
    reasons = []
    if venue.status != VenueStatus.ACTIVE:
        reasons.append(
            _("The venue is not active: it is %(status)s.")
            % {"status": venue.get_status_display().lower()}
        )
    if venue.pledge_signed_on is None or venue.pledge_signed_on > today:
        reasons.append(_("The venue has not signed the pledge."))
    elif not pledge_is_current(venue, today):
        reasons.append(_("The pledge is past its renewal date."))
    needed = settings.SAFESPACES_MIN_TRAINED_STAFF
    trained = current_trained_staff(venue, today)
    if trained < needed:
        reasons.append(
            ngettext(
                "It needs %(needed)d staff member with current training; it has %(trained)d.",
                "It needs %(needed)d staff members with current training; it has %(trained)d.",
                needed,
            )
            % {"needed": needed, "trained": trained}
        )
    return reasons


def counts_as_safe_space(venue: Venue, today: datetime.date) -> bool:
    return not reasons_not_safe(venue, today)
