"""Export files at rest: sealed in parts with AES-GCM under the export job's own data key.

A file is a run of parts, each `flag (1 byte) | length (4 bytes) | sealed text`; the sealed
text is `vault.crypto.seal` of up to PART_BYTES of the file, with the job's id, the part's
number and its flag bound as associated data. So parts cannot be reordered, moved to another
file or dropped from the end unnoticed: a reader stops with ExportUnreadable at the first
part that does not open, and a file must end with its one final part.

A writer resumes a file at a checkpoint (parts and bytes stored), cutting off anything a
killed worker wrote after it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from django.conf import settings

from safespaces.vault import crypto

PART_BYTES = 64 * 1024
MORE, FINAL = 0, 1
HEADER_BYTES = 5
FOLDER = "exports"
SUFFIX = ".export"


class ExportUnreadable(Exception):
    """The file is not whole: a part is missing, out of place, cut short or tampered with."""


def export_folder() -> Path:
    """Where export files live: `exports/` in the data directory, readable by its owner only."""
    folder = Path(settings.SAFESPACES_DATA_DIR) / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def export_path(job_id: uuid.UUID) -> Path:
    return export_folder() / f"{job_id}{SUFFIX}"


def part_context(job_id: uuid.UUID, number: int, flag: int) -> bytes:
    return crypto.context_of(
        "safespaces/export-part/v1", job_id.bytes, number.to_bytes(8, "big"), bytes([flag])
    )


class SealedWriter:
    """Appends sealed parts to a file from a checkpoint; `close(final=...)` ends the slice."""

    def __init__(
        self, path: Path, job_id: uuid.UUID, key: bytes, parts: int, stored_bytes: int
    ) -> None:
        self.job_id = job_id
        self.key = key
        self.parts = parts
        self.stored_bytes = stored_bytes
        self.plain_written = 0
        self.buffer = bytearray()
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.file: BinaryIO = os.fdopen(descriptor, "r+b")
        if os.fstat(descriptor).st_size < stored_bytes:
            self.file.close()
            raise ExportUnreadable("The file is shorter than its last checkpoint.")
        # Whatever lies past the checkpoint was written by a slice that never committed.
        self.file.truncate(stored_bytes)
        self.file.seek(stored_bytes)

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.file.close()  # on error: the next slice cuts off what reached the disk

    def write(self, text: str) -> None:
        self.buffer += text.encode("utf-8")
        while len(self.buffer) >= PART_BYTES:
            self.seal(bytes(self.buffer[:PART_BYTES]), MORE)
            del self.buffer[:PART_BYTES]

    def seal(self, plaintext: bytes, flag: int) -> None:
        sealed = crypto.seal(self.key, plaintext, part_context(self.job_id, self.parts, flag))
        self.file.write(bytes([flag]) + len(sealed).to_bytes(4, "big") + sealed)
        self.parts += 1
        self.stored_bytes += HEADER_BYTES + len(sealed)
        self.plain_written += len(plaintext)

    def close(self, final: bool) -> None:
        """Seal what is left (the last part when `final`) and make it durable before commit."""
        if self.buffer or final:
            self.seal(bytes(self.buffer), FINAL if final else MORE)
            self.buffer.clear()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()


def opened_parts(stream: BinaryIO, job_id: uuid.UUID, key: bytes) -> Iterator[bytes]:
    """The file's text, part by part, each checked as it is opened; the stream is closed after."""
    with stream:
        number = 0
        while True:
            header = stream.read(HEADER_BYTES)
            if len(header) < HEADER_BYTES:
                raise ExportUnreadable("The file ends before its final part.")
            flag, length = header[0], int.from_bytes(header[1:], "big")
            sealed = stream.read(length)
            if len(sealed) < length or flag not in (MORE, FINAL):
                raise ExportUnreadable("A part of the file is cut short or malformed.")
            try:
                yield crypto.open_sealed(key, sealed, part_context(job_id, number, flag))
            except crypto.DecryptionError:
                raise ExportUnreadable(f"Part {number} of the file does not open.") from None
            number += 1
            if flag == FINAL:
                if stream.read(1):
                    raise ExportUnreadable("The file goes on after its final part.")
                return


def remove_file(job_id: uuid.UUID) -> None:
    export_path(job_id).unlink(missing_ok=True)
