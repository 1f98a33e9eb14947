"""What the persistence tests share: mounts made for a test, the home volume, snapshots."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jupyterlab_datalake.persistence.mounts import Mount, read_mounts

MiB = 1024**2
NOBODY = 65534

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the Linux mount table"
)
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="gives files to another user (root)")


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def try_mount() -> Iterator[Callable[..., Path | None]]:
    """Mount a tmpfs (or bind a folder) at a path, or None if mounting is refused (not root);
    unmounted after the test."""
    mounted: list[Path] = []

    def do(
        path: Path, size: str = "16m", bind: Path | None = None, options: str = ""
    ) -> Path | None:
        path.mkdir(parents=True, exist_ok=True)
        if bind is not None:
            command = ["mount", "--bind", str(bind), str(path)]
        else:
            opts = f"size={size}" + (f",{options}" if options else "")
            command = ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)]
        if subprocess.run(command, capture_output=True).returncode != 0:
            return None
        mounted.append(path)
        return path

    yield do
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture
def mount(try_mount) -> Callable[..., Path]:
    """As ``try_mount``, skipping the test when mounting is refused."""

    def do(path: Path, *args, **kwargs) -> Path:
        mounted = try_mount(path, *args, **kwargs)
        if mounted is None:
            pytest.skip("cannot mount a tmpfs or bind mount here (needs root)")
        return mounted

    return do


@pytest.fixture
def other_device(tmp_path, try_mount) -> Iterator[Path]:
    """A folder on another filesystem than tmp_path: a tmpfs mounted for the test, or else a
    folder in /dev/shm, so that the copies across devices run without root too."""
    mounted = try_mount(tmp_path / "scratch")
    if mounted is not None:
        yield mounted
        return
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK) or device(shm) == device(tmp_path):
        pytest.skip("no filesystem other than the one of tmp_path to move from")
    folder = Path(tempfile.mkdtemp(prefix="test-persistence-", dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def home_volume(home: Path) -> list[Mount]:
    """This machine's mount table with ``home`` (created) as a volume of its own, as a PVC
    would be."""
    home.mkdir(parents=True, exist_ok=True)
    return [*read_mounts(), Mount(str(home), "ext4", "/dev/pvc-home", "253:77")]


def device(path: Path | str) -> str:
    st = os.stat(path)
    return f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"


def du(*paths: Path | str) -> int:
    """Total of ``du -scxB1`` over the paths, hard links once, as the report counts them."""
    out = subprocess.run(
        ["du", "-scxB1", *map(str, paths)], capture_output=True, text=True, check=True
    ).stdout
    return int(out.splitlines()[-1].split()[0])


def snapshot(root: Path) -> dict[str, tuple]:
    """Everything under ``root``: what each entry is, its content or link target, its mode."""
    tree: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            rel = str(path.relative_to(root))
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                tree[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                tree[rel] = ("dir", stat.S_IMODE(st.st_mode))
            elif stat.S_ISREG(st.st_mode):
                tree[rel] = ("file", path.read_bytes(), stat.S_IMODE(st.st_mode))
            else:
                tree[rel] = ("special",)
    return tree


@pytest.fixture(params=["same device", "other device"])
def places(request, tmp_path) -> tuple[Path, Path]:
    """(home, watched): a home folder and a temporary location, on one filesystem (moved by a
    rename) or on two (copied, then deleted)."""
    home = tmp_path / "home"
    home.mkdir()
    if request.param == "other device":
        watched = request.getfixturevalue("other_device")
        assert device(watched) != device(home)
    else:
        watched = tmp_path / "scratch"
        watched.mkdir()
    return home, watched


@pytest.fixture
def across(tmp_path, other_device) -> tuple[Path, Path]:
    """(home, watched) on different devices: the usual case, /tmp is not the home volume."""
    home = tmp_path / "home"
    home.mkdir()
    return home, other_device


def nothing_moved(home: Path, watched: Path, before: dict[str, tuple]) -> None:
    assert snapshot(watched) == before
    rescued = home / "rescued"
    assert not rescued.exists() or os.listdir(rescued) == []
