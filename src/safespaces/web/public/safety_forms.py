"""The forms of the panic page: send an alert, add where you are, end it with your PIN."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PLACE_CHARS = 200
MAX_PIN_CHARS = 32


def place_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_PLACE_CHARS,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )


def coordinate(limit: float) -> forms.FloatField:
    # Filled in by panic.js from the browser's position; never typed.
    return forms.FloatField(
        required=False, min_value=-limit, max_value=limit, widget=forms.HiddenInput
    )


class PanicForm(forms.Form):
    place = place_field(_("Where are you? (optional)"))
    latitude = coordinate(90)
    longitude = coordinate(180)
    # Two of these forms share the page: their fields need ids of their own.
    id_prefix = "panic"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("latitude") is None or cleaned.get("longitude") is None:
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned

    def where(self) -> dict[str, Any]:
        """The place and point given, leaving out whatever was not valid.

        A panic is never refused for its location: a bad point is dropped, the alert goes.
        """
        self.is_valid()
        data = self.cleaned_data
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is None or longitude is None:
            latitude = longitude = None
        return {"place": data.get("place", ""), "latitude": latitude, "longitude": longitude}


class LocationForm(PanicForm):
    place = place_field(_("Where are you now?"))
    id_prefix = "location"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("place") and cleaned.get("latitude") is None:
            raise forms.ValidationError(
                _("Write where you are, or let this page use your phone's position.")
            )
        return cleaned


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("Your PIN"),
        max_length=MAX_PIN_CHARS,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
