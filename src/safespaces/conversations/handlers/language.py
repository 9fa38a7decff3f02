"""LANG ar: the language we answer this correspondent in."""

# Arabic letters here are data, not look-alikes of Latin ones.

from __future__ import annotations

from django.utils.translation import gettext, override

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.keywords import first_keyword, fold

# What people type for each language, folded with keywords.fold when looked up.
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "en",
        "eng",
        "english",
        "anglais",
        "ingles",
        "inglés",
        "انجليزي",
        "إنجليزية",
        "الانجليزية",
        "انكليزي",
        "الإنكليزية",
    ),
    "ar": ("ar", "ara", "arabic", "arabe", "árabe", "عربي", "عربية", "العربية", "عربى"),
    "fr": (
        "fr",
        "fra",
        "fre",
        "french",
        "francais",
        "français",
        "francés",
        "frances",
        "فرنسي",
        "فرنسية",
        "الفرنسية",
        "فرنساوي",
    ),
    "es": (
        "es",
        "esp",
        "spa",
        "spanish",
        "espagnol",
        "español",
        "espanol",
        "castellano",
        "اسباني",
        "إسبانية",
        "الإسبانية",
        "اسبانى",
    ),
}
LANGUAGE_OF = {fold(word): code for code, words in LANGUAGE_WORDS.items() for word in words}


def language_named(text: str) -> str | None:
    words = text.split()
    return LANGUAGE_OF.get(fold(words[0])) if words else None


@command("language")
def language(turn: Turn) -> str:
    chosen = language_named(turn.text)
    if chosen is None:
        keyword = first_keyword("language", turn.language)
        return gettext(
            "Choose a language: send %(lang)s EN for English, %(lang)s AR for Arabic, "
            "%(lang)s FR for French or %(lang)s ES for Spanish."
        ) % {"lang": keyword}
    turn.correspondent.language = chosen
    turn.correspondent.save(update_fields=("language",))
    with override(chosen):
        return gettext("We will answer you in English from now on.")
