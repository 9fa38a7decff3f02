"""The safety commands' keywords: END <PIN> beside END alone, and coordinators' changes."""

from __future__ import annotations

import pytest

from safespaces.accounts.models import User
from safespaces.conversations.keyword_actions import set_keywords
from safespaces.conversations.keywords import InvalidKeyword, split_command

pytestmark = pytest.mark.django_db


def test_end_with_words_ends_an_alert_and_end_alone_stops() -> None:
    assert split_command("END 1234") == ("end_alert", "1234", "en")
    assert split_command("end") == ("stop", "", "en")
    assert split_command("End of the street")[:2] == ("end_alert", "of the street")
    assert split_command("fin")[0] == "end_alert"
    assert split_command("انهاء ١٢٣٤")[0] == "end_alert"


def test_safety_keywords_in_four_languages() -> None:
    assert split_command("SOS")[0] == "panic"
    assert split_command("استغاثة")[0] == "panic"
    assert split_command("Pánico ahora")[:2] == ("panic", "ahora")
    assert split_command("Check-in 45m")[:2] == ("checkin", "45m")
    assert split_command("LOC Tahrir")[:2] == ("location", "Tahrir")
    assert split_command("reçu")[0] == "ack"
    assert split_command("pizza")[0] == "discreet_panic"


def test_a_coordinator_may_keep_end_for_both(alice: User) -> None:
    set_keywords("stop", "en", ["stop", "end"], alice)
    set_keywords("end_alert", "en", ["end", "finish"], alice)
    assert split_command("END")[0] == "stop"
    assert split_command("END 1234")[0] == "end_alert"
    assert split_command("finish 1234")[0] == "end_alert"


def test_a_coordinator_may_choose_another_discreet_word(alice: User) -> None:
    set_keywords("discreet_panic", "en", ["groceries"], alice)
    assert split_command("groceries")[0] == "discreet_panic"
    assert split_command("pizza")[0] == "info"


@pytest.mark.parametrize(
    ("command", "word"),
    [
        ("report", "end"),  # END belongs to STOP and to END <PIN> only
        ("end_alert", "report"),  # would never be reached: REPORT starts a report
        ("end_alert", "sos"),
        ("report", "fin"),  # would take "FIN 1234" away from end_alert
        ("panic", "help"),
    ],
)
def test_words_no_two_commands_may_share_are_refused(alice: User, command: str, word: str) -> None:
    with pytest.raises(InvalidKeyword):
        set_keywords(command, "en", [word], alice)
