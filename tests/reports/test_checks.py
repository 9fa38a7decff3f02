from __future__ import annotations

from typing import Any

from safespaces.reports.checks import check_report_presets


def test_it_accepts_known_presets(settings: Any) -> None:
    settings.SAFESPACES_REPORT_PRESETS = ["street_harassment", "gbvims"]
    assert check_report_presets() == []


def test_it_names_an_unknown_preset(settings: Any) -> None:
    settings.SAFESPACES_REPORT_PRESETS = ["street_harassment", "weather"]
    [error] = check_report_presets()
    assert error.id == "safespaces.reports.E001"
    assert "'weather'" in error.msg
