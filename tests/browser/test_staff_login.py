"""A staff member logs in with a password and a real TOTP code in headless Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import Page, expect

from safespaces.accounts.models import TotpDevice, User
from safespaces.accounts.roles import Role
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_with_password_and_totp_and_lands_on_home(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    user = make_staff(Role.DUTY_OFFICER, username="charlie")
    secret = TotpDevice.objects.get(user=user).secret
    assert secret is not None
    page.goto(f"{live_server.url}/staff/")  # type: ignore[attr-defined]
    expect(page).to_have_url(f"{live_server.url}/staff/login/?next=/staff/")  # type: ignore[attr-defined]
    page.get_by_label("Username").fill("charlie")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Welcome, charlie.")).to_be_visible()
    assert page.url == f"{live_server.url}/staff/"  # type: ignore[attr-defined]


def test_a_new_member_enrols_with_the_key_shown_and_sees_recovery_codes(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    make_staff(Role.MODERATOR, username="bob", mfa=False)
    page.goto(f"{live_server.url}/staff/login/")  # type: ignore[attr-defined]
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", name="Welcome, bob.")).to_be_visible()
