"""scripts/fetch-assets: packages come only from npm, and only when their hash matches."""

from __future__ import annotations

import base64
import hashlib
import importlib.machinery
import importlib.util
import io
import json
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch-assets"


def load_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("fetch_assets", str(SCRIPT))
    spec = importlib.util.spec_from_loader("fetch_assets", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_it_accepts_a_tarball_whose_hash_matches() -> None:
    script = load_script()
    data = tarball({"package/dist/a.js": b"ok"})
    script.check_integrity(data, integrity_of(data))


def test_it_refuses_a_tampered_tarball() -> None:
    script = load_script()
    data = tarball({"package/dist/a.js": b"ok"})
    with pytest.raises(script.AssetError, match="integrity mismatch"):
        script.check_integrity(data + b"x", integrity_of(data))


def test_it_fetches_only_from_the_npm_registry() -> None:
    script = load_script()
    with pytest.raises(script.AssetError, match="only the npm registry"):
        script.download("https://cdn.example.org/leaflet.tgz")


def test_it_installs_the_chosen_files_with_a_version_stamp(tmp_path: Path) -> None:
    script = load_script()
    data = tarball({"package/dist/a.js": b"alert(1)", "package/README": b"readme"})
    package = {"name": "demo", "version": "1.2.3", "files": {"package/dist/a.js": "a.js"}}
    target = tmp_path / "demo"
    script.install(package, data, target)
    assert (target / "a.js").read_bytes() == b"alert(1)"
    assert (target / ".version").read_text().strip() == "1.2.3"
    assert not (target / "README").exists()


def test_the_lock_file_pins_every_package_with_an_integrity_hash() -> None:
    lock = json.loads((SCRIPT.parents[1] / "assets.lock.json").read_text())
    for package in lock["packages"]:
        assert package["integrity"].startswith("sha512-")
        assert package["tarball"].startswith("https://registry.npmjs.org/")
        assert package["version"] in package["tarball"]
