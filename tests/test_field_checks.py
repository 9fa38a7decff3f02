from __future__ import annotations

from django.utils import translation

from safespaces.field_checks import Checker, clean_text


def test_cleaning_keeps_arabic_and_line_breaks() -> None:
    assert clean_text("تحرش\nفي الشارع") == "تحرش\nفي الشارع"


def test_cleaning_drops_controls_and_bidi_overrides_and_unifies_line_ends() -> None:
    disguised = " \u202egnp.exe\u202c\x00 a\r\nb\rc\t "
    assert clean_text(disguised) == "gnp.exe a\nb\nc"


def test_a_checker_keeps_the_first_fault_of_each_field() -> None:
    checker = Checker()
    with translation.override("en"):
        kept = checker.text("description", "  ok  ", 10)
        checker.text("name", "x" * 11, 10)
        checker.choice("name", "other", ["a", "b"])
        checker.choice("kind", "", ["a"], blank=True)
        checker.choice("group", "c", ["a", "b"])
    assert kept == "ok"
    assert checker.errors == {
        "name": "This text is too long: at most 10 characters are allowed.",
        "group": "This is not one of the allowed choices.",
    }


def test_a_checker_speaks_the_active_language() -> None:
    checker = Checker()
    with translation.override("fr"):
        checker.choice("kind", "z", ["a"])
    assert checker.errors["kind"] != "This is not one of the allowed choices."
