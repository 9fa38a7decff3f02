from __future__ import annotations

import pytest
from django.test import Client

from safespaces.web.context import helpline_tel


@pytest.mark.parametrize(
    ("helpline", "target"),
    [
        ("+20 2 1234 5678", "tel:+20212345678"),
        ("(02) 555-0100", "tel:025550100"),
        ("16000", "tel:16000"),
    ],
)
def test_it_turns_a_phone_number_into_a_tel_link(helpline: str, target: str) -> None:
    assert helpline_tel(helpline) == target


@pytest.mark.parametrize("helpline", ["", "Ask at any pharmacy", "12"])
def test_it_makes_no_tel_link_from_words(helpline: str) -> None:
    assert helpline_tel(helpline) == ""


def test_it_names_each_language_in_that_language(client: Client) -> None:
    response = client.get("/")
    names = [link["name"] for link in response.context["language_links"]]
    assert names == ["English", "العربيّة", "Français", "Español"]


def test_it_marks_arabic_links_right_to_left(client: Client) -> None:
    links = client.get("/").context["language_links"]
    assert [link["code"] for link in links if link["bidi"]] == ["ar"]


def test_it_links_the_same_page_in_each_language(client: Client) -> None:
    links = client.get("/es/safety/").context["language_links"]
    assert [link["url"] for link in links] == [
        "/safety/",
        "/ar/safety/",
        "/fr/safety/",
        "/es/safety/",
    ]
    assert [link["code"] for link in links if link["current"]] == ["es"]
