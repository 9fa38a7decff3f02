from __future__ import annotations

import pytest
from django.test import Client


def test_it_explains_how_to_cover_your_tracks(client: Client) -> None:
    response = client.get("/safety/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Cover your tracks</h1>" in content
    for topic in ("private window", "history", "shared or checked phone", "Escape key"):
        assert topic in content


def test_it_warns_that_leaving_quickly_does_not_erase_history(client: Client) -> None:
    content = client.get("/safety/").content.decode()
    assert "Leaving quickly does not erase your browsing history" in content


@pytest.mark.parametrize("code", ["ar", "fr", "es"])
def test_it_exists_in_every_language(client: Client, code: str) -> None:
    response = client.get(f"/{code}/safety/")
    assert response.status_code == 200
    assert f'href="/{code}/safety/"'.encode() in response.content


def test_it_sets_no_cookie(client: Client) -> None:
    response = client.get("/safety/")
    assert not response.cookies
