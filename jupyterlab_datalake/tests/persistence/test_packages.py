"""Packages pip installed, since the server started, where they do not last."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from jupyterlab_datalake.persistence.packages import Package, packages_installed_since

from .support import (
    home_volume,
    pytestmark,  # noqa: F401 (the module's mark: Linux only)
)

# --- packages installed where they do not last ------------------------------------------------


def build_wheel(folder: Path, name: str, version: str) -> Path:
    """A minimal pure-Python wheel, so that pip installs it offline with nothing to build."""
    dist_info = f"{name}-{version}.dist-info"
    module = re.sub(r"[-.]", "_", name)
    files = {
        f"{module}/__init__.py": f"VERSION = {version!r}\n".encode(),
        f"{dist_info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
        ),
        f"{dist_info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, data in files.items():
            zf.writestr(path, data)
    return wheel


def pip_install(wheel: Path, target: Path) -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--no-index", "--no-deps"),
            *("--disable-pip-version-check", "--no-input", "--target", str(target), str(wheel)),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def wheels(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "wheels"
    folder.mkdir()
    return {
        "1.2.3": build_wheel(folder, "datalake_probe_pkg", "1.2.3"),
        "2.0": build_wheel(folder, "datalake_probe_pkg", "2.0"),
    }


def test_a_package_installed_outside_the_home_is_found(tmp_path, wheels):
    home = tmp_path / "home"
    mounts = home_volume(home)
    site = tmp_path / "site-packages"
    # The start time as the filesystem's clock sees it, which may lag time.time() a little.
    marker = tmp_path / "started"
    marker.touch()
    since = marker.stat().st_mtime
    pip_install(wheels["1.2.3"], site)

    found = packages_installed_since(since, str(home), paths=[str(site)], mounts=mounts)
    assert found == [Package("datalake_probe_pkg", "1.2.3", str(site))]

    later = time.time() + 60
    assert packages_installed_since(later, str(home), paths=[str(site)], mounts=mounts) == []
    kept = packages_installed_since(
        since, str(home), persistent_paths=[str(site)], paths=[str(site)], mounts=mounts
    )
    assert kept == []


def test_a_package_installed_in_the_home_is_not_reported(tmp_path, wheels):
    home = tmp_path / "home"
    site = home / ".local" / "lib" / "site-packages"
    pip_install(wheels["1.2.3"], site)
    assert packages_installed_since(0, str(home), paths=[str(site)], mounts=home_volume(home)) == []


def test_only_the_copy_python_imports_counts(tmp_path, wheels):
    home = tmp_path / "home"
    first, second = tmp_path / "first", tmp_path / "second"
    pip_install(wheels["1.2.3"], first)
    pip_install(wheels["2.0"], second)
    mounts = home_volume(home)
    found = packages_installed_since(0, str(home), paths=[str(first), str(second)], mounts=mounts)
    assert found == [Package("datalake_probe_pkg", "1.2.3", str(first))]
    # Shadowed by a copy in the home, a newer one outside goes unnoticed when it goes.
    in_home = home / "site"
    pip_install(wheels["1.2.3"], in_home)
    found = packages_installed_since(0, str(home), paths=[str(in_home), str(second)], mounts=mounts)
    assert found == []


def test_projects_with_dotted_names_are_told_apart(tmp_path):
    home = tmp_path / "home"
    site = tmp_path / "site-packages"
    folder = tmp_path / "wheels"
    folder.mkdir()
    for name in ("acme.tools", "acme.data"):
        pip_install(build_wheel(folder, name, "1.0"), site)
    found = packages_installed_since(0, str(home), paths=[str(site)], mounts=home_volume(home))
    assert sorted(p.name for p in found) == ["acme.data", "acme.tools"]
