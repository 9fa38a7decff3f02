"""Checks of submitted fields shared by the domain apps: text as stored, and one message per
faulty field."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# C0/C1 controls except tab and newline, and the bidi overrides that can disguise text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """Plain text as stored: control characters dropped, line ends unified, ends trimmed."""
    unified = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", unified).strip()


class Checker:
    """Collects one message per faulty field."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, value: str, limit: int) -> str:
        cleaned = clean_text(value)
        if len(cleaned) > limit:
            self.fail(
                name,
                _("This text is too long: at most %(limit)d characters are allowed.")
                % {"limit": limit},
            )
        return cleaned

    def choice(self, name: str, value: str, choices: list[str], blank: bool = False) -> None:
        if blank and value == "":
            return
        if value not in choices:
            self.fail(name, _("This is not one of the allowed choices."))
