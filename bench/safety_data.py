"""People at risk, their contacts and a duty roster for the safety benchmarks.

Everything is made through the real actions (`safespaces.safety.actions`), so each person,
contact and plan has its data keys, blind indexes, consent and audit trail as in production.
Only two things are done directly, and only to set the scene: the contacts' consent requests
are marked delivered (they were answered long ago), and `resolve_all_alerts` closes a run's
alerts in bulk before the next run (resolving 10,000 alerts by hand would queue 10,000
stand-down messages that have nothing to do with what is measured).
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.outbox.models import Message, Status
from safespaces.places.actions import create_organisation
from safespaces.places.models import Organisation
from safespaces.places.validation import OrganisationDetails
from safespaces.safety import actions
from safespaces.safety.models import (
    Alert,
    AlertStatus,
    EscalationLadder,
    Outcome,
    ProtectedPerson,
    StepAction,
)

# Egyptian mobile prefixes: the person, then each contact, has numbers of their own.
PERSON_PREFIX = "+2010"
CONTACT_PREFIXES = ("+2011", "+2012", "+2015")
OFFICER_PHONE = "+201003330003"
# Setting up is not measured: many actions share one transaction.
BATCH = 100


@dataclass(frozen=True)
class Site:
    organisation: Organisation
    officer: User


def fast_loading() -> None:
    """SQLite only, this connection only: skip fsyncs while the scene is set up."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")


def make_site(shift_hours: float = 24.0) -> Site:
    """An organisation with a duty officer on shift from an hour ago for `shift_hours`."""
    now = timezone.now()
    with transaction.atomic():
        organisation = create_organisation("system", OrganisationDetails(name="Bench shelter"))
        officer = User.objects.create(username="bench-duty", email="duty@bench.example")
        actions.add_staff_membership(officer, organisation, actor=None)
        actions.add_shift(
            organisation,
            officer=officer,
            starts_at=now - datetime.timedelta(hours=1),
            ends_at=now + datetime.timedelta(hours=shift_hours),
            phone=OFFICER_PHONE,
            channels="sms,voice",
            actor=None,
        )
    return Site(organisation, officer)


def ladder_at_once(organisation: Organisation) -> EscalationLadder:
    """Contacts and the duty officer at once, then the default's network step."""
    return actions.create_ladder(
        organisation,
        name="At once",
        steps=[
            (StepAction.ALERT_CONTACTS, 0, None),
            (StepAction.ALERT_DUTY, 0, None),
            (StepAction.ACTIVATE_NETWORK, 15, None),
        ],
        actor=None,
    )


def make_person(
    organisation: Organisation,
    index: int,
    contacts: int,
    ladder: EscalationLadder | None,
) -> ProtectedPerson:
    """A person with `contacts` contacts who agreed by the consent page, on SMS and email."""
    person = actions.create_person(
        organisation,
        alias=f"Person {index}",
        phone=f"{PERSON_PREFIX}{index:08d}",
        email=f"person{index}@bench.example",
        language="en",
        situation="Journalist, threatened after a story on land grabs.",
        ladder=ladder,
        actor=None,
    )
    for number in range(contacts):
        contact = actions.add_contact(
            person,
            name=f"Contact {number} of {index}",
            phone=f"{CONTACT_PREFIXES[number]}{index:08d}",
            email=f"contact{number}.{index}@bench.example",
            language="en",
            channels="sms,email",
            codeword="jasmine",
            actor=None,
        )
        actions.consent_by_link(contact, True)
    return person


def make_people(
    organisation: Organisation,
    indexes: Sequence[int],
    *,
    contacts: int,
    ladder: EscalationLadder | None = None,
    what: str = "people",
) -> list[ProtectedPerson]:
    people: list[ProtectedPerson] = []
    for start in range(0, len(indexes), BATCH):
        with transaction.atomic():
            people.extend(
                make_person(organisation, index, contacts, ladder)
                for index in indexes[start : start + BATCH]
            )
        print(f"{what}: {len(people)}/{len(indexes)}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    mark_queued_delivered()  # the consent requests went out and were answered long ago
    return people


def mark_queued_delivered() -> int:
    """Every queued message counts as delivered: a run starts with an empty outbox."""
    now = timezone.now()
    return Message.objects.filter(status=Status.QUEUED).update(
        status=Status.DELIVERED, gateway="console", sent_at=now, delivered_at=now
    )


def resolve_all_alerts() -> int:
    """Close every alert between two runs (in bulk: see the module's docstring)."""
    return Alert.objects.exclude(status=AlertStatus.RESOLVED).update(
        status=AlertStatus.RESOLVED,
        outcome=Outcome.DRILL,
        resolved_at=timezone.now(),
        next_step_at=None,
        next_repeat_at=None,
    )


def percentiles(values: Sequence[float], scale: float = 1.0, digits: int = 2) -> dict[str, float]:
    """p50, p95, p99 and max (nearest rank), multiplied by `scale`."""
    ordered = sorted(values)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}

    def rank(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    figures = {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": ordered[-1]}
    return {name: round(value * scale, digits) for name, value in figures.items()}
