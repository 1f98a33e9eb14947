"""Packages that pip installed since the server started into a site-packages that does not
survive a restart: the user sees them work today and lose them tomorrow, and is told to
install with ``--user`` (home) instead. Every function blocks; the server runs them in a thread.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from .mounts import Mount, classify, read_mounts


@dataclass
class Package:
    name: str
    version: str
    location: str  # the site-packages folder


def packages_installed_since(
    since: float,
    home: str,
    persistent_paths: Iterable[str] = (),
    paths: list[str] | None = None,
    mounts: list[Mount] | None = None,
) -> list[Package]:
    """Distributions installed or upgraded since ``since`` (a timestamp) outside persistent
    storage: a ``pip install`` without ``--user``, gone at the next restart. Sorted by name.

    Only the copy Python imports counts (the first on the path): a newer copy shadowed by
    one in the home volume changes nothing when it goes.
    """
    if mounts is None:
        mounts = read_mounts()
    recent: list[tuple[str, str, str]] = []
    names = set()
    for dist in importlib.metadata.distributions(path=paths or sys.path):
        meta_dir = getattr(dist, "_path", None)
        if meta_dir is None:
            continue
        meta_dir = os.fspath(meta_dir)
        # The folder's name gives the project's name without parsing its metadata, which
        # is most of the time spent here; only the recent ones get their metadata read.
        key = _canonical(os.path.splitext(os.path.basename(meta_dir))[0].split("-")[0])
        if key in names:
            continue
        names.add(key)
        installed = _installed_time(meta_dir)
        if installed is None or installed < since:
            continue
        # A half-removed or hand-made metadata folder must not stop the others.
        try:
            name = dist.metadata["Name"]
            version = dist.version
        except Exception:
            continue
        if name:
            recent.append((name, version, os.path.dirname(meta_dir)))
    locations = sorted({location for _, _, location in recent})
    kept = {
        location
        for location, cls in zip(locations, classify(locations, home, persistent_paths, mounts))
        if cls.persistent
    }
    packages = [Package(n, v, loc) for n, v, loc in recent if loc not in kept]
    packages.sort(key=lambda p: p.name.lower())
    return packages


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_time(meta_dir: str) -> float | None:
    # pip rewrites RECORD last; an upgrade in place may leave the folder's own mtime alone.
    times = []
    for name in ("", "RECORD", "METADATA", "PKG-INFO"):
        with contextlib.suppress(OSError, TypeError, ValueError):
            times.append(os.stat(os.path.join(meta_dir, name)).st_mtime)
    return max(times) if times else None
