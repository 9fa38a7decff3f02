"""Escalation ladders, support networks and the duty roster of an organisation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.places.models import Organisation
from safespaces.safety.models import (
    DutyShift,
    EscalationLadder,
    LadderStep,
    NetworkInstruction,
    NetworkMember,
    Situation,
    StaffMembership,
    StepAction,
    SupportNetwork,
)
from safespaces.safety.validation import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    channel_list,
    email_address,
    language_code,
    optional_text,
    phone_number,
    refuse,
    required_text,
)

if TYPE_CHECKING:
    from safespaces.accounts.models import User

StepSpec = tuple[str, int, SupportNetwork | None]
MAX_STEPS = 20
MAX_DELAY_MINUTES = 7 * 24 * 60
# The default ladder: remind the person (check-ins only), alert contacts, the duty officer,
# then the organisation's first support network (none: the step is skipped and noted).
DEFAULT_STEPS: tuple[tuple[str, int], ...] = (
    (StepAction.REMIND_PERSON, 0),
    (StepAction.ALERT_CONTACTS, 0),
    (StepAction.ALERT_DUTY, 5),
    (StepAction.ACTIVATE_NETWORK, 15),
)


def clean_steps(organisation: Organisation, steps: Sequence[StepSpec]) -> list[StepSpec]:
    if not steps:
        raise refuse("steps", _("A ladder needs at least one step."))
    if len(steps) > MAX_STEPS:
        raise refuse("steps", _("A ladder has at most %(count)d steps.") % {"count": MAX_STEPS})
    cleaned = []
    for action, delay, network in steps:
        if action not in StepAction.values:
            raise refuse("steps", _("Choose one of the step actions."))
        if not 0 <= int(delay) <= MAX_DELAY_MINUTES:
            raise refuse("steps", _("A step's delay is between 0 minutes and a week."))
        if network is not None and network.organisation_id != organisation.pk:
            raise refuse("steps", _("Choose one of this organisation's support networks."))
        cleaned.append(
            (action, int(delay), network if action == StepAction.ACTIVATE_NETWORK else None)
        )
    return cleaned


def repeat_every(value: int | None) -> int:
    """Minutes between repeats; None: SAFESPACES_ALERT_REPEAT_MINUTES."""
    if value is None:
        return int(settings.SAFESPACES_ALERT_REPEAT_MINUTES)
    if not 1 <= int(value) <= 24 * 60:
        raise refuse("repeat_minutes", _("Repeat every 1 to 1440 minutes."))
    return int(value)


def write_steps(ladder: EscalationLadder, steps: Sequence[StepSpec]) -> None:
    ladder.steps.all().delete()
    LadderStep.objects.bulk_create(
        LadderStep(ladder=ladder, position=index, action=action, delay_minutes=delay, network=net)
        for index, (action, delay, net) in enumerate(steps)
    )


@transaction.atomic
def create_ladder(
    organisation: Organisation,
    *,
    name: str,
    steps: Sequence[StepSpec],
    repeat_minutes: int | None = None,
    actor: User | None,
) -> EscalationLadder:
    ladder = EscalationLadder.objects.create(
        organisation=organisation,
        name=required_text("name", name, MAX_NAME_CHARS),
        repeat_minutes=repeat_every(repeat_minutes),
    )
    write_steps(ladder, clean_steps(organisation, steps))
    record_event("ladder:create", actor, str(ladder.pk), {"steps": len(steps)})
    return ladder


@transaction.atomic
def update_ladder(
    ladder: EscalationLadder,
    *,
    name: str | None = None,
    steps: Sequence[StepSpec] | None = None,
    repeat_minutes: int | None = None,
    actor: User | None,
) -> EscalationLadder:
    """Open alerts follow the new steps from the step they are at."""
    if name is not None:
        ladder.name = required_text("name", name, MAX_NAME_CHARS)
    if repeat_minutes is not None:
        ladder.repeat_minutes = repeat_every(repeat_minutes)
    ladder.save()
    if steps is not None:
        write_steps(ladder, clean_steps(ladder.organisation, steps))
    record_event("ladder:update", actor, str(ladder.pk), {"steps_changed": steps is not None})
    return ladder


def default_ladder(organisation: Organisation) -> EscalationLadder:
    """The organisation's default ladder, made on first use."""
    existing = EscalationLadder.objects.filter(organisation=organisation, is_default=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ladder = EscalationLadder.objects.create(
                organisation=organisation,
                name=str(_("Default")),
                is_default=True,
                repeat_minutes=repeat_every(None),
            )
            write_steps(ladder, [(action, delay, None) for action, delay in DEFAULT_STEPS])
            record_event("ladder:create", "system", str(ladder.pk), {"default": True})
            return ladder
    except IntegrityError:  # another process made it first
        return EscalationLadder.objects.get(organisation=organisation, is_default=True)


@transaction.atomic
def create_network(
    organisation: Organisation,
    *,
    name: str,
    template: str,
    description: str = "",
    actor: User | None,
) -> SupportNetwork:
    network = SupportNetwork.objects.create(
        organisation=organisation,
        name=required_text("name", name, MAX_NAME_CHARS),
        template=required_text("template", template, MAX_TEXT_CHARS),
        description=optional_text("description", description, MAX_TEXT_CHARS),
    )
    record_event("network:create", actor, str(network.pk))
    return network


@transaction.atomic
def add_network_member(
    network: SupportNetwork,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    language: str = "",
    channels: str,
    actor: User | None,
) -> NetworkMember:
    member = NetworkMember(
        network=network,
        name=required_text("name", name, MAX_NAME_CHARS),
        phone=phone_number("phone", phone),
        email=email_address("email", email),
        language=language_code("language", language),
    )
    if not member.phone and not member.email:
        raise refuse("phone", _("Give a phone number or an email address."))
    member.channels = channel_list(
        "channels", channels, phone=member.phone or "", email=member.email or ""
    )
    member.save()
    record_event("network:add_member", actor, str(member.pk), {"network": network.pk})
    return member


@transaction.atomic
def remove_network_member(member: NetworkMember, *, actor: User | None) -> None:
    member_id, network_id = str(member.pk), member.network_id
    member.delete()
    record_event("network:remove_member", actor, member_id, {"network": network_id})


@transaction.atomic
def set_instruction(
    network: SupportNetwork, situation: str, text: str, *, actor: User | None
) -> NetworkInstruction | None:
    """What members are asked to do in this situation; empty text removes it."""
    if situation not in Situation.values:
        raise refuse("situation", _("Choose one of the situations."))
    cleaned = optional_text("text", text, MAX_TEXT_CHARS)
    record_event("network:set_instruction", actor, str(network.pk), {"situation": situation})
    if not cleaned:
        NetworkInstruction.objects.filter(network=network, situation=situation).delete()
        return None
    instruction, _created = NetworkInstruction.objects.update_or_create(
        network=network, situation=situation, defaults={"text": cleaned}
    )
    return instruction


@transaction.atomic
def add_shift(
    organisation: Organisation,
    *,
    officer: User,
    starts_at: datetime,
    ends_at: datetime,
    phone: str,
    channels: str = "sms,voice",
    actor: User | None,
) -> DutyShift:
    """A shift on the roster; the officer must belong to the organisation to see its people."""
    if ends_at <= starts_at:
        raise refuse("ends_at", _("A shift ends after it starts."))
    if not StaffMembership.objects.filter(user=officer, organisation=organisation).exists():
        raise refuse("officer", _("The officer must be a member of this organisation."))
    number = phone_number("phone", phone)
    if not number:
        raise refuse("phone", _("This field is required."))
    shift = DutyShift(
        organisation=organisation,
        officer=officer,
        starts_at=starts_at,
        ends_at=ends_at,
        phone=number,
        channels=channel_list("channels", channels, phone=number, email=officer.email),
    )
    shift.save()
    record_event("shift:add", actor, str(shift.pk), {"officer": officer.pseudonym})
    return shift


@transaction.atomic
def remove_shift(shift: DutyShift, *, actor: User | None) -> None:
    shift_id = str(shift.pk)
    shift.delete()
    record_event("shift:remove", actor, shift_id)


def on_duty(organisation: Organisation, at: datetime | None = None) -> list[DutyShift]:
    moment = at or timezone.now()
    shifts = DutyShift.objects.select_related("officer").filter(
        organisation=organisation, starts_at__lte=moment, ends_at__gt=moment
    )
    return list(shifts.order_by("starts_at", "pk"))


def on_duty_numbers(at: datetime | None = None) -> list[str]:
    """Every organisation's officers on duty now, first shift first: the hotline dials them."""
    moment = at or timezone.now()
    shifts = DutyShift.objects.filter(starts_at__lte=moment, ends_at__gt=moment)
    numbers = [shift.phone for shift in shifts.order_by("starts_at", "pk") if shift.phone]
    return list(dict.fromkeys(numbers))
