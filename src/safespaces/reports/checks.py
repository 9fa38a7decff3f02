"""System checks: every configured category preset exists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from safespaces.reports.taxonomy import PRESETS


@checks.register()
def check_report_presets(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"SAFESPACES_REPORT_PRESETS names {key!r}, which is not a preset. "
            f"Known presets: {', '.join(PRESETS)}.",
            id="safespaces.reports.E001",
        )
        for key in settings.SAFESPACES_REPORT_PRESETS
        if key not in PRESETS
    ]
