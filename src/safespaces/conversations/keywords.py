"""Keywords that start commands, in English, Arabic, French and Spanish.

Defaults live here; coordinators add or remove words in the console (CommandKeyword rows),
which replace the defaults of that command and language once any exist. Words are compared
folded (`fold`): case, accents, Arabic diacritics, tatweel and letter variants (alef forms,
taa marbuta and haa, alef maqsura and yeh) do not matter.
"""

# Arabic letters here are data, not look-alikes of Latin ones.

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

from safespaces.geo.gazetteer.normalise import normalise

# command -> language -> words; the first word of each language is the one the menu shows.
# "info" has none: it answers anything unrecognised. Twilio's own opt-out and opt-in words
# (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT; START, UNSTOP) must mean the same here.
DEFAULT_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "report": {
        "en": ("report",),
        "ar": ("بلاغ", "ابلاغ", "تبليغ", "بلغ", "شكوى"),
        "fr": ("signaler", "signalement", "signale", "rapport"),
        "es": ("reportar", "denuncia", "denunciar", "reporte"),
    },
    "safe": {
        "en": ("safe", "shelter"),
        "ar": ("امان", "آمن", "ملجأ"),
        "fr": ("refuge", "abri"),
        "es": ("seguro", "refugio"),
    },
    "help": {
        "en": ("help",),
        "ar": ("مساعدة", "النجدة", "نجدة", "ساعدوني", "الحقوني"),
        "fr": ("aide", "secours", "aidez-moi"),
        "es": ("ayuda", "auxilio", "socorro"),
    },
    # A protected person's alert; from anyone else the same answer as HELP.
    "panic": {
        "en": ("panic", "sos"),
        "ar": ("استغاثة", "خطر"),
        "fr": ("alerte", "panique"),
        "es": ("panico", "alerta"),
    },
    # The same alert, raised without a word back: innocuous words, one per language.
    "discreet_panic": {
        "en": ("pizza",),
        "ar": ("بيتزا",),
        "fr": ("croissant",),
        "es": ("empanada",),
    },
    "ok": {
        "en": ("ok", "okay", "fine"),
        "ar": ("تمام", "بخير", "اوكي"),
        "fr": ("bien",),
        "es": ("bien", "vale"),
    },
    "checkin": {
        "en": ("checkin", "timer"),
        "ar": ("مشوار", "رحلة"),
        "fr": ("trajet", "minuteur"),
        "es": ("viaje", "temporizador"),
    },
    "location": {
        "en": ("loc", "location"),
        "ar": ("موقع", "مكاني"),
        "fr": ("position", "lieu"),
        "es": ("ubicacion", "lugar"),
    },
    # END <PIN>: "END" alone stays STOP (NEEDS_TEXT below).
    "end_alert": {
        "en": ("end",),
        "ar": ("انهاء",),
        "fr": ("fin", "terminer"),
        "es": ("terminar", "acabar"),
    },
    # A trusted contact acknowledges an alert.
    "ack": {
        "en": ("ack", "acknowledge"),
        "ar": ("استلمت", "علم"),
        "fr": ("recu", "accuse"),
        "es": ("recibido", "visto"),
    },
    "language": {
        "en": ("lang", "language"),
        "ar": ("لغة", "اللغة"),
        "fr": ("langue",),
        "es": ("idioma", "lengua"),
    },
    "stop": {
        "en": ("stop", "stopall", "unsubscribe", "cancel", "end", "quit"),
        "ar": ("توقف", "الغاء", "إيقاف"),
        "fr": ("arret", "desabonner", "desinscrire"),
        "es": ("baja", "alto", "parar", "detener"),
    },
    "start": {
        "en": ("start", "unstop", "resume"),
        "ar": ("ابدأ", "بدء", "استئناف", "تفعيل"),
        "fr": ("demarrer", "reprendre", "commencer"),
        "es": ("iniciar", "alta", "empezar", "reanudar"),
    },
}
# Everyday words that are keywords only as the whole message ("End of the street" is a place,
# "END" alone is an opt-out, as carriers read it).
WHOLE_MESSAGE_ONLY = frozenset(
    {"end", "cancel", "quit", "fine", "okay", "bien", "vale", "alto", "alta"}
)
# Commands that start only with words after the keyword ("END 1234" ends an alert). Their
# keywords may also be another command's whole-message word: "END" alone is still STOP.
NEEDS_TEXT = frozenset({"end_alert"})
LANGUAGES = ("en", "ar", "fr", "es")
MAX_KEYWORD_CHARS = 40
GENERATION_KEY = "conversations:keywords:generation"
# Other processes' keyword changes are seen within this many seconds.
CHECK_EVERY_SECONDS = 1.0

Lookup = dict[str, tuple[str, str]]


class InvalidKeyword(ValueError):
    """A keyword that cannot be used; the message says why (translated)."""


def fold(word: str) -> str:
    """A keyword as compared: case-folded, accents, Arabic diacritics and variants unified."""
    return normalise(word).replace(" ", "")


def default_lookup() -> Lookup:
    """Folded word -> (command, language), from the defaults (NEEDS_TEXT commands apart)."""
    table: Lookup = {}
    for name, by_language in DEFAULT_KEYWORDS.items():
        if name in NEEDS_TEXT:
            continue
        for language, words in by_language.items():
            for word in words:
                table.setdefault(fold(word), (name, language))
    return table


def effective_keywords() -> dict[str, dict[str, tuple[str, ...]]]:
    """command -> language -> words in force: the coordinators' rows, else the defaults."""
    from safespaces.conversations.models import CommandKeyword

    rows: dict[tuple[str, str], list[str]] = {}
    for row in CommandKeyword.objects.order_by("pk"):
        rows.setdefault((row.command, row.language), []).append(row.word)
    result = {name: dict(by_language) for name, by_language in DEFAULT_KEYWORDS.items()}
    for (name, language), words in rows.items():
        result.setdefault(name, {})[language] = tuple(words)
    return result


def build_lookup(effective: dict[str, dict[str, tuple[str, ...]]]) -> Lookup:
    """Folded word -> (command, language) for every command but the NEEDS_TEXT ones."""
    return _table(effective, lambda name: name not in NEEDS_TEXT)


def build_text_lookup(effective: dict[str, dict[str, tuple[str, ...]]]) -> Lookup:
    """Folded word -> (command, language) for the NEEDS_TEXT commands only."""
    return _table(effective, lambda name: name in NEEDS_TEXT)


def _table(
    effective: dict[str, dict[str, tuple[str, ...]]], wanted: Callable[[str], bool]
) -> Lookup:
    table: Lookup = {}
    for name, by_language in effective.items():
        if not wanted(name):
            continue
        for language in sorted(by_language, key=_language_order):
            for word in by_language[language]:
                table.setdefault(fold(word), (name, language))
    return table


def _language_order(language: str) -> int:
    return LANGUAGES.index(language) if language in LANGUAGES else len(LANGUAGES)


def may_share(word: str, command: str, other: str) -> bool:
    """Whether two commands may have the same (folded) word: only a NEEDS_TEXT command and
    another command's whole-message-only word, as END <PIN> and END."""
    return (command in NEEDS_TEXT) != (other in NEEDS_TEXT) and word in WHOLE_MESSAGE_ONLY


def clashing_command(
    command: str, word: str, effective: dict[str, dict[str, tuple[str, ...]]]
) -> str | None:
    """Another command that already starts with this (folded) word, if it may not share it."""
    for table in (build_lookup(effective), build_text_lookup(effective)):
        owner = table.get(word)
        if owner is not None and owner[0] != command and not may_share(word, command, owner[0]):
            return owner[0]
    return None


class _Cached:
    """The lookup table of this process, rebuilt when another process changed the keywords."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation: object = object()  # matches no stored generation
        self.effective: dict[str, dict[str, tuple[str, ...]]] = {}
        self.table: Lookup = {}
        self.text_table: Lookup = {}
        self.checked_at = -math.inf

    def current(self) -> tuple[Lookup, Lookup, dict[str, dict[str, tuple[str, ...]]]]:
        now = time.monotonic()
        with self.lock:
            # One message asks several times: the shared generation is read once a second.
            if self.table and now - self.checked_at < CHECK_EVERY_SECONDS:
                return self.table, self.text_table, self.effective
        generation = cache.get(GENERATION_KEY)
        with self.lock:
            self.checked_at = now
            if generation != self.generation or not self.table:
                self.effective = effective_keywords()
                self.table = build_lookup(self.effective)
                self.text_table = build_text_lookup(self.effective)
                self.generation = generation
            return self.table, self.text_table, self.effective

    def forget(self) -> None:
        with self.lock:
            self.table = {}
            self.checked_at = -math.inf


_cached = _Cached()


def changed() -> None:
    """Tell every process the keywords changed (again once committed, for non-database caches)."""
    _cached.forget()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None))


def forget_cached_keywords() -> None:
    """Read the keywords from the database again on next use (between tests)."""
    _cached.forget()


def lookup() -> Lookup:
    return _cached.current()[0]


def text_lookup() -> Lookup:
    return _cached.current()[1]


def keywords_for(name: str, language: str) -> tuple[str, ...]:
    """The words in force for a command in a language (English's when it has none)."""
    by_language = _cached.current()[2].get(name, {})
    return by_language.get(language) or by_language.get("en") or ()


def first_keyword(name: str, language: str) -> str:
    """The word the menu shows for a command, in capitals where the script has them."""
    words = keywords_for(name, language)
    return words[0].upper() if words else name.upper()


def split_command(text: str) -> tuple[str, str, str | None]:
    """(command, the rest of the message, the keyword's language) for an inbound text.

    Anything that does not start with a keyword is ("info", text, None).
    """
    stripped = text.strip()
    parts = stripped.split(None, 1)
    if not parts:
        return "info", stripped, None
    word = fold(parts[0].strip(".,!?:;،؟"))
    found = lookup().get(word)
    if found is not None and word in WHOLE_MESSAGE_ONLY and len(parts) > 1:
        found = None
    if found is None:
        found = text_lookup().get(word)
    if found is None:
        return "info", stripped, None
    return found[0], parts[1].strip() if len(parts) > 1 else "", found[1]
