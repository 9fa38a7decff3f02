"""The map's tile proxy: visitors' browsers ask us, we ask the configured tile server.

The upstream sees our server, named by its User-Agent, and never anything of the visitor: no
address, cookie, referrer or language. Tiles are kept on disk under the data directory for
SAFESPACES_TILE_MAX_AGE_DAYS; when the upstream fails, a stale tile beats none.
"""

from __future__ import annotations

import http.client
import logging
import os
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

import safespaces

logger = logging.getLogger(__name__)

MAX_TILE_ZOOM = 19
MAX_TILE_BYTES = 512 * 1024
CHUNK_BYTES = 16 * 1024
# What a tile may be, told by its first bytes rather than by what the upstream claims.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class TileUnavailable(Exception):
    """The upstream did not give a usable tile in time."""


def is_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_TILE_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def tile_path(z: int, x: int, y: int) -> Path:
    return Path(settings.SAFESPACES_DATA_DIR) / "tiles" / str(z) / str(x) / f"{y}.tile"


def content_type(data: bytes) -> str | None:
    return next((kind for signature, kind in SIGNATURES if data.startswith(signature)), None)


def user_agent() -> str:
    """Our server's name, as tile servers' usage policies ask: who to contact about traffic."""
    return f"SafeSpaces/{safespaces.__version__} (+{settings.SAFESPACES_BASE_URL})"


def upstream_url(z: int, x: int, y: int) -> str:
    url: str = settings.SAFESPACES_TILE_URL
    return url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def fetch(z: int, x: int, y: int) -> bytes:
    """The tile from the upstream, read within the time limit from start to end."""
    timeout = float(settings.SAFESPACES_TILE_TIMEOUT_SECONDS)
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(  # noqa: S310 (the URL is the operator's http(s) setting)
        upstream_url(z, x, y),
        headers={"User-Agent": user_agent(), "Accept": "image/png,image/jpeg;q=0.9"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if response.status != 200:
                raise TileUnavailable(f"status {response.status}")
            data = b""
            while chunk := response.read(CHUNK_BYTES):
                data += chunk
                if len(data) > MAX_TILE_BYTES:
                    raise TileUnavailable("tile too large")
                if time.monotonic() > deadline:
                    raise TileUnavailable("too slow")
    except (OSError, http.client.HTTPException, ValueError) as error:
        # URLError, HTTPError, timeouts and refused connections are all OSErrors.
        raise TileUnavailable(type(error).__name__) from None
    if content_type(data) is None:
        raise TileUnavailable("not an image")
    return data


def read_cached(path: Path) -> tuple[bytes, float] | None:
    """The cached tile and its age in seconds, if there is one."""
    try:
        return path.read_bytes(), time.time() - path.stat().st_mtime
    except OSError:
        return None


def store(path: Path, data: bytes) -> None:
    """Written whole or not at all: a reader never sees half a tile."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except OSError as error:
        logger.warning("Could not cache a map tile: %s", type(error).__name__)


def image(data: bytes) -> HttpResponse:
    return HttpResponse(data, content_type=content_type(data) or "application/octet-stream")


def tile_data(z: int, x: int, y: int) -> bytes:
    path = tile_path(z, x, y)
    cached = read_cached(path)
    max_age = settings.SAFESPACES_TILE_MAX_AGE_DAYS * 24 * 3600
    if cached is not None and cached[1] < max_age and content_type(cached[0]):
        return cached[0]
    try:
        data = fetch(z, x, y)
    except TileUnavailable as error:
        logger.warning("The tile server gave no tile: %s", error)
        if cached is not None and content_type(cached[0]):
            return cached[0]
        raise
    store(path, data)
    return data


@require_safe
def tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """One map tile; 404 at once when no tile server is configured or there is no such tile."""
    if not settings.SAFESPACES_TILE_URL or not is_tile(z, x, y):
        raise Http404
    try:
        return image(tile_data(z, x, y))
    except TileUnavailable:
        return HttpResponse(status=502)
