"""The settings form of one gateway, built from its field list (outbox.gateways.fields).

Secrets are never shown back: a blank secret keeps the saved one, and a box forgets it.
A blank plain value forgets the console's value, so the environment's applies again.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from safespaces.outbox.gateway_accounts import GatewayChanges
from safespaces.outbox.gateways.fields import GatewayField, fields_of

MAX_VALUE_CHARS = 500


def language_choices() -> list[tuple[str, Any]]:
    return [("", _("The deployment's default")), *settings.LANGUAGES]


def is_phone_number(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


class GatewaySettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Default language of replies"), required=False, choices=language_choices
    )
    enabled = forms.BooleanField(
        label=_("Switched on: messages may be sent through this gateway."), required=False
    )

    def __init__(self, gateway: str, saved: dict[str, str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gateway_fields = fields_of(gateway)
        self.saved = saved
        order = []
        for gateway_field in self.gateway_fields:
            self.fields[gateway_field.key] = self.value_field(gateway_field)
            order.append(gateway_field.key)
            if gateway_field.secret and gateway_field.key in saved:
                self.fields[f"forget_{gateway_field.key}"] = forms.BooleanField(
                    label=_("Forget the saved value of “%(setting)s”")
                    % {"setting": gateway_field.label},
                    required=False,
                )
                order.append(f"forget_{gateway_field.key}")
        self.order_fields([*order, "language", "enabled"])

    def value_field(self, gateway_field: GatewayField) -> forms.CharField:
        if gateway_field.secret:
            saved = gateway_field.key in self.saved
            return forms.CharField(
                label=str(gateway_field.label),
                required=False,
                max_length=MAX_VALUE_CHARS,
                strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                help_text=_("Set. Leave blank to keep it.") if saved else _("Not set."),
            )
        return forms.CharField(
            label=str(gateway_field.label),
            required=False,
            max_length=MAX_VALUE_CHARS,
            initial=self.saved.get(gateway_field.key, ""),
            help_text=_("Leave blank to use the value from the environment, if any."),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for gateway_field in self.gateway_fields:
            value = cleaned.get(gateway_field.key, "")
            if value and gateway_field.kind == "url" and not self.is_web_address(value):
                self.add_error(
                    gateway_field.key, _("Enter a web address, like https://sms.example.org.")
                )
            if value and gateway_field.kind == "phone" and not is_phone_number(value):
                self.add_error(
                    gateway_field.key,
                    _("Enter the number in international form, like +201001234567."),
                )
        return cleaned

    @staticmethod
    def is_web_address(value: str) -> bool:
        try:
            URLValidator(schemes=["https", "http"])(value)
        except forms.ValidationError:
            return False
        return True

    def changes(self) -> GatewayChanges:
        data = self.cleaned_data
        values: dict[str, str] = {}
        removed: set[str] = set()
        for gateway_field in self.gateway_fields:
            value = data.get(gateway_field.key, "")
            if value:
                values[gateway_field.key] = value
            elif not gateway_field.secret or data.get(f"forget_{gateway_field.key}"):
                removed.add(gateway_field.key)
        return GatewayChanges(
            language=data.get("language", ""),
            enabled=bool(data.get("enabled")),
            values=values,
            removed=frozenset(removed),
        )
