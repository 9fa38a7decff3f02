"""Every handler's answer fits the SMS budget: English in one SMS, long Arabic through parts."""

from __future__ import annotations

import re

import pytest
from django.utils.translation import override

from safespaces.conversations.sms_length import fits_one, split_message
from tests.conversations.conftest import Send, answers

pytestmark = pytest.mark.usefixtures("categories", "gazetteer")

HELPLINE = "+20 2 2345 6789"
MARKER = re.compile(r"\(\d+/\d+\)$")
CONVERSATIONS = [
    ["hello"],
    ["HELP"],
    ["OK"],
    ["STOP", "START"],
    ["LANG"],
    ["LANG ar"],
    ["SAFE near Tahrir Square"],
    ["SAFE nowhere-xyz"],
    ["SAFE"],
    ["REPORT", "catcalls", "Zamalek", "yes"],
]
LONG_ARABIC = (
    "إذا كنت في خطر الآن، اتصلي بخط المساعدة فوراً. لإبلاغنا بما حدث، أرسلي كلمة بلاغ ثم ما حدث "
    "وأين حدث. سنحتفظ برقمك سراً ولن نعرضه على الخريطة العامة أبداً، ويمكنك إيقاف الرسائل في أي وقت."
)


@pytest.mark.parametrize("helpline", ["", HELPLINE])
@pytest.mark.parametrize("messages", CONVERSATIONS)
def test_each_english_answer_fits_one_sms(
    send: Send, settings, helpline: str, messages: list[str]
) -> None:
    settings.SAFESPACES_HELPLINE = helpline
    for message in messages:
        send(message)
    sent = answers()
    assert sent
    assert all(fits_one(answer) for answer in sent)


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("messages", [m for m in CONVERSATIONS if m != ["LANG ar"]])
def test_each_french_and_spanish_answer_is_one_sms(
    send: Send, language: str, messages: list[str]
) -> None:
    """Their accents would make most of them UCS-2 and two or three SMS: they are folded."""
    send(f"LANG {language}")
    before = len(answers())
    for message in messages:
        send(message)
    sent = answers()[before:]
    assert sent
    assert all(fits_one(answer) and not MARKER.search(answer) for answer in sent), sent


def test_the_category_list_is_split_into_sms_that_each_fit(send: Send) -> None:
    send("REPORT at Tahrir Square")
    send("something")
    sent = answers()
    assert len(sent) > 2  # the numbered list needs several parts
    assert all(fits_one(answer) for answer in sent)


def test_the_category_list_costs_at_most_three_sms_even_in_arabic(send: Send) -> None:
    from safespaces.conversations.report_dialog import MENU_PARTS, category_menu

    with override("ar"):
        menu = category_menu("ar")
    parts = split_message(menu)
    assert 1 < len(parts) <= MENU_PARTS
    assert "1 اللمس أو التحرش الجسدي" in menu
    assert all(fits_one(part) for part in parts)


def test_a_long_arabic_answer_splits_into_parts_that_each_fit() -> None:
    parts = split_message(LONG_ARABIC)
    assert len(parts) > 1
    assert all(fits_one(part) for part in parts)
    assert parts[0].endswith(f" (1/{len(parts)})")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_menu_fits_one_sms_in_latin_languages(language: str) -> None:
    """French without û or ê: either would make the whole SMS UCS-2, 70 characters a part."""
    from safespaces.conversations.handlers.info import menu

    with override(language):
        text = menu(language)
    assert fits_one(text), text
