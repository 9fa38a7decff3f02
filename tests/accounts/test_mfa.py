"""TOTP codes (RFC 6238) and recovery codes."""

from __future__ import annotations

import urllib.parse

import pyotp
import pytest

from safespaces.accounts import mfa

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_at(step: int) -> str:
    return mfa.totp(SECRET).generate_otp(step)


def test_it_accepts_the_current_code_and_names_its_step() -> None:
    now = mfa.current_step()
    assert mfa.matching_step(SECRET, code_at(now), last_step=0) == now


def test_it_accepts_one_step_of_clock_drift_either_way() -> None:
    now = mfa.current_step()
    assert mfa.matching_step(SECRET, code_at(now - 1), last_step=0) == now - 1
    assert mfa.matching_step(SECRET, code_at(now + 1), last_step=0) == now + 1


def test_it_refuses_codes_two_steps_away(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mfa, "current_step", lambda: 58_000_000)
    assert mfa.matching_step(SECRET, code_at(58_000_000), last_step=0) == 58_000_000
    assert mfa.matching_step(SECRET, code_at(57_999_998), last_step=0) is None
    assert mfa.matching_step(SECRET, code_at(58_000_002), last_step=0) is None


def test_it_refuses_a_step_already_used() -> None:
    now = mfa.current_step()
    assert mfa.matching_step(SECRET, code_at(now), last_step=now) is None


def test_it_ignores_spaces_and_refuses_non_digits() -> None:
    code = code_at(mfa.current_step())
    assert mfa.matching_step(SECRET, f"{code[:3]} {code[3:]}", last_step=0) is not None
    assert mfa.matching_step(SECRET, "abcdef", last_step=0) is None
    assert mfa.matching_step(SECRET, code + "1", last_step=0) is None


def test_its_codes_match_a_standard_authenticator() -> None:
    assert mfa.totp(SECRET).now() == pyotp.TOTP(SECRET).now()


def test_its_provisioning_uri_names_the_issuer_and_account() -> None:
    uri = mfa.provisioning_uri(SECRET, "alice")
    parsed = urllib.parse.urlparse(uri)
    query = urllib.parse.parse_qs(parsed.query)
    assert parsed.scheme == "otpauth"
    assert query["secret"] == [SECRET]
    assert query["issuer"] == ["SafeSpaces"]
    assert "alice" in urllib.parse.unquote(parsed.path)


def test_it_draws_the_qr_code_as_an_svg_data_uri() -> None:
    assert mfa.qr_code_data_uri("otpauth://totp/x?secret=" + SECRET).startswith(
        "data:image/svg+xml"
    )


def test_it_makes_ten_distinct_recovery_codes() -> None:
    codes = mfa.new_recovery_codes()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)


def test_it_hashes_recovery_codes_with_a_key_and_per_person() -> None:
    code = "abcd-efgh-ijkm"
    digest = mfa.recovery_code_hash("u_1", code)
    assert code not in digest
    assert digest == mfa.recovery_code_hash("u_1", "ABCD EFGH IJKM")
    assert digest != mfa.recovery_code_hash("u_2", code)


def test_it_tells_totp_codes_from_recovery_codes() -> None:
    assert mfa.looks_like_totp_code("123 456")
    assert not mfa.looks_like_totp_code("2345-6789-2345")
    assert not mfa.looks_like_totp_code("abcd-efgh-ijkm")
