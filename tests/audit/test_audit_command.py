from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safespaces.audit.actions import record_event
from tests.audit import tampering

pytestmark = pytest.mark.django_db


def test_it_prints_ok_with_the_count() -> None:
    for _ in range(3):
        record_event("user:login", None)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "OK: the audit log's chain is intact (3 entries)" in out.getvalue()


def test_it_exits_one_naming_the_first_broken_link() -> None:
    for _ in range(3):
        record_event("user:login", None)
    tampering.edit(2, "actor", "u_forged")
    with pytest.raises(CommandError, match="broken at entry 2: entry 2 was edited") as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1
