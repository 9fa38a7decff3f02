"""System checks: each configured gateway exists and carries its channel."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from safespaces.outbox.gateways import registry


@checks.register()
def check_gateways(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for setting, channel in (("SMS_GATEWAYS", "sms"), ("EMAIL_GATEWAYS", "email")):
        for name in getattr(settings, f"SAFESPACES_{setting}"):
            if name not in registry.names():
                problems.append(
                    checks.Error(
                        f"SAFESPACES_{setting} names {name!r}, which is not a gateway. "
                        f"Known gateways: {', '.join(registry.names())}.",
                        id="safespaces.outbox.E001",
                    )
                )
            elif channel not in registry.get(name).channels:
                problems.append(
                    checks.Error(
                        f"SAFESPACES_{setting} names {name!r}, which cannot send {channel}.",
                        id="safespaces.outbox.E002",
                    )
                )
    return problems
