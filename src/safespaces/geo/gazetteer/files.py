"""Importing a place file whole: read it, then store it only if it has no error.

The one path for the `import-places` command and the staff console's upload page, so both
accept the same files and say the same things about them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from safespaces.geo.gazetteer.actions import ImportSummary, import_places
from safespaces.geo.gazetteer.readers import FORMAT_BY_SUFFIX, read_places
from safespaces.geo.models import City

if TYPE_CHECKING:
    from safespaces.accounts.models import User

# Enough of the file's start to see past a byte-order mark and leading blank space.
SNIFF_BYTES = 4096
BYTE_ORDER_MARK = b"\xef\xbb\xbf"


@dataclass
class FileImport:
    """What became of a file: its errors (then nothing was stored), or the counts."""

    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    summary: ImportSummary | None = None


def format_from_name(name: str) -> str | None:
    """csv, geojson or osm from a file name's extension; None when it does not tell."""
    return FORMAT_BY_SUFFIX.get(Path(name).suffix.lower())


def format_from_content(path: Path) -> str:
    """The format by the file's first character: `{` or `[` is JSON, `<` is XML, else CSV."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES).removeprefix(BYTE_ORDER_MARK).lstrip()
    if head[:1] in (b"{", b"["):
        return "geojson"
    if head[:1] == b"<":
        return "osm"
    return "csv"


def import_place_file(
    path: Path,
    file_format: str,
    *,
    city: City | None = None,
    actor: User | str = "system",
    dry_run: bool = False,
) -> FileImport:
    """Read the file, and store its places in one transaction when no row has an error."""
    parsed = read_places(path, file_format)
    outcome = FileImport(errors=parsed.errors, skipped=parsed.skipped)
    if not parsed.errors:
        outcome.summary = import_places(
            parsed.records, file_format, city=city, actor=actor, dry_run=dry_run
        )
    return outcome
