"""SMS lengths: GSM-7 with its extension table, UCS-2, and parts that each fit one SMS."""

# Arabic letters here are data, not look-alikes of Latin ones.
# ruff: noqa: RUF001

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from safespaces.conversations.sms_length import (
    fit_one,
    fits_one,
    is_gsm7,
    segments,
    split_message,
    units,
)

MARKER = re.compile(r" \(\d+/\d+\)$")

ARABIC_WORDS = ["تحرش", "عند", "ميدان", "التحرير", "الساعة", "مساءً", "مُساعَدة", "٨"]
FRENCH_WORDS = ["près", "de", "la", "gare", "hier", "soir", "à", "côté", "ça", "être", "où"]
EMOJI_WORDS = ["😀", "👍🏽", "🚇", "help😢", "🏳️‍🌈"]
GSM_EXTENSION_WORDS = ["{x}", "[1]", "100€", "a|b", "~", "^", "\\"]
ENGLISH_WORDS = ["groping", "near", "Tahrir", "metro", "exit", "3", "at", "8pm.", "Help!"]

words = st.sampled_from(
    ARABIC_WORDS + FRENCH_WORDS + EMOJI_WORDS + GSM_EXTENSION_WORDS + ENGLISH_WORDS
) | st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Z", "C")),
    min_size=1,
    max_size=12,
)
texts = st.lists(words, min_size=1, max_size=80).map(" ".join)


def body_of(part: str) -> str:
    return MARKER.sub("", part)


def test_gsm7_counts_extension_characters_twice() -> None:
    assert is_gsm7("Price: 10€ [approx]")
    assert units("{}") == 4
    assert units("a" * 160) == 160 and segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2


def test_ucs2_counts_utf16_code_units() -> None:
    assert not is_gsm7("مرحبا")
    assert units("😀") == 2
    assert units("ç") == 1 and not is_gsm7("ç")  # ç is not GSM-7 (only Ç is)
    assert segments("ا" * 70) == 1 and segments("ا" * 71) == 2
    assert segments("😀" * 35) == 1 and segments("😀" * 36) == 2


def test_a_short_text_is_one_unmarked_part() -> None:
    assert split_message("  Thank you.  ") == ["Thank you."]
    assert split_message("   ") == []


def test_parts_break_at_sentence_ends_when_they_can() -> None:
    first = "This is the first sentence of a long answer, and it goes on for quite a while. "
    second = "Here is the second one, also long enough that both cannot share one part of it. "
    parts = split_message(first + second + "And a third.")
    assert parts[0] == first.strip() + " (1/2)"
    assert parts[1] == second + "And a third. (2/2)"
    assert all(fits_one(part) for part in parts)


def test_fit_one_cuts_at_a_word_with_an_ellipsis() -> None:
    text = "word " * 50
    cut = fit_one(text)
    assert (
        fits_one(cut)
        and cut.endswith("...")
        and cut[:-3].split() == ["word"] * len(cut[:-3].split())
    )
    arabic = fit_one("كلمة " * 30)
    assert fits_one(arabic) and arabic.endswith("…")


def test_a_text_beyond_max_parts_ends_with_an_ellipsis() -> None:
    parts = split_message("word " * 400, max_parts=3)
    assert len(parts) == 3
    assert all(fits_one(part) for part in parts)
    assert body_of(parts[-1]).endswith("...")


@settings(max_examples=150, deadline=None)
@given(texts)
def test_every_part_fits_one_sms_and_no_word_is_lost(text: str) -> None:
    parts = split_message(text, max_parts=1000)
    assert parts
    assert all(fits_one(part) for part in parts)
    bodies = [body_of(part) for part in parts] if len(parts) > 1 else parts
    # Words come back in order; a word longer than a part may come back in pieces.
    assert "".join("".join(body.split()) for body in bodies) == "".join(text.split())
    if all(fits_one(word + " (99/99)") for word in text.split()):
        assert [word for body in bodies for word in body.split()] == text.split()


@settings(max_examples=150, deadline=None)
@given(texts)
def test_fit_one_always_fits_and_keeps_a_prefix(text: str) -> None:
    cut = fit_one(text)
    assert fits_one(cut)
    if cut != text.strip():
        kept = cut.removesuffix("...").removesuffix("…").rstrip(" ,;:-")
        assert text.strip().startswith(kept)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_segments_agree_with_fitting_one(text: str) -> None:
    assert (segments(text) == 1) == fits_one(text)
