"""Categories and reports. A report's exact point is personal data: it is kept encrypted."""

from __future__ import annotations

import secrets
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.reports.taxonomy import LANGUAGES
from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import VaultedModel, VaultedQuerySet

# Crockford's base32 without I, L, O and U: nothing to misread when a code is read aloud.
PUBLIC_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PUBLIC_ID_LENGTH = 10
# The resolutions of the public cell columns below (safespaces.geo.privacy.PUBLIC_RESOLUTIONS).
PUBLIC_CELL_RESOLUTIONS = (5, 6, 7, 8, 9)


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class Category(models.Model):
    key = models.SlugField(_("key"), max_length=64, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_ar = models.CharField(_("name in Arabic"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120)
    name_es = models.CharField(_("name in Spanish"), max_length=120)
    preset = models.CharField(_("preset"), max_length=64, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.key

    def name(self, language: str) -> str:
        """The name in that language, or in English when the language is not one of ours."""
        code = language.split("-")[0].lower()
        return str(getattr(self, f"name_{code}" if code in LANGUAGES else "name_en"))

    def names(self) -> dict[str, str]:
        return {language: self.name(language) for language in LANGUAGES}


class Report(VaultedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        VERIFIED = "verified", _("Verified")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    class ReporterRole(models.TextChoices):
        HAPPENED_TO_ME = "happened_to_me", _("It happened to me")
        WITNESSED = "witnessed", _("I witnessed it")
        HEARD_OF = "heard_of", _("I heard of it")

    class AgeRange(models.TextChoices):
        UNDER_18 = "under_18", _("Under 18")
        FROM_18_TO_24 = "18_24", _("18 to 24")
        FROM_25_TO_34 = "25_34", _("25 to 34")
        FROM_35_TO_44 = "35_44", _("35 to 44")
        FROM_45_TO_54 = "45_54", _("45 to 54")
        FROM_55 = "55_plus", _("55 or older")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        OTHER = "other", _("Another gender")

    class Intervention(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("I do not know")

    class Precision(models.TextChoices):
        EXACT = "exact", _("Exact spot")
        STREET = "street", _("Street")
        AREA = "area", _("Area")
        CITY = "city", _("City")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        VOICE = "voice", _("Voice")
        API = "api", _("API")
        STAFF = "staff", _("Staff")

    public_id = models.CharField(
        _("public id"), max_length=PUBLIC_ID_LENGTH, unique=True, default=new_public_id
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), related_name="reports"
    )
    description = models.TextField(_("description"), blank=True)

    occurred_on = models.DateField(_("date"), db_index=True)
    occurred_on_estimated = models.BooleanField(_("date is an estimate"), default=False)
    time_from = models.TimeField(_("time, or start of the time range"), null=True, blank=True)
    time_to = models.TimeField(_("end of the time range"), null=True, blank=True)
    time_estimated = models.BooleanField(_("time is an estimate"), default=False)

    reporter_role = models.CharField(
        _("reporter's role"), max_length=16, choices=ReporterRole.choices
    )
    age_range = models.CharField(
        _("age range"), max_length=16, choices=AgeRange.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    intervention = models.CharField(
        _("did anyone intervene"),
        max_length=8,
        choices=Intervention.choices,
        default=Intervention.UNKNOWN,
    )
    intervention_how = models.TextField(_("how they intervened"), blank=True)

    # "latitude,longitude", encrypted with the report's own data key: moderators only.
    exact_point = EncryptedTextField(_("exact point"))
    # Resolution 7 (about 5 km²): enough to suggest duplicates, never shown publicly.
    area_cell = models.BigIntegerField(_("area cell"), null=True, blank=True, db_index=True)
    place_text = models.CharField(_("place as given"), max_length=200, blank=True)
    precision = models.CharField(
        _("precision"), max_length=8, choices=Precision.choices, default=Precision.AREA
    )

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    consent_public = models.BooleanField(_("may be shown publicly, anonymised"), default=False)
    consent_partners = models.BooleanField(_("may be shared with partners"), default=False)
    contact = EncryptedTextField(_("contact for follow-up"))
    support_count = models.PositiveIntegerField(_("support"), default=0)

    # Computed once, at the first publication, and never again (SECURITY.md 7).
    public_latitude = models.FloatField(_("public latitude"), null=True, blank=True)
    public_longitude = models.FloatField(_("public longitude"), null=True, blank=True)
    public_cell_5 = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    public_cell_6 = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    public_cell_7 = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    public_cell_8 = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    public_cell_9 = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Set when a moderator merges this report, as a duplicate, into the one it points at.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_reports",
    )

    submission_key = models.CharField(
        _("idempotency key"), max_length=100, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        permissions = [
            ("moderate_report", _("Can moderate reports")),
            ("break_report_lock", _("Can break another moderator's edit lock")),
            ("export_report", _("Can export reports")),
            ("export_exact_location", _("Can export the exact location of reports")),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def point(self) -> tuple[float, float] | None:
        """The exact (latitude, longitude), decrypted; for moderators only."""
        if not self.exact_point:
            return None
        latitude, longitude = self.exact_point.split(",")
        return float(latitude), float(longitude)

    @property
    def public_point(self) -> tuple[float, float] | None:
        if self.public_latitude is None or self.public_longitude is None:
            return None
        return self.public_latitude, self.public_longitude

    def set_public_cells(self, cells: dict[int, int]) -> None:
        for resolution in PUBLIC_CELL_RESOLUTIONS:
            setattr(self, f"public_cell_{resolution}", cells[resolution])


class ReportLock(models.Model):
    """One moderator editing a report until `expires_at`; others wait or a coordinator breaks it."""

    report = models.OneToOneField(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="edit_lock"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("held until"))

    class Meta:
        verbose_name = _("edit lock")
        verbose_name_plural = _("edit locks")

    def __str__(self) -> str:
        return f"{self.report_id} until {self.expires_at.isoformat()}"


class MapCell(models.Model):
    """How many public reports lie in one H3 cell: the public map's counts, kept by the actions.

    One row per resolution, cell and category key ("" counts every category), so the map
    answers from a few hundred rows instead of counting a million reports per request.
    """

    resolution = models.PositiveSmallIntegerField()
    cell = models.BigIntegerField()
    category_key = models.CharField(max_length=64, blank=True)
    count = models.PositiveIntegerField(default=0)
    # The cell's centre, for finding the cells of a viewport.
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "category_key", "cell"], name="map_cell_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["resolution", "category_key", "latitude", "longitude"],
                name="map_cell_viewport",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resolution}:{self.cell}:{self.category_key or '*'}={self.count}"


class ReportPhotoManager(models.Manager.from_queryset(VaultedQuerySet)):  # type: ignore[misc]
    """Lists photos without their image, which is loaded (and decrypted) only when read."""

    def get_queryset(self) -> VaultedQuerySet:
        queryset: VaultedQuerySet = super().get_queryset().defer("image")
        return queryset


class ReportPhoto(VaultedModel):
    """A photo a reporter attached, re-encoded without its metadata and kept encrypted.

    The image is personal data: its bytes, base64-encoded, are sealed with the photo's own
    data key, and deleting the report deletes its photos and their keys. Moderators only.
    """

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    byte_size = models.PositiveIntegerField(_("size in bytes"))
    # The re-encoded image, base64: the vault's encrypted fields hold text.
    image = EncryptedTextField(_("image"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects: ClassVar[Any] = ReportPhotoManager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.pk}"


class ReportRecordingManager(models.Manager.from_queryset(VaultedQuerySet)):  # type: ignore[misc]
    """Lists recordings without their audio, which is loaded (and decrypted) only when played."""

    def get_queryset(self) -> VaultedQuerySet:
        queryset: VaultedQuerySet = super().get_queryset().defer("audio")
        return queryset


class ReportRecording(VaultedModel):
    """A report left on the hotline: the caller's recording, fetched from the provider.

    The provider's address and the audio (base64) are sealed with the recording's own data
    key; retention deletes the row, and with it the key. Moderators only.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be fetched")
        STORED = "stored", _("Stored")
        FAILED = "failed", _("Could not be fetched")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="recordings"
    )
    provider = models.CharField(_("provider"), max_length=32)
    source_url = EncryptedTextField(_("address at the provider"))
    audio = EncryptedTextField(_("audio"))
    content_type = models.CharField(_("content type"), max_length=32, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration in seconds"), default=0)
    byte_size = models.PositiveIntegerField(_("size in bytes"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    # The provider's copy was deleted after ours was stored (where its API allows it).
    deleted_at_provider = models.BooleanField(_("deleted at the provider"), default=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    objects: ClassVar[Any] = ReportRecordingManager()

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.pk}"


class ExportJob(VaultedModel):
    """A staff export written by the worker into an encrypted file under the data directory.

    The file is sealed part by part with this row's own data key: deleting the row deletes the
    key, so a copy of the file left anywhere can never be read. `last_report_id`, `chunks`,
    `stored_bytes` and `plain_bytes` are the checkpoint committed after each slice of work; a
    worker killed mid-slice loses that slice only, and the next one starts again from there.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    format = models.CharField(_("format"), max_length=16)
    language = models.CharField(_("language"), max_length=8)
    filters = models.JSONField(_("filters"), default=dict)
    exact_points = models.BooleanField(_("with exact points"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(_("reports counted when asked"), default=0)
    rows_done = models.PositiveIntegerField(_("reports written"), default=0)
    last_report_id = models.BigIntegerField(default=0, editable=False)
    chunks = models.PositiveIntegerField(default=0, editable=False)
    stored_bytes = models.BigIntegerField(default=0, editable=False)
    plain_bytes = models.BigIntegerField(_("size"), default=0, editable=False)
    failures = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    finished_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("deleted after"), db_index=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def unfinished(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent_done(self) -> int:
        """How far the file is written, 0 to 100; reports added since the count cap it at 99."""
        if self.status == self.Status.DONE:
            return 100
        if self.total == 0:
            return 0
        return min(99, self.rows_done * 100 // self.total)
