"""People at risk for the demo: contacts, plans, a duty roster and one open drill alert.

Everything goes through the safety actions, so the console shows what a deployment would.
The names are aliases and the numbers fictional; messages go to the console gateway.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.models import PlanKind, ProtectedPerson, Situation, Trigger

DUTY_PHONE = "+201000000299"
NETWORK_TEMPLATE = (
    "{alias} may have been detained or attacked. Please act on the instructions you agreed "
    "with us. Live updates: {link}"
)


@dataclass(frozen=True)
class DemoPerson:
    alias: str
    phone: str
    language: str
    risk_level: str
    situation: str
    contacts: tuple[tuple[str, str, bool], ...]  # name, phone, agreed


DEMO_PEOPLE = (
    DemoPerson(
        "Nour",
        "+201000000201",
        "ar",
        "high",
        "Journalist covering protests; threatened online after a story on 12 November.",
        (("Hana", "+201000000211", True), ("Youssef", "+201000000212", False)),
    ),
    DemoPerson(
        "Salma",
        "+201000000202",
        "en",
        "critical",
        "Left an abusive home in October; the former partner knows her workplace.",
        (("Mona", "+201000000213", True),),
    ),
    DemoPerson(
        "Omar",
        "+201000000203",
        "en",
        "medium",
        "Lawyer defending detained protesters.",
        (("Laila", "+201000000214", True),),
    ),
)
DEMO_PIN = "2468"


def load_demo_safety(organisation: Organisation, staff: dict[str, User]) -> int:
    """Load once for `organisation`; `staff` maps role to the demo user. Returns people added."""
    if ProtectedPerson.objects.filter(organisation=organisation, alias="Nour").exists():
        return 0
    for user in staff.values():
        actions.add_staff_membership(user, organisation, actor=None)
    officer = staff["duty_officer"]
    now = timezone.now()
    actions.add_shift(
        organisation,
        officer=officer,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=7),
        phone=DUTY_PHONE,
        actor=None,
    )
    add_network(organisation)
    people = [add_person(organisation, demo) for demo in DEMO_PEOPLE]
    add_plans(people)
    # One open drill, so the duty console has something to show and practise on.
    actions.raise_alert(people[2], trigger=Trigger.PANIC_WEB, is_drill=True, place="Tahrir Square")
    return len(people)


def add_network(organisation: Organisation) -> None:
    network = actions.create_network(
        organisation,
        name="Lawyers and embassies (demo)",
        template=NETWORK_TEMPLATE,
        description="Lawyers on call and two embassies' human-rights officers.",
        actor=None,
    )
    actions.add_network_member(
        network, name="Duty lawyer", phone="+201000000221", channels="sms", actor=None
    )
    actions.add_network_member(
        network, name="Embassy officer", email="officer@demo.invalid", channels="email", actor=None
    )
    actions.set_instruction(
        network,
        Situation.DETENTION,
        "Call the police station nearest the last location and ask where they are held.",
        actor=None,
    )


def add_person(organisation: Organisation, demo: DemoPerson) -> ProtectedPerson:
    person = actions.create_person(
        organisation,
        alias=demo.alias,
        phone=demo.phone,
        language=demo.language,
        risk_level=demo.risk_level,
        situation=demo.situation,
        pin=DEMO_PIN,
        actor=None,
    )
    for name, phone, agreed in demo.contacts:
        actions.add_contact(person, name=name, phone=phone, codeword="olive", actor=None)
        if agreed:
            actions.contact_replied(phone, True)
    return person


def add_plans(people: list[ProtectedPerson]) -> None:
    nour, salma, _omar = people
    actions.create_plan(
        nour,
        kind=PlanKind.RECURRING,
        due_time=datetime.time(17, 0),
        checkin_word="jasmine",
        duress_word="lotus",
        actor=None,
    )
    actions.create_plan(
        salma,
        kind=PlanKind.TRIP,
        deadline=timezone.now() + datetime.timedelta(minutes=45),
        checkin_word="river",
        duress_word="stone",
        actor=None,
    )
