"""Headless Chromium from Debian's package, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.one_at_a_time import SharedConnectionServer

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Before pytest-django's live_server starts (once, for the session).
LiveServerThread.server_class = SharedConnectionServer


def chromium_path() -> str:
    path = os.environ.get("SAFESPACES_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Browser tests need Debian's Chromium: apt-get install chromium "
            "(or set SAFESPACES_CHROMIUM to its path)."
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    new_context = browser.new_context(viewport={"width": 390, "height": 844})
    yield new_context
    new_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
