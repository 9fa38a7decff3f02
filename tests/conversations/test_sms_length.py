"""SMS lengths: GSM-7 with its extension table, UCS-2, and parts that each fit one SMS."""

# Arabic letters here are data, not look-alikes of Latin ones.
# ruff: noqa: RUF001

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from safespaces.conversations.sms_length import (
    UCS2,
    as_sent,
    fit_one,
    fits_one,
    folded_to_gsm7,
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
    # Words come back in order (as sent: perhaps folded to GSM-7); a word longer than a part
    # may come back in pieces.
    sent = as_sent(text.strip())
    assert "".join("".join(body.split()) for body in bodies) == "".join(sent.split())
    if all(fits_one(word + " (99/99)") for word in sent.split()):
        assert [word for body in bodies for word in body.split()] == sent.split()


@settings(max_examples=150, deadline=None)
@given(texts)
def test_fit_one_always_fits_and_keeps_a_prefix(text: str) -> None:
    cut = fit_one(text)
    assert fits_one(cut)
    if cut != as_sent(text.strip()):
        kept = cut.removesuffix("...").removesuffix("…").rstrip(" ,;:-")
        assert as_sent(text.strip()).startswith(kept)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_segments_agree_with_fitting_one(text: str) -> None:
    assert (segments(text) == 1) == fits_one(text)


LATIN_WORDS = st.lists(st.sampled_from(FRENCH_WORDS + ENGLISH_WORDS + ["inglés", "“oui”"]))


@settings(max_examples=150, deadline=None)
@given(LATIN_WORDS.map(" ".join))
def test_a_latin_text_is_folded_only_when_that_saves_parts(text: str) -> None:
    sent = as_sent(text)
    if sent != text:
        assert UCS2.units(text) > UCS2.single and is_gsm7(sent)
        assert len(sent.split()) == len(text.split())
        unfolded_segments = -(-UCS2.units(text) // UCS2.part)  # what UCS-2 would cost
        assert segments(sent) <= unfolded_segments
    else:
        assert is_gsm7(text) or UCS2.units(text) <= UCS2.single


def test_a_long_french_or_spanish_answer_goes_in_fewer_sms_without_accents() -> None:
    french = (
        "Choisissez une langue : envoyez LANGUE EN pour l'anglais, LANGUE AR pour l'arabe, "
        "LANGUE FR pour le français ou LANGUE ES pour l'espagnol."
    )
    assert split_message(french) == [french.replace("ç", "c")]
    spanish = (
        "Gracias. Su código de reporte es YB8F5ZWMM5. Guárdelo para consultar sobre su reporte."
    )
    [sent] = split_message(spanish)
    assert (
        sent
        == "Gracias. Su codigo de reporte es YB8F5ZWMM5. Guardelo para consultar sobre su reporte."
    )


def test_a_short_text_keeps_its_accents_and_arabic_is_never_changed() -> None:
    assert split_message("¿Dónde ocurrió?") == ["¿Dónde ocurrió?"]
    arabic = (
        "إذا كنت في خطر الآن، اتصلي بخط المساعدة فوراً. لإبلاغنا بما حدث، أرسلي كلمة بلاغ ثم ما حدث."
    )
    assert as_sent(arabic) == arabic
    assert folded_to_gsm7(arabic) is None
    assert folded_to_gsm7("help 😢") is None
    # é is a GSM-7 letter: kept; À and ô are not: their base letters.
    assert folded_to_gsm7("“À côté” – œuvre…") == '"A coté" - oeuvre...'
