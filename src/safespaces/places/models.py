"""The safe-space directory, shaped after Open Referral HSDS 3.0.

An Organisation (HSDS organization) runs Venues (HSDS location + service_at_location): a shop
or café of the safe-area network, a shelter, a clinic... A venue serves groups of people,
speaks languages, offers services, keeps opening hours in OpenStreetMap syntax, and counts as
a safe space only while its pledge is current, it has enough trained staff and it is not
suspended. A confidential venue (a shelter) keeps its address and point from everyone but
vetted roles: the public gets its organisation's hotline instead (SECURITY.md 8).
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import VaultedModel


def new_verify_token() -> str:
    return secrets.token_urlsafe(18)


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Public numbers: the hotline is what the public gets instead of a confidential address.
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    hotline = models.CharField(_("hotline"), max_length=32, blank=True)
    hotline_is_24_7 = models.BooleanField(_("hotline answers day and night"), default=False)
    # Where an imported record came from ("hsds", "csv", "geojson", "osm") and its id there:
    # importing the same file again updates instead of duplicating (places.importing).
    source = models.CharField(_("imported from"), max_length=16, blank=True)
    external_id = models.CharField(_("id in the imported file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=("source", "external_id"),
                condition=~models.Q(external_id=""),
                name="organisation_external_id_unique",
            ),
        )

    def __str__(self) -> str:
        return self.name


class VenueKind(models.TextChoices):
    SHOP = "shop", _("Shop")
    CAFE = "cafe", _("Café or restaurant")
    SHELTER = "shelter", _("Shelter")
    CLINIC = "clinic", _("Clinic")
    LEGAL_AID = "legal_aid", _("Legal aid")
    DROP_IN = "drop_in", _("Drop-in centre")
    SCHOOL = "school", _("School or campus")
    RELIGIOUS = "religious", _("Religious centre")
    EMBASSY = "embassy", _("Embassy or consulate")
    POLICE = "police", _("Police unit")
    OTHER = "other", _("Other")


class Group(models.TextChoices):
    """Who a venue serves (a venue with none listed serves everyone)."""

    WOMEN = "women", _("Women")
    CHILDREN_YOUTH = "children_youth", _("Children and young people")
    LGBTQI = "lgbtqi", _("LGBTQI+ people")
    SEX_WORKERS = "sex_workers", _("Sex workers")
    MIGRANTS_REFUGEES = "migrants_refugees", _("Migrants and refugees")
    DEFENDERS = "defenders", _("Human-rights defenders")


class Service(models.TextChoices):
    """What a venue offers."""

    REFUGE = "refuge", _("A safe place to wait")
    PHONE = "phone", _("A phone to call for help")
    FIRST_AID = "first_aid", _("First aid")
    MEDICAL = "medical", _("Medical care")
    COUNSELLING = "counselling", _("Counselling")
    LEGAL = "legal", _("Legal advice")
    SHELTER = "shelter", _("Overnight shelter")
    FOOD = "food", _("Food and water")
    CHARGING = "charging", _("Phone charging")
    REFERRAL = "referral", _("Referral to other services")


class VenueStatus(models.TextChoices):
    PENDING = "pending", _("Being recruited")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed for good")


class LiveStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    OPEN = "open", _("Open")
    FULL = "full", _("Full")
    CLOSED = "closed", _("Closed now")


class Venue(VaultedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=VenueKind.choices)
    description = models.TextField(_("description"), blank=True)
    confidential = models.BooleanField(_("confidential (address never public)"), default=False)
    # Public venues: address in clear. Confidential ones: blank here, the address encrypted.
    address = models.CharField(_("address"), max_length=300, blank=True)
    confidential_address = EncryptedTextField()
    # The point, for search; never shown outside vetted roles for a confidential venue.
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # H3 cells of the point at the search resolutions (geo.cells), kept in step on save.
    cell_7 = models.BigIntegerField(db_index=True, editable=False, default=0)
    cell_9 = models.BigIntegerField(db_index=True, editable=False, default=0)
    directions = models.CharField(_("how to get there"), max_length=300, blank=True)
    phone = models.CharField(_("public phone"), max_length=32, blank=True)
    # The venue's own contact number for status polls and heads-ups: never public.
    contact_phone = EncryptedTextField()
    # Blind index of contact_phone (vault.blind_index.phone_index): finds the venue by the
    # number its poll replies come from, without the number in clear.
    contact_phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    groups = models.JSONField(_("groups served"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("youngest age served"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age served"), null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    services = models.JSONField(_("services"), default=list, blank=True)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=300, blank=True)
    # OpenStreetMap opening_hours syntax ("Mo-Fr 09:00-18:00; Sa 10:00-14:00", "24/7").
    opening_hours = models.CharField(_("opening hours"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VenueStatus.choices, default=VenueStatus.PENDING
    )
    suspension_reason = models.CharField(_("reason for suspension"), max_length=300, blank=True)
    # The pledge (HarassMap's Safe Areas, Hollaback!'s Safer Space, National Safe Place).
    pledge_signed_on = models.DateField(_("pledge signed"), null=True, blank=True)
    pledge_commitments = models.TextField(_("commitments"), blank=True)
    pledge_renewal_due = models.DateField(_("pledge renewal due"), null=True, blank=True)
    next_visit_due = models.DateField(_("next verification visit due"), null=True, blank=True)
    # What the window sign's QR code links to: /verify/<token>/. A new token revokes the sign.
    verify_token = models.CharField(
        _("sign token"), max_length=32, unique=True, default=new_verify_token
    )
    live_status = models.CharField(
        _("live status"), max_length=8, choices=LiveStatus.choices, default=LiveStatus.UNKNOWN
    )
    live_status_at = models.DateTimeField(_("live status reported"), null=True, blank=True)
    heads_up = models.BooleanField(_("send a heads-up when we direct someone here"), default=False)
    # As for Organisation: an import matches venues on (source, external id).
    source = models.CharField(_("imported from"), max_length=16, blank=True)
    external_id = models.CharField(_("id in the imported file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ("name",)
        indexes = (models.Index(fields=("status", "cell_7"), name="venue_search_idx"),)
        constraints = (
            models.UniqueConstraint(
                fields=("source", "external_id"),
                condition=~models.Q(external_id=""),
                name="venue_external_id_unique",
            ),
        )
        permissions = (
            ("manage_venue", _("Can manage safe-space venues")),
            ("view_confidential_venue", _("Can see the address of confidential venues")),
            ("moderate_venue_feedback", _("Can moderate flags and proposed edits of venues")),
        )

    def __str__(self) -> str:
        return self.name


class TrainedStaff(VaultedModel):
    """A person at the venue trained to take someone in; named only encrypted."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="trained_staff")
    name = EncryptedTextField()
    trained_on = models.DateField(_("trained on"))
    expires_on = models.DateField(_("training expires"))

    class Meta:
        verbose_name = _("trained staff member")
        verbose_name_plural = _("trained staff")
        ordering = ("-trained_on",)

    def __str__(self) -> str:
        return f"trained staff {self.pk}"


class VerificationVisit(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    passed = models.BooleanField(_("passed"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("verification visit")
        verbose_name_plural = _("verification visits")
        ordering = ("-visited_on",)

    def __str__(self) -> str:
        return f"visit {self.pk}"


class FlagKind(models.TextChoices):
    UNSAFE = "unsafe", _("Unsafe")
    CLOSED = "closed", _("Closed")
    WRONG = "wrong", _("Wrong information")


class VenueFlag(models.Model):
    """A member of the public says something is wrong with a venue."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=8, choices=FlagKind.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.kind} flag {self.pk}"


class ProposedEdit(models.Model):
    """Changes to a venue proposed by the public, versioned, waiting for moderation."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="proposed_edits")
    # {"field": "new value", ...} over the public fields only.
    changes = models.JSONField(_("changes"))
    # The venue's updated_at when the edit was proposed: a stale edit is shown as such.
    based_on = models.DateTimeField(_("based on the version of"))
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("proposed edit")
        verbose_name_plural = _("proposed edits")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"proposed edit {self.pk}"
