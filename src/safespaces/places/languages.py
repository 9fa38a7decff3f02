"""Languages a venue's staff may speak: ISO 639-1 codes, named in the reader's language.

Wider than the site's own languages: a venue serving refugees may speak Tigrinya or Somali.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SPOKEN_LANGUAGES = (
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("am", _("Amharic")),
    ("ti", _("Tigrinya")),
    ("so", _("Somali")),
    ("sw", _("Swahili")),
    ("om", _("Oromo")),
    ("fa", _("Persian")),
    ("ur", _("Urdu")),
    ("tr", _("Turkish")),
    ("ku", _("Kurdish")),
    ("ha", _("Hausa")),
    ("sgn", _("Sign language")),
)
LANGUAGE_CODES = [code for code, _name in SPOKEN_LANGUAGES]
