"""The SMS keywords page: coordinators see the words in force and change them, with clear errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.conversations import keywords
from safespaces.conversations.models import CommandKeyword

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
URL = "/staff/keywords/"


@pytest.fixture(autouse=True)
def fresh_keyword_table() -> Iterator[None]:
    """The keyword table is cached per process; the next test must not see this one's rows."""
    keywords.changed()
    yield
    keywords.changed()


def save(client: Client, command: str, **words: str) -> str:
    """Post one command's form, every language left as the page showed it unless given."""
    in_force = keywords.effective_keywords()[command]
    data = {"command": command}
    for language in keywords.LANGUAGES:
        data[f"{command}-{language}"] = words.get(language, ", ".join(in_force[language]))
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def words_of(command: str, language: str) -> list[str]:
    return list(
        CommandKeyword.objects.filter(command=command, language=language)
        .order_by("pk")
        .values_list("word", flat=True)
    )


def test_it_has_the_url_name_of_the_brief() -> None:
    assert reverse("staff:keywords") == URL


def test_a_coordinator_sees_every_command_and_language_with_the_words_in_force(
    alice: User, staff_client: StaffClient
) -> None:
    response = staff_client(alice).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for command in ("report", "safe", "help", "ok", "language", "stop", "start"):
        assert f'id="command-{command}"' in page
        for language in keywords.LANGUAGES:
            assert f'name="{command}-{language}"' in page
    assert 'value="help"' in page
    assert 'value="panic, sos"' in page
    assert "مساعدة" in page
    assert 'name="help-ar"' in page and 'dir="rtl"' in page
    assert "Saved by a coordinator" not in page
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("user_name", ["bob", "charlie", "dana"])
def test_only_coordinators_may_open_or_change_keywords(
    user_name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    client = staff_client(request.getfixturevalue(user_name))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"command": "help", "help-en": "aidme"})
    assert response.status_code == 403
    assert not CommandKeyword.objects.exists()


def test_saved_words_start_the_command_and_are_audited(
    alice: User, staff_client: StaffClient
) -> None:
    page = save(staff_client(alice), "help", en="help, aidme")
    assert "The keywords of the Help command are saved." in page
    assert "Saved by a coordinator. The default words are: help" in page
    assert words_of("help", "en") == ["help", "aidme"]
    assert keywords.split_command("AIDME at the station")[:2] == ("help", "at the station")
    event = AuditEvent.objects.get(tag="keyword:set")
    assert event.actor == alice.pseudonym
    assert event.data["language"] == "en"


def test_only_the_languages_changed_are_saved(alice: User, staff_client: StaffClient) -> None:
    save(staff_client(alice), "help", fr="aide, secours, urgence")
    assert words_of("help", "fr") == ["aide", "secours", "urgence"]
    assert set(CommandKeyword.objects.values_list("language", flat=True)) == {"fr"}
    assert AuditEvent.objects.filter(tag="keyword:set").count() == 1


def test_saving_the_form_unchanged_changes_nothing(alice: User, staff_client: StaffClient) -> None:
    save(staff_client(alice), "safe")
    assert not CommandKeyword.objects.exists()
    assert not AuditEvent.objects.filter(tag="keyword:set").exists()


def test_arabic_words_may_be_separated_by_the_arabic_comma(
    alice: User, staff_client: StaffClient
) -> None:
    save(staff_client(alice), "help", ar="مساعدة، نجدة، الحقوني")
    assert words_of("help", "ar") == ["مساعدة", "نجدة", "الحقوني"]


def test_a_word_of_another_command_is_refused_and_nothing_of_the_form_is_saved(
    alice: User, staff_client: StaffClient
) -> None:
    page = save(staff_client(alice), "help", en="help, report", fr="aide, alerte")
    assert "The keyword report already starts the report command." in page
    assert not CommandKeyword.objects.exists()
    assert not AuditEvent.objects.filter(tag="keyword:set").exists()
    assert 'value="help, report"' in page


def test_more_than_one_word_is_refused(alice: User, staff_client: StaffClient) -> None:
    page = save(staff_client(alice), "help", en="help, need help")
    assert "A keyword is one word, without spaces." in page
    assert not CommandKeyword.objects.exists()


def test_an_empty_language_brings_the_defaults_back(alice: User, staff_client: StaffClient) -> None:
    client = staff_client(alice)
    save(client, "help", en="aidme")
    assert keywords.split_command("HELP")[0] == "info"
    page = save(client, "help", en="")
    assert not CommandKeyword.objects.exists()
    assert keywords.split_command("HELP")[0] == "help"
    assert 'value="help"' in page
    assert AuditEvent.objects.filter(tag="keyword:set").count() == 2


def test_an_unknown_command_is_refused(alice: User, staff_client: StaffClient) -> None:
    response = staff_client(alice).post(URL, {"command": "explode", "explode-en": "boom"})
    assert response.status_code == 200
    assert "Choose one of the commands to change its keywords." in response.content.decode()
    assert not CommandKeyword.objects.exists()
