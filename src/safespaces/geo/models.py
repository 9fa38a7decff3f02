"""Cities a deployment serves: the centre of its maps and the area place names are ranked by."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from safespaces.geo.cells import CITY_RESOLUTION, cell_id, validate_point


class City(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    country_code = models.CharField(
        _("country code"), max_length=2, help_text=_("ISO 3166-1 alpha-2.")
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    cell = models.BigIntegerField(_("H3 cell"), db_index=True, editable=False)
    time_zone = models.CharField(_("time zone"), max_length=64)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.cell = cell_id(self.latitude, self.longitude, CITY_RESOLUTION)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        try:
            validate_point(self.latitude, self.longitude)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class NamedPlace(models.Model):
    """A place people name when they say where something happened: a square, a station, a street."""

    class Kind(models.TextChoices):
        LANDMARK = "landmark", _("landmark")
        METRO_STATION = "metro_station", _("metro station")
        TRANSIT_STOP = "transit_stop", _("transit stop")
        STREET = "street", _("street")
        SQUARE = "square", _("square")
        DISTRICT = "district", _("district")
        NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")
        CITY = "city", _("city")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        CSV = "csv", "CSV"
        GEOJSON = "geojson", "GeoJSON"
        OSM = "osm", "OpenStreetMap"

    name = models.CharField(_("name"), max_length=255)
    normalised_name = models.CharField(
        _("normalised name"), max_length=255, db_index=True, editable=False
    )
    alternative_names = models.JSONField(_("alternative names"), default=list, blank=True)
    # The match keys of every name (safespaces.geo.gazetteer.normalise), kept for scoring.
    match_keys = models.JSONField(default=list, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    cell = models.BigIntegerField(_("H3 cell"), db_index=True, editable=False)
    city = models.ForeignKey(
        City, verbose_name=_("city"), null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    external_id = models.CharField(_("external id"), max_length=255)

    class Meta:
        verbose_name = _("named place")
        verbose_name_plural = _("named places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="geo_namedplace_unique_source_id"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlaceGram(models.Model):
    """One trigram of a place's match keys: the index that finds candidates on any database."""

    place = models.ForeignKey(NamedPlace, on_delete=models.CASCADE, related_name="grams")
    gram = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gram", "place"], name="geo_placegram_unique_gram")
        ]

    def __str__(self) -> str:
        return self.gram
