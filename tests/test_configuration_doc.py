"""docs/configuration.md describes every environment variable the code reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "safespaces"
DOC = ROOT / "docs" / "configuration.md"
# settings.py reads SAFESPACES_<NAME> through the typed helpers of config.py.
HELPER_CALL = re.compile(r'\benv_(str|bool|int|float|list|choice|secret)\(\s*"([A-Z0-9_]+)"')
# Any module may read a variable directly: os.environ.get("PORT"), os.environ["DATABASE_URL"].
DIRECT_READ = re.compile(r'\benviron(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]+)"')
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for module in PACKAGE.rglob("*.py"):
        source = module.read_text(encoding="utf-8")
        for helper, name in HELPER_CALL.findall(source):
            names.add(f"SAFESPACES_{name}")
            if helper == "secret":
                names.add(f"SAFESPACES_{name}_FILE")
        names.update(DIRECT_READ.findall(source))
    return names - NOT_SETTINGS


def documented_variables() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    names = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", text))
    # A secret's row, marked *secret*, documents its _FILE form too.
    for row in text.splitlines():
        if "(*secret*)" in row:
            names.update(f"{name}_FILE" for name in re.findall(r"`(SAFESPACES_[A-Z0-9_]+)`", row))
    return names


def test_it_finds_the_settings_it_checks() -> None:
    read = variables_read_by_the_code()
    assert {"SAFESPACES_PRODUCTION", "SAFESPACES_SECRET_KEY_FILE", "DATABASE_URL"} <= read


def test_it_documents_every_variable_the_code_reads() -> None:
    missing = variables_read_by_the_code() - documented_variables()
    assert not missing, f"docs/configuration.md does not describe {sorted(missing)}"


def test_it_documents_no_variable_the_code_ignores() -> None:
    documented = {
        name
        for name in documented_variables()
        if name.startswith("SAFESPACES_") and not name.endswith("_FILE")
    }
    stale = documented - variables_read_by_the_code()
    assert not stale, f"docs/configuration.md describes unknown settings {sorted(stale)}"
