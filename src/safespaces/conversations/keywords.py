"""Keywords that start commands, in English, Arabic, French and Spanish.

Defaults live here; coordinators add or remove words in the console (CommandKeyword rows),
which replace the defaults of that command and language once any exist.
"""

from __future__ import annotations

import unicodedata

# command -> language -> words. "info" has none: it answers anything unrecognised.
DEFAULT_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "report": {
        "en": ("report",),
        "ar": ("بلاغ", "ابلاغ"),
        "fr": ("signaler", "signalement"),
        "es": ("reportar", "denuncia"),
    },
    "safe": {
        "en": ("safe",),
        "ar": ("امان", "آمن", "امن"),
        "fr": ("refuge", "abri"),
        "es": ("seguro", "refugio"),
    },
    "help": {
        "en": ("help", "sos"),
        "ar": ("مساعدة", "النجدة"),
        "fr": ("aide", "secours"),
        "es": ("ayuda", "auxilio"),
    },
    "ok": {"en": ("ok",), "ar": ("تمام",), "fr": ("ok",), "es": ("ok",)},
    "language": {"en": ("lang",), "ar": ("لغة",), "fr": ("langue",), "es": ("idioma",)},
    "stop": {
        "en": ("stop", "unsubscribe"),
        "ar": ("توقف", "الغاء"),
        "fr": ("stop", "arret"),
        "es": ("alto", "baja"),
    },
    "start": {"en": ("start",), "ar": ("ابدأ",), "fr": ("demarrer",), "es": ("iniciar",)},
}


def fold(word: str) -> str:
    """A keyword as compared: case-folded, accents and Arabic diacritics dropped."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def default_lookup() -> dict[str, tuple[str, str]]:
    """Folded word -> (command, language), from the defaults."""
    table: dict[str, tuple[str, str]] = {}
    for name, by_language in DEFAULT_KEYWORDS.items():
        for language, words in by_language.items():
            for word in words:
                table.setdefault(fold(word), (name, language))
    return table


def split_command(text: str) -> tuple[str, str, str | None]:
    """(command, the rest of the message, the keyword's language) for an inbound text.

    Anything that does not start with a keyword is ("info", text, None).
    """
    stripped = text.strip()
    first, _space, rest = stripped.partition(" ")
    found = default_lookup().get(fold(first.strip(".,!?:;")))
    if found is None:
        return "info", stripped, None
    return found[0], rest.strip(), found[1]
