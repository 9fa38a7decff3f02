"""How place names are folded so that spellings of the same place meet.

Three levels, each built on the one before (docs/gazetteer.md shows examples):

- `normalise`: the written form without its accidents. Unicode NFKC, case-folded, diacritics
  (Latin accents, Arabic harakat) and tatweel removed, Arabic letter variants unified
  (alef and hamza forms, alef maqsura, taa marbuta, Persian yeh and keheh), Arabic-Indic and
  Persian digits made ASCII, punctuation and symbols turned into spaces, spaces collapsed.
- `match_key`: a Latin key. Arabic letters are transliterated, the article (al-, el-, ال,
  and assimilated forms such as "ash-Shams") dropped, and common romanisation variants folded
  (ee and i, ou and u, e and i, o and u, q and k, dh and z, th and t, kh and k, g and j, ch
  and sh), so "Midan el-Tahrir", "midan al tahreer" and "ميدان التحرير" share a key or nearly.
- `skeleton`: the match key without vowels, the way Arabic is usually written.
"""

# Arabic letters here are data, not look-alikes of Latin ones.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import re
import unicodedata

# Letter variants that spell the same sound; NFD already splits أ إ آ ؤ ئ into letter + mark.
ARABIC_VARIANTS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ې": "ي",
        "ے": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ہ": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",  # Persian keheh
        "ـ": "",  # tatweel stretches a word; it is not a letter
    }
)
EASTERN_DIGITS = str.maketrans(
    {chr(0x0660 + digit): str(digit) for digit in range(10)}
    | {chr(0x06F0 + digit): str(digit) for digit in range(10)}
)

# One common romanisation per letter, already in the folded Latin spelling of LATIN_FOLDS.
ARABIC_TO_LATIN = str.maketrans(
    {
        "ا": "a",
        "ب": "b",
        "ت": "t",
        "ث": "t",
        "ج": "j",
        "ح": "h",
        "خ": "k",
        "د": "d",
        "ذ": "z",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "sh",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "ع": "",
        "غ": "g",
        "ف": "f",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "و": "u",
        "ي": "i",
        "ء": "",
        "پ": "p",
        "چ": "sh",
        "ژ": "j",
        "گ": "j",
    }
)
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
ARABIC_ARTICLE = "ال"
LATIN_ARTICLES = frozenset({"al", "el", "il", "ul"})
# "ash-Shams", "at-Tahrir", "ad-Doqi": the article takes the first letter of the next word.
ASSIMILATED_ARTICLE = re.compile(r"^[aeiu](sh|th|dh|[tdrzsnl])$")

DOUBLED = re.compile(r"(.)\1+")
LATIN_FOLDS = (
    (re.compile(r"gh"), "\x01"),  # ghain keeps its own letter: g
    (re.compile(r"dj|dsch"), "j"),
    (re.compile(r"g"), "j"),  # Egyptian g, Levantine j
    (re.compile(r"\x01"), "g"),
    (re.compile(r"tch|ch|sch"), "sh"),
    (re.compile(r"dh"), "z"),
    (re.compile(r"th"), "t"),
    (re.compile(r"kh"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q|c"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"v"), "f"),
    (re.compile(r"w"), "u"),
    (re.compile(r"e|y"), "i"),
    (re.compile(r"o"), "u"),
    (re.compile(r"(?<=[aiu])h$"), ""),  # Gizeh and Giza, Qaaha and Qaa
    (DOUBLED, r"\1"),  # ee and i, ou and u (after the folds above), ss and s
)
VOWELS = re.compile(r"[aiu]")


def normalise(text: str) -> str:
    """The written form of a name, folded for comparison; "" when nothing is left."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(ARABIC_VARIANTS).translate(EASTERN_DIGITS)
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(_keep_or_space(char) for char in decomposed)
    return " ".join(unicodedata.normalize("NFC", kept).translate(ARABIC_VARIANTS).split())


def _keep_or_space(char: str) -> str:
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):  # accents, harakat, zero-width joiners: not letters
        return ""
    if category[0] in ("L", "N") or char == " ":
        return char
    return " "  # punctuation, symbols, controls and separators part words


def match_key(text: str) -> str:
    """A Latin key on which romanisations and Arabic spellings of a name meet."""
    tokens = _drop_latin_articles(
        [_drop_arabic_article(token) for token in normalise(text).split()]
    )
    keys = (_transliterate(token) if is_arabic(token) else _fold_latin(token) for token in tokens)
    return " ".join(key for key in keys if key)


def skeleton(key: str) -> str:
    """A match key without its vowels: "tahrir" and "thrr", as Arabic script writes it."""
    return " ".join(filter(None, (VOWELS.sub("", token) for token in key.split())))


def _drop_arabic_article(token: str) -> str:
    if token.startswith(ARABIC_ARTICLE) and len(token) > len(ARABIC_ARTICLE) + 1:
        return token[len(ARABIC_ARTICLE) :]
    return token


def _transliterate(token: str) -> str:
    if token.endswith("ه") and len(token) > 2:
        token = token[:-1] + "ا"  # a final taa marbuta, written ه by `normalise`, sounds "a"
    return DOUBLED.sub(r"\1", token.translate(ARABIC_TO_LATIN))


def _drop_latin_articles(tokens: list[str]) -> list[str]:
    kept = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if following and token in LATIN_ARTICLES:
            continue
        assimilated = ASSIMILATED_ARTICLE.match(token)
        if following and assimilated and following.startswith(assimilated.group(1)):
            continue
        kept.append(token)
    return kept


def _fold_latin(token: str) -> str:
    for pattern, replacement in LATIN_FOLDS:
        token = pattern.sub(replacement, token)
    return token


def grams(key: str) -> set[str]:
    """The padded trigrams of every word of a key: how the database finds candidates."""
    found: set[str] = set()
    for token in key.split():
        padded = f" {token} "
        found.update(padded[start : start + 3] for start in range(len(padded) - 2))
    return found


def is_arabic(text: str) -> bool:
    return bool(ARABIC_LETTERS.search(text))
