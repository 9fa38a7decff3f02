"""Keywords in four languages, their Arabic spelling variants, and coordinators' changes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safespaces.audit.models import AuditEvent
from safespaces.conversations import keywords
from safespaces.conversations.keyword_actions import add_keyword, remove_keyword, set_keywords
from safespaces.conversations.keywords import DEFAULT_KEYWORDS, InvalidKeyword, split_command

pytestmark = pytest.mark.django_db

DEFAULTS = [
    (name, language, word)
    for name, by_language in DEFAULT_KEYWORDS.items()
    for language, words in by_language.items()
    for word in words
]
rest_words = st.lists(
    st.sampled_from(["near", "Tahrir", "عند", "ميدان", "près", "de", "cerca", "8pm", "٨"]),
    max_size=5,
)


def disguise(word: str, style: int) -> str:
    """The keyword as people type it: capitals, punctuation, Arabic diacritics and tatweel."""
    if style == 0:
        return word.upper()
    if style == 1:
        return word.capitalize() + "!"
    if style == 2 and len(word) > 1:
        return word[0] + "ـ" + word[1:]  # tatweel
    if style == 3:
        return "".join(char + "\u064e" if "\u0621" <= char <= "\u064a" else char for char in word)
    return word


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(DEFAULTS), st.integers(0, 4), rest_words)
def test_every_default_keyword_is_recognised_however_it_is_typed(
    default: tuple[str, str, str], style: int, rest: list[str]
) -> None:
    name, _language, word = default
    found, text, _keyword_language = split_command(f"  {disguise(word, style)} {' '.join(rest)} ")
    expected = expected_command(name, keywords.fold(word), bool(rest))
    assert found == expected
    if expected == name:
        assert text == " ".join(rest)


def expected_command(name: str, folded: str, with_text: bool) -> str:
    """A whole-message word followed by text is no command, or the END <PIN> sharing it;
    END <PIN>'s word alone is the whole-message command's."""
    if with_text and folded in keywords.WHOLE_MESSAGE_ONLY and name not in keywords.NEEDS_TEXT:
        sharing = keywords.build_text_lookup(DEFAULT_KEYWORDS).get(folded)
        return sharing[0] if sharing else "info"
    alone = keywords.build_lookup(DEFAULT_KEYWORDS).get(folded)
    if not with_text and name in keywords.NEEDS_TEXT and alone is not None:
        return alone[0]
    return name


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_text_splits_without_losing_words(text: str) -> None:
    name, rest, language = split_command(text)
    if name == "info":
        assert rest == text.strip() and language is None
    else:
        assert rest.split() == text.split()[1:]


def test_arabic_spelling_variants_meet() -> None:
    assert split_command("إبلاغ تحرش")[0] == "report"
    assert split_command("ابلاغ")[0] == "report"
    assert split_command("مساعده")[0] == "help"
    assert split_command("مُساعَدة")[0] == "help"
    assert split_command("إلغاء")[0] == "stop"
    assert split_command("ابدا")[0] == "start"
    assert split_command("Arrêt")[0] == "stop"
    assert split_command("hello there") == ("info", "hello there", None)


def test_everyday_words_are_keywords_only_as_the_whole_message() -> None:
    assert split_command("END")[0] == "stop"
    assert split_command("Cancel.")[0] == "stop"
    assert split_command("Quit smoking near Tahrir")[0] == "info"
    # END <PIN> ends an alert; the handler answers "End of the street" with the menu.
    assert split_command("End of the street near Tahrir")[0] == "end_alert"
    assert split_command("STOP sending me these")[0] == "stop"


def test_rows_replace_the_defaults_of_their_command_and_language(alice) -> None:
    set_keywords("report", "en", ["incident", "tell"], alice)
    assert split_command("incident near Tahrir")[:2] == ("report", "near Tahrir")
    assert split_command("report near Tahrir")[0] == "info"
    assert split_command("بلاغ")[0] == "report"  # Arabic keeps its defaults
    assert keywords.first_keyword("report", "en") == "INCIDENT"
    event = AuditEvent.objects.filter(tag="keyword:set").get()
    assert event.target == "report"


def test_an_empty_list_brings_the_defaults_back(alice) -> None:
    set_keywords("report", "en", ["incident"], alice)
    set_keywords("report", "en", [], alice)
    assert split_command("report")[0] == "report"
    assert split_command("incident")[0] == "info"


def test_add_and_remove_one_keyword(alice) -> None:
    add_keyword("safe", "fr", "asile", alice)
    assert split_command("asile Paris")[0] == "safe"
    assert split_command("refuge Paris")[0] == "safe"
    remove_keyword("safe", "fr", "refuge", alice)
    assert split_command("refuge Paris")[0] == "info"
    assert split_command("asile Paris")[0] == "safe"


@pytest.mark.parametrize(
    "words",
    [["two words"], [""], ["stop"], ["HELP"], ["x" * 41], ["same", "SAME"], ["!!!"]],
)
def test_invalid_keywords_are_refused_and_change_nothing(alice, words: list[str]) -> None:
    with pytest.raises(InvalidKeyword):
        set_keywords("report", "en", words, alice)
    assert split_command("report")[0] == "report"
    assert not AuditEvent.objects.filter(tag="keyword:set").exists()


def test_unknown_commands_and_languages_are_refused(alice) -> None:
    with pytest.raises(InvalidKeyword):
        set_keywords("teleport", "en", ["beam"], alice)
    with pytest.raises(InvalidKeyword):
        set_keywords("report", "de", ["melden"], alice)


def test_another_process_sees_a_change_through_the_generation(
    alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert split_command("incident")[0] == "info"
    from safespaces.conversations.models import CommandKeyword

    # Another process's change: rows written and the generation bumped, this process untold.
    CommandKeyword.objects.create(command="report", language="en", word="incident")
    assert split_command("incident")[0] == "info"  # the cached table, as expected
    from django.core.cache import cache

    cache.set(keywords.GENERATION_KEY, "from-another-process", timeout=None)
    # Within a second this process keeps its table; after that it reads the generation.
    assert split_command("incident")[0] == "info"
    later = keywords.time.monotonic() + keywords.CHECK_EVERY_SECONDS + 1
    monkeypatch.setattr(keywords.time, "monotonic", lambda: later)
    assert split_command("incident")[0] == "report"
