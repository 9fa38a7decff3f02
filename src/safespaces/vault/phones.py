"""Phone numbers in one canonical form (E.164), so one person always has one number."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number we can dial; the message says why."""


def normalise_phone(number: str, region: str | None = None) -> str:
    """`number` in E.164 (`+201001234567`); `region` (ISO 3166 code) reads national forms."""
    region_code = region.upper() if region else None
    if region_code and region_code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidPhoneNumber(_("The region code is not a known country code."))
    try:
        parsed = phonenumbers.parse(number, region_code)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise InvalidPhoneNumber(
                _("The number needs an international prefix, such as +20 for Egypt.")
            ) from None
        raise InvalidPhoneNumber(_("This does not look like a phone number.")) from None
    # Possible (right length for the country) rather than valid: numbering plans change faster
    # than the library's metadata, and refusing a real number can cost someone help.
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhoneNumber(_("This phone number has too few or too many digits."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
