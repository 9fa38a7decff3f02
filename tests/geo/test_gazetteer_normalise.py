# Arabic letters in these tests are data, not look-alikes of Latin ones.
# ruff: noqa: RUF001
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safespaces.geo.gazetteer.normalise import grams, match_key, normalise, skeleton


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("أحمد", "احمد"),  # alef with hamza above
        ("إبراهيم", "ابراهيم"),  # alef with hamza below
        ("آمنة", "امنه"),  # alef with madda, taa marbuta
        ("ٱلقاهرة", "القاهره"),  # alef wasla
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مؤسسة", "موسسه"),  # waw with hamza
        ("شاطئ", "شاطي"),  # yeh with hamza
        ("التحریر", "التحرير"),  # Persian yeh
        ("کوبری", "كوبري"),  # Persian keheh and yeh
    ],
)
def test_it_unifies_arabic_letter_variants(variant: str, plain: str) -> None:
    assert normalise(variant) == plain


def test_it_strips_harakat_and_tatweel() -> None:
    assert normalise("مُحَمَّد") == "محمد"
    assert normalise("ميـــدان") == "ميدان"
    assert normalise("ٱلْقَاهِرَةُ") == "القاهره"


def test_it_makes_arabic_indic_and_persian_digits_ascii() -> None:
    assert normalise("شارع ٢٦ يوليو") == "شارع 26 يوليو"
    assert normalise("خیابان ۱۵") == "خيابان 15"


def test_it_folds_case_and_latin_accents() -> None:
    assert normalise("Café  de la GARE") == "cafe de la gare"
    assert normalise("Straße") == "strasse"
    assert normalise("İstanbul") == "istanbul"


def test_it_turns_punctuation_and_symbols_into_single_spaces() -> None:
    assert normalise("  el-Tahrir, (Cairo)!  ") == "el tahrir cairo"
    assert normalise("«ميدان» التحرير؛") == "ميدان التحرير"


def test_it_folds_presentation_forms_and_drops_zero_width_characters() -> None:
    assert normalise("ﻻ") == "لا"  # the lam-alef ligature
    assert normalise("می\u200cخواهم") == "ميخواهم"  # zero-width non-joiner


def test_it_leaves_nothing_of_punctuation_alone() -> None:
    assert normalise("?!... --- ***") == ""


@pytest.mark.parametrize("spelling", ["Tahrir", "el-Tahrir", "al tahreer", "At-Tahrir", "Tahreer"])
def test_romanisations_of_tahrir_share_one_key(spelling: str) -> None:
    assert match_key(spelling) == "tahrir"


def test_arabic_and_latin_spellings_share_a_skeleton() -> None:
    assert skeleton(match_key("التحرير")) == skeleton(match_key("Tahrir")) == "thrr"
    assert skeleton(match_key("المهندسين")) == skeleton(match_key("Mohandessin"))
    assert skeleton(match_key("الدقي")) == skeleton(match_key("Dokki"))


def test_it_reads_a_final_taa_marbuta_as_a_vowel() -> None:
    assert match_key("الجيزة") == match_key("Giza") == "jiza"


def test_it_drops_the_article_but_not_a_word_that_is_only_an_article() -> None:
    assert match_key("ash-Shams") == "shams"
    assert match_key("Al Azhar") == "azhar"
    assert match_key("الأزهر") == "azhr"
    assert match_key("al") == "al"


def test_it_folds_french_and_english_romanisations_together() -> None:
    assert match_key("Choubra") == match_key("Shubra")
    assert match_key("Zamalek") == match_key("Zamalik")


def test_grams_are_padded_trigrams_of_each_word() -> None:
    assert grams("nasr") == {" na", "nas", "asr", "sr "}
    assert grams("") == set()


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "  " not in once
    assert once == once.strip()
