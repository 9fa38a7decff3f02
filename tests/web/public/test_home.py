from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings


def test_it_answers_in_english_at_the_root(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="en" dir="ltr">' in response.content
    assert b"Help and safe spaces for people at risk" in response.content


def test_it_stays_english_at_the_root_whatever_the_browser_asks(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "ar"})
    assert b'<html lang="en" dir="ltr">' in response.content


@pytest.mark.parametrize("code", ["ar", "fr", "es"])
def test_it_answers_in_each_language_under_its_prefix(client: Client, code: str) -> None:
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    assert f'<html lang="{code}"'.encode() in response.content


def test_it_lays_out_arabic_right_to_left(client: Client) -> None:
    response = client.get("/ar/")
    assert b'<html lang="ar" dir="rtl">' in response.content


def test_it_switches_language_with_plain_links_to_the_same_page(client: Client) -> None:
    content = client.get("/fr/").content.decode()
    for href in ('href="/"', 'href="/ar/"', 'href="/es/"'):
        assert href in content
    assert '<a href="/fr/" lang="fr" hreflang="fr" dir="ltr" aria-current="page">' in content


def test_it_sets_no_cookie(client: Client) -> None:
    response = client.get("/")
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_it_shows_the_helpline_as_a_number_to_call(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_HELPLINE = "+20 2 1234 5678"
    content = client.get("/").content.decode()
    assert 'href="tel:+20212345678"' in content
    assert "+20 2 1234 5678" in content


def test_it_says_nothing_of_a_helpline_when_none_is_set(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_HELPLINE = ""
    content = client.get("/").content.decode()
    assert "helpline-number" not in content
    assert "call your local emergency number" in content


def test_it_carries_the_quick_exit_to_the_neutral_site(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_QUICK_EXIT_URL = "https://neutral.example/weather"
    content = client.get("/").content.decode()
    assert 'id="quick-exit"' in content
    assert 'href="https://neutral.example/weather"' in content
    assert 'src="/static/safespaces/quick-exit.js"' in content


@pytest.mark.django_db
def test_it_links_only_to_pages_that_exist(client: Client) -> None:
    content = client.get("/").content.decode()
    assert "/safe-spaces/" not in content
    for path in ("/safety/", "/report/", "/map/"):
        assert f'href="{path}"' in content
        assert client.get(path).status_code == 200


def test_it_links_to_the_pages_in_its_own_language(client: Client) -> None:
    content = client.get("/ar/").content.decode()
    assert 'href="/ar/report/"' in content and 'href="/ar/map/"' in content


def test_it_refuses_a_post(client: Client) -> None:
    assert client.post("/").status_code == 405
