"""scripts/check-translations on a small catalog in a temporary folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check-translations"
HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""
GREETING = """
#: greetings.py:3
msgid "Hello there."
msgstr "Bonjour."
"""
WELCOME = """
#: templates/welcome.html:1
msgid "Welcome to the safe space."
msgstr "Bienvenue dans l'espace sûr."
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    package = tmp_path / "package"
    (package / "templates").mkdir(parents=True)
    (package / "greetings.py").write_text(
        "from django.utils.translation import gettext as _\n\nGREETING = _('Hello there.')\n"
    )
    (package / "templates" / "welcome.html").write_text(
        "{% load i18n %}{% translate 'Welcome to the safe space.' %}\n"
    )
    return package


def write_catalog(source: Path, body: str, *, compile_it: bool = True) -> Path:
    folder = source / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    po_file = folder / "django.po"
    po_file.write_text(HEADER + body, encoding="utf-8")
    if compile_it:
        subprocess.run(
            ["msgfmt", "--output-file", str(po_file.with_suffix(".mo")), str(po_file)],
            check=True,
        )
    return po_file


def run_check(source: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(source), "--languages", "fr"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_accepts_a_complete_compiled_catalog(source: Path) -> None:
    write_catalog(source, GREETING + WELCOME)
    done = run_check(source)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date and complete" in done.stdout


def test_it_ignores_locations_that_moved(source: Path) -> None:
    write_catalog(source, GREETING.replace("greetings.py:3", "elsewhere.py:99") + WELCOME)
    assert run_check(source).returncode == 0


def test_it_reports_a_missing_catalog(source: Path) -> None:
    done = run_check(source)
    assert done.returncode == 1
    assert "fr/LC_MESSAGES/django.po: the catalog is missing" in done.stdout


def test_it_reports_a_message_missing_from_the_catalog(source: Path) -> None:
    write_catalog(source, GREETING)
    done = run_check(source)
    assert done.returncode == 1
    assert "missing message 'Welcome to the safe space.'" in done.stdout


def test_it_reports_an_obsolete_message(source: Path) -> None:
    write_catalog(source, GREETING + WELCOME + '\nmsgid "Goodbye."\nmsgstr "Au revoir."\n')
    done = run_check(source)
    assert done.returncode == 1
    assert "obsolete message 'Goodbye.'" in done.stdout


def test_it_reports_an_obsolete_message_kept_as_a_comment(source: Path) -> None:
    write_catalog(source, GREETING + WELCOME + '\n#~ msgid "Goodbye."\n#~ msgstr "Au revoir."\n')
    done = run_check(source)
    assert done.returncode == 1
    assert "obsolete message 'Goodbye.' is kept as #~" in done.stdout


def test_it_reports_an_untranslated_message(source: Path) -> None:
    write_catalog(source, GREETING + WELCOME.replace("Bienvenue dans l'espace sûr.", ""))
    done = run_check(source)
    assert done.returncode == 1
    assert "untranslated message 'Welcome to the safe space.'" in done.stdout


def test_it_reports_a_fuzzy_translation(source: Path) -> None:
    write_catalog(source, GREETING + "\n#, fuzzy" + WELCOME)
    done = run_check(source)
    assert done.returncode == 1
    assert "fuzzy translation of 'Welcome to the safe space.'" in done.stdout


def test_it_reports_a_missing_compiled_catalog(source: Path) -> None:
    write_catalog(source, GREETING + WELCOME, compile_it=False)
    done = run_check(source)
    assert done.returncode == 1
    assert "django.mo: the compiled catalog is missing" in done.stdout


def test_it_reports_a_compiled_catalog_older_than_its_source(source: Path) -> None:
    po_file = write_catalog(source, GREETING + WELCOME)
    po_file.write_text(HEADER + GREETING.replace("Bonjour.", "Salut.") + WELCOME)
    done = run_check(source)
    assert done.returncode == 1
    assert "django.mo: the compiled catalog does not match django.po" in done.stdout


def test_it_reports_a_catalog_that_msgfmt_refuses(source: Path) -> None:
    broken = GREETING + '\n#, python-format\nmsgid "%(count)s places"\nmsgstr "places"\n'
    (source / "places.py").write_text(
        "from django.utils.translation import gettext as _\n\nPLACES = _('%(count)s places')\n"
    )
    write_catalog(source, broken + WELCOME, compile_it=False)
    done = run_check(source)
    assert done.returncode == 1
    assert "msgfmt refuses it" in done.stdout


def test_it_accepts_compiled_plurals_and_contexts(source: Path) -> None:
    (source / "menu.py").write_text(
        "from django.utils.translation import ngettext, pgettext\n\n"
        "OPEN = pgettext('menu', 'Open')\n"
        "PLACES = ngettext('%(count)s place', '%(count)s places', 2)\n"
    )
    plural_and_context = (
        '\nmsgctxt "menu"\nmsgid "Open"\nmsgstr "Ouvrir"\n'
        '\n#, python-format\nmsgid "%(count)s place"\nmsgid_plural "%(count)s places"\n'
        'msgstr[0] "%(count)s lieu"\nmsgstr[1] "%(count)s lieux"\n'
    )
    write_catalog(source, GREETING + WELCOME + plural_and_context)
    done = run_check(source)
    assert done.returncode == 0, done.stdout + done.stderr
