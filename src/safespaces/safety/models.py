"""People at risk, the contacts who watch over them, their check-in plans, and alerts.

A protected person is known by an alias; their phone, email, notes and locations are
encrypted per record, and found again by phone or email only through blind indexes. The
escalation engine (safety.engine) keeps every deadline in a column the worker reads, and
moves an alert or a plan on with a conditional update, so each step happens once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import VaultedModel


class StaffMembership(models.Model):
    """A staff member works for an organisation: they see only its people at risk."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "places.Organisation", on_delete=models.CASCADE, related_name="staff_memberships"
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = (
            models.UniqueConstraint(fields=("user", "organisation"), name="membership_once"),
        )

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organisation_id}"


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class LocationSource(models.TextChoices):
    SMS = "sms", _("Text message")
    APP = "app", _("App")
    WEB = "web", _("Panic page")
    HOTLINE = "hotline", _("Hotline")
    STAFF = "staff", _("Staff")


class ProtectedPerson(VaultedModel):
    """Someone at risk whom an organisation watches over (pseudonymous: an alias)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "places.Organisation", on_delete=models.PROTECT, related_name="protected_people"
    )
    alias = models.CharField(_("alias"), max_length=80)
    phone = EncryptedTextField()
    phone_index = models.CharField(
        _("phone index"), max_length=64, blank=True, db_index=True, editable=False
    )
    email = EncryptedTextField()
    email_index = models.CharField(
        _("email index"), max_length=64, blank=True, db_index=True, editable=False
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Where "until 18:30" and daily deadlines are read; blank: the deployment's TIME_ZONE.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    # What responders need to know, sent with an alert ("journalist, threatened after ...").
    situation = EncryptedTextField()
    # Argon2 hash of the PIN that ends an alert ("I'm safe"); a wrong PIN ends nothing.
    pin_hash = models.CharField(_("PIN"), max_length=255, blank=True, editable=False)
    # Bumping it revokes every panic link given out before.
    panic_link_version = models.PositiveIntegerField(default=1, editable=False)
    ladder = models.ForeignKey(
        "EscalationLadder",
        verbose_name=_("escalation ladder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The last known location: "latitude,longitude" and/or the words given, encrypted.
    last_location = EncryptedTextField()
    last_location_at = models.DateTimeField(_("last location at"), null=True, blank=True)
    last_location_source = models.CharField(
        _("last location source"), max_length=16, choices=LocationSource.choices, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("protected person")
        verbose_name_plural = _("protected people")
        ordering = ("alias",)
        permissions = (
            ("watch_person", _("Can see people at risk and answer their alerts")),
            ("manage_person", _("Can set up people at risk, contacts and plans")),
        )

    def __str__(self) -> str:
        return self.alias


class Consent(models.TextChoices):
    ASKED = "asked", _("Asked, no answer yet")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn (STOP)")


class TrustedContact(VaultedModel):
    """Someone a person trusts to be alerted; they get nothing until they agree."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(ProtectedPerson, on_delete=models.CASCADE, related_name="contacts")
    name = EncryptedTextField()
    phone = EncryptedTextField()
    phone_index = models.CharField(
        _("phone index"), max_length=64, blank=True, db_index=True, editable=False
    )
    email = EncryptedTextField()
    email_index = models.CharField(
        _("email index"), max_length=64, blank=True, db_index=True, editable=False
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Channels to try, in order, from outbox.Channel values ("sms,whatsapp,voice,email").
    channels = models.CharField(_("channels"), max_length=64, default="sms,email")
    # Said in every alert, so the contact can tell a real alert from a forged one.
    codeword = EncryptedTextField()
    consent = models.CharField(
        _("consent"), max_length=16, choices=Consent.choices, default=Consent.ASKED
    )
    consent_asked_at = models.DateTimeField(_("consent asked"), null=True, blank=True)
    consent_changed_at = models.DateTimeField(_("consent changed"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("trusted contact")
        verbose_name_plural = _("trusted contacts")
        ordering = ("person", "position", "created_at")

    def __str__(self) -> str:
        return f"contact {self.pk}"


class Situation(models.TextChoices):
    PANIC = "panic", _("Panic alert")
    MISSED_CHECKIN = "missed_checkin", _("Missed check-in")
    DURESS = "duress", _("Duress")
    DETENTION = "detention", _("Detention or arrest")
    OTHER = "other", _("Other")


class SupportNetwork(models.Model):
    """A group of responders activated in an emergency (officials, lawyers, embassies...)."""

    organisation = models.ForeignKey(
        "places.Organisation", on_delete=models.CASCADE, related_name="support_networks"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # The message sent to every member on activation; placeholders {alias}, {situation}, {link}.
    template = models.TextField(_("activation message"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("support network")
        verbose_name_plural = _("support networks")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class NetworkInstruction(models.Model):
    """What the network's members are asked to do in one situation."""

    network = models.ForeignKey(
        SupportNetwork, on_delete=models.CASCADE, related_name="instructions"
    )
    situation = models.CharField(_("situation"), max_length=16, choices=Situation.choices)
    text = models.TextField(_("instructions"))

    class Meta:
        verbose_name = _("network instruction")
        verbose_name_plural = _("network instructions")
        constraints = (
            models.UniqueConstraint(
                fields=("network", "situation"), name="one_instruction_per_situation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.network_id}:{self.situation}"


class NetworkMember(VaultedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(SupportNetwork, on_delete=models.CASCADE, related_name="members")
    name = EncryptedTextField()
    phone = EncryptedTextField()
    email = EncryptedTextField()
    language = models.CharField(_("language"), max_length=8, blank=True)
    channels = models.CharField(_("channels"), max_length=64, default="sms,email")

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")

    def __str__(self) -> str:
        return f"member {self.pk}"


class DutyShift(VaultedModel):
    """Who is on call, when, and on which phone (the duty roster)."""

    organisation = models.ForeignKey(
        "places.Organisation", on_delete=models.CASCADE, related_name="duty_shifts"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_shifts"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    phone = EncryptedTextField()
    channels = models.CharField(_("channels"), max_length=64, default="sms,voice")

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ("starts_at",)
        indexes = (models.Index(fields=("organisation", "ends_at"), name="duty_shift_idx"),)
        permissions = (("manage_roster", _("Can change the duty roster")),)

    def __str__(self) -> str:
        return f"shift {self.pk}"


class EscalationLadder(models.Model):
    """What happens, in order and after what delay, when an alert stays unanswered."""

    organisation = models.ForeignKey(
        "places.Organisation", on_delete=models.CASCADE, related_name="escalation_ladders"
    )
    name = models.CharField(_("name"), max_length=120)
    # Open alerts repeat to everyone already alerted every so many minutes until acknowledged.
    repeat_minutes = models.PositiveIntegerField(_("repeat every (minutes)"), default=5)
    # The organisation's ladder for people and plans that name none (made on first use).
    is_default = models.BooleanField(_("default"), default=False, editable=False)

    class Meta:
        verbose_name = _("escalation ladder")
        verbose_name_plural = _("escalation ladders")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=("organisation",), condition=Q(is_default=True), name="one_default_ladder"
            ),
        )

    def __str__(self) -> str:
        return self.name


class StepAction(models.TextChoices):
    REMIND_PERSON = "remind_person", _("Remind the person")
    ALERT_CONTACTS = "alert_contacts", _("Alert trusted contacts")
    ALERT_DUTY = "alert_duty", _("Alert the duty officer")
    ACTIVATE_NETWORK = "activate_network", _("Activate a support network")


class LadderStep(models.Model):
    ladder = models.ForeignKey(EscalationLadder, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    action = models.CharField(_("action"), max_length=20, choices=StepAction.choices)
    # Minutes after the previous step (after the alert opened, for the first step).
    delay_minutes = models.PositiveIntegerField(_("delay (minutes)"), default=0)
    network = models.ForeignKey(
        SupportNetwork, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ("ladder", "position")
        constraints = (
            models.UniqueConstraint(fields=("ladder", "position"), name="ladder_step_once"),
        )

    def __str__(self) -> str:
        return f"{self.ladder_id}#{self.position} {self.action}"


class PlanKind(models.TextChoices):
    RECURRING = "recurring", _("Recurring (every day or on some weekdays, by a time)")
    TRIP = "trip", _("One trip (check in by a deadline)")


class PlanState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class CheckInPlan(models.Model):
    """A dead-man's switch: check in before each deadline, or the ladder starts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        ProtectedPerson, on_delete=models.CASCADE, related_name="checkin_plans"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    # Recurring: the local time to check in by, on these ISO weekdays ("1234567" = every day).
    due_time = models.TimeField(_("check in by"), null=True, blank=True)
    weekdays = models.CharField(_("weekdays"), max_length=7, default="1234567")
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    grace_minutes = models.PositiveIntegerField(_("grace period (minutes)"), default=15)
    # Argon2 hashes: the word that checks in, and the word that looks the same but escalates.
    checkin_word_hash = models.CharField(max_length=255, blank=True, editable=False)
    duress_word_hash = models.CharField(max_length=255, blank=True, editable=False)
    ladder = models.ForeignKey(
        EscalationLadder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PlanState.choices, default=PlanState.ACTIVE
    )
    is_drill = models.BooleanField(_("drill"), default=False)
    # The next deadline (the grace period not included), and when it is overdue (included).
    next_deadline = models.DateTimeField(_("next deadline"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue at"), null=True, blank=True)
    last_checkin_at = models.DateTimeField(_("last check-in"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("check-in plan")
        verbose_name_plural = _("check-in plans")
        indexes = (
            # The worker's scan: active plans past their deadline plus grace.
            models.Index(
                fields=("overdue_at",), condition=Q(state="active"), name="plan_overdue_idx"
            ),
        )

    def __str__(self) -> str:
        return f"plan {self.pk}"


class Trigger(models.TextChoices):
    PANIC_WEB = "panic_web", _("Panic button (web page)")
    PANIC_API = "panic_api", _("Panic button (app)")
    PANIC_SMS = "panic_sms", _("Panic by text message")
    PANIC_HOTLINE = "panic_hotline", _("Panic by phone call")
    PANIC_STAFF = "panic_staff", _("Raised by staff")
    MISSED_CHECKIN = "missed_checkin", _("Missed check-in")
    DURESS = "duress", _("Duress word")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Outcome(models.TextChoices):
    SAFE = "safe", _("Person safe")
    ASSISTED = "assisted", _("Assistance given")
    FALSE_ALARM = "false_alarm", _("False alarm")
    DRILL = "drill", _("Drill")
    OTHER = "other", _("Other")


class Alert(models.Model):
    """One emergency of one person, from trigger to resolution."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(ProtectedPerson, on_delete=models.CASCADE, related_name="alerts")
    plan = models.ForeignKey(
        CheckInPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    is_drill = models.BooleanField(_("drill"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    ladder = models.ForeignKey(
        EscalationLadder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The engine's cursor: the ladder step to run next and when; repeats to those alerted.
    next_step = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    repeat_round = models.PositiveIntegerField(default=0)
    next_repeat_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ("-opened_at",)
        indexes = (
            # Steps go on after an acknowledgement: the cursor is cleared when none is left.
            models.Index(
                fields=("next_step_at",),
                condition=Q(next_step_at__isnull=False),
                name="alert_step_due_idx",
            ),
            models.Index(
                fields=("next_repeat_at",),
                condition=Q(status="open"),
                name="alert_next_repeat_idx",
            ),
        )

    def __str__(self) -> str:
        return f"alert {self.pk}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Alert raised")
    TRIGGERED_AGAIN = "triggered_again", _("Raised again while open")
    STEP = "step", _("Escalation step")
    REPEATED = "repeated", _("Alert repeated")
    DELIVERY_FAILED = "delivery_failed", _("A message could not be delivered")
    OPTED_OUT = "opted_out", _("A recipient had opted out (STOP)")
    NO_DUTY = "no_duty", _("No one was on duty")
    CHECKED_IN = "checked_in", _("The person checked in")
    LOCATION = "location", _("Location update")
    CLAIMED = "claimed", _("Claimed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    NOTE = "note", _("Note")
    CALL = "call", _("Call")
    NETWORK = "network", _("Support network activated")
    WRONG_PIN = "wrong_pin", _("Wrong PIN")
    ENDED = "ended", _("Ended by the person")
    RESOLVED = "resolved", _("Resolved")


class AlertEvent(VaultedModel):
    """A line of an alert's timeline; notes and places are encrypted."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        TrustedContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = EncryptedTextField()

    class Meta:
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class RecipientKind(models.TextChoices):
    PERSON = "person", _("The person")
    CONTACT = "contact", _("Trusted contact")
    DUTY = "duty", _("Duty officer")
    NETWORK = "network", _("Support network member")


class AlertDelivery(models.Model):
    """One outbox message sent for an alert, to whom, for which step and round.

    The unique key makes each (step or repeat round, recipient, channel) at most one
    message, whatever the workers do.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    message = models.OneToOneField(
        "outbox.Message", null=True, on_delete=models.SET_NULL, related_name="alert_delivery"
    )
    recipient_kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    # The contact's, member's or shift's id, or the person's.
    recipient_id = models.CharField(max_length=64)
    channel = models.CharField(max_length=16)
    step = models.SmallIntegerField(default=-1)
    round = models.PositiveIntegerField(default=0)
    # The failure was handled: the next channel or person was tried.
    failure_handled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("alert message")
        verbose_name_plural = _("alert messages")
        constraints = (
            models.UniqueConstraint(
                fields=("alert", "recipient_kind", "recipient_id", "channel", "step", "round"),
                name="alert_delivery_once",
            ),
        )

    def __str__(self) -> str:
        return f"{self.alert_id} {self.recipient_kind} {self.channel}"


class CanaryCheck(models.Model):
    """The daily self-test: a message through one gateway, and whether it arrived."""

    gateway = models.CharField(_("gateway"), max_length=32)
    token = models.CharField(max_length=32, unique=True)
    message = models.OneToOneField(
        "outbox.Message", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warning raised"), null=True, blank=True)

    class Meta:
        verbose_name = _("gateway self-test")
        verbose_name_plural = _("gateway self-tests")
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return f"canary {self.gateway} {self.sent_at:%Y-%m-%d}"
