"""How long a text is as SMS, and how to cut it into parts that each travel as one message.

GSM 03.38 (GSM-7) carries 160 septets in one SMS; the characters of its extension table take
two. Anything else goes as UCS-2: 70 UTF-16 code units, an emoji outside the BMP taking two.
Concatenated messages lose room to their header (153 and 67), but their parts may arrive out
of order on cheap handsets, so `split_message` sends self-standing single SMS marked "(1/2)".

One "ó" or "û" makes a whole Spanish or French text UCS-2: 70 characters an SMS instead of
160. A text too long for one UCS-2 SMS is therefore sent folded to GSM-7 when it can be
("inglés" as "ingles", typographic quotes as plain ones), as SMS providers' "smart encoding"
does; a text that fits one SMS keeps its accents, and Arabic is never changed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
# Characters with no GSM-7 letter of their own and no decomposition to one.
FOLDS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "«": '"',
    "»": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "œ": "oe",
    "Œ": "OE",
}

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
DEFAULT_MAX_PARTS = 5
SENTENCE_END = re.compile(r"[.!?؟…]['\")»]*$")
TOKEN = re.compile(r"(\S+)(\s*)")


@dataclass(frozen=True)
class Encoding:
    name: str
    single: int  # units in one SMS
    part: int  # units per part of a concatenated SMS
    ellipsis: str

    def units(self, text: str) -> int:
        if self.name == "gsm7":
            return sum(2 if char in GSM_EXTENSION else 1 for char in text)
        return len(text.encode("utf-16-le")) // 2


GSM7 = Encoding("gsm7", GSM_SINGLE, GSM_PART, "...")
UCS2 = Encoding("ucs2", UCS2_SINGLE, UCS2_PART, "…")


def is_gsm7(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def encoding(text: str) -> Encoding:
    return GSM7 if is_gsm7(text) else UCS2


def units(text: str) -> int:
    """Septets for GSM-7 text, UTF-16 code units otherwise."""
    return encoding(text).units(text)


def segments(text: str) -> int:
    """How many SMS a carrier bills for `text` sent as one concatenated message."""
    text = as_sent(text)
    chosen = encoding(text)
    if chosen.units(text) <= chosen.single:
        return 1
    count, used = 1, 0
    for char in text:
        # An escape pair or a surrogate pair never straddles two parts.
        cost = chosen.units(char)
        if used + cost > chosen.part:
            count, used = count + 1, 0
        used += cost
    return count


def folded_to_gsm7(text: str) -> str | None:
    """`text` with each character outside GSM-7 replaced by its nearest GSM-7 letter or sign
    ("ó" by "o", a typographic apostrophe by "'"); None if one has none (Arabic, an emoji)."""
    folded: list[str] = []
    for char in text:
        if char in GSM_BASIC or char in GSM_EXTENSION:
            folded.append(char)
            continue
        replacement = FOLDS.get(char) or _base_letter(char)
        if replacement is None:
            return None
        folded.append(replacement)
    return "".join(folded)


def _base_letter(char: str) -> str | None:
    base = unicodedata.normalize("NFD", char)[0]
    return base if base != char and base in GSM_BASIC else None


def as_sent(text: str) -> str:
    """The text as it will be sent: folded to GSM-7 when it is too long for one UCS-2 SMS
    and folding makes it GSM-7 (so it needs fewer parts)."""
    if is_gsm7(text) or UCS2.units(text) <= UCS2.single:
        return text
    return folded_to_gsm7(text) or text


def fits_one(text: str) -> bool:
    """Whether the text goes in one SMS, as sent (`as_sent`)."""
    text = as_sent(text)
    chosen = encoding(text)
    return chosen.units(text) <= chosen.single


def fit_one(text: str) -> str:
    """`text` shortened at a word boundary, with an ellipsis, to fit one SMS (as sent)."""
    text = as_sent(text.strip())
    if fits_one(text):
        return text
    chosen = encoding(text)
    budget = chosen.single - chosen.units(chosen.ellipsis)
    kept = _prefix_within(text, chosen, budget)
    cut = kept.rstrip()
    if len(kept) < len(text) and not text[len(kept)].isspace() and " " in cut:
        cut = cut.rsplit(None, 1)[0]  # do not end on half a word
    return cut.rstrip(" ,;:-") + chosen.ellipsis


def _prefix_within(text: str, chosen: Encoding, budget: int) -> str:
    used = 0
    for index, char in enumerate(text):
        used += chosen.units(char)
        if used > budget:
            return text[:index]
    return text


def marker(number: int, total: int) -> str:
    return f" ({number}/{total})"


def split_message(text: str, max_parts: int = DEFAULT_MAX_PARTS) -> list[str]:
    """Parts that each fit one SMS, cut at sentence or word ends and marked "(1/3)".

    A text needing more than `max_parts` parts has its last part shortened with an ellipsis.
    """
    return list(_split_remembered(text, max_parts))


# Most answers are a few fixed texts (the menu in each language): split each once.
@functools.lru_cache(maxsize=512)
def _split_remembered(text: str, max_parts: int) -> tuple[str, ...]:
    return tuple(_split(text, max_parts))


def _split(text: str, max_parts: int) -> list[str]:
    text = as_sent(text.strip())
    if not text:
        return []
    if fits_one(text):
        return [text]
    chosen = encoding(text)
    digits = 1
    while True:
        room = chosen.single - chosen.units(marker(10**digits - 1, 10**digits - 1))
        bodies = _pack(text, chosen, room)
        if len(bodies) < 10**digits or len(bodies) > max_parts:
            break
        digits += 1
    if len(bodies) > max_parts:
        rest = _shorten(" ".join(bodies[max_parts - 1 :]), chosen, room)
        bodies = [*bodies[: max_parts - 1], rest]
    total = len(bodies)
    return [body + marker(number, total) for number, body in enumerate(bodies, start=1)]


def _shorten(text: str, chosen: Encoding, room: int) -> str:
    kept = _prefix_within(text, chosen, room - chosen.units(chosen.ellipsis))
    if len(kept) < len(text) and not text[len(kept)].isspace() and " " in kept.strip():
        kept = kept.rstrip().rsplit(None, 1)[0]
    return kept.rstrip() + chosen.ellipsis


def _pack(text: str, chosen: Encoding, room: int) -> list[str]:
    """Words into parts of at most `room` units, preferring to end a part at a sentence end."""
    parts: list[str] = []
    current: list[tuple[str, str]] = []  # (word, the whitespace after it)
    for word, space in _words(text, chosen, room):
        if current and chosen.units(_join([*current, (word, "")])) > room:
            current = _close_part(parts, current, chosen, room)
        current.append((word, space))
    if current:
        parts.append(_join(current))
    return parts


def _close_part(
    parts: list[str], current: list[tuple[str, str]], chosen: Encoding, room: int
) -> list[tuple[str, str]]:
    """Close a full part, at its last sentence end if that is half full; the rest goes on."""
    for end in range(len(current) - 1, 0, -1):
        if SENTENCE_END.search(current[end - 1][0]):
            head = _join(current[:end])
            if 2 * chosen.units(head) >= room:
                parts.append(head)
                return current[end:]
            break
    parts.append(_join(current))
    return []


def _join(words: list[tuple[str, str]]) -> str:
    return "".join(word + space for word, space in words).rstrip()


def _one_space(space: str) -> str:
    """A run of whitespace as one newline (if it had one) or one space."""
    if not space:
        return ""
    return "\n" if "\n" in space else " "


def _words(text: str, chosen: Encoding, room: int) -> list[tuple[str, str]]:
    """The text's words with their following whitespace; a word longer than a part is broken."""
    words: list[tuple[str, str]] = []
    for match in TOKEN.finditer(text):
        word, space = match.group(1), _one_space(match.group(2))
        while chosen.units(word) > room:
            head = _prefix_within(word, chosen, room)
            words.append((head, ""))
            word = word[len(head) :]
        words.append((word, space))
    return words
