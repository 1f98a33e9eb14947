"""Compile the package's two C parts into shared libraries for ctypes: the scan's per-folder
loop (``home/_walker.c``) and the MD5 of eight download parts at once (``transfers/_md5lanes.c``).

Standard library only: the wheel's build hook (``hatch_build.py``) loads this file by its path,
in a build environment that has none of the package's dependencies, and the tests use it to
build the current source. Without a C compiler nothing is built; the scan then runs its
pure-Python loop and downloads hash with hashlib, which give the same results.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

PACKAGE = os.path.dirname(os.path.abspath(__file__))
# (folder in the package, source, library), each library loaded by a module of that folder.
PARTS = (("home", "_walker.c", "_walker.so"), ("transfers", "_md5lanes.c", "_md5lanes.so"))
SOURCE = os.path.join(PACKAGE, "home", "_walker.c")
LIBRARY = "_walker.so"
MD5_SOURCE = os.path.join(PACKAGE, "transfers", "_md5lanes.c")
MD5_LIBRARY = "_md5lanes.so"


def loaded(load: Callable[[str], T], path: str) -> T | None:
    """``load(path)`` for a module's ctypes library, or None where it was not built (no C
    compiler when the wheel was made) or was built for another platform."""
    try:
        return load(path)
    except (OSError, AttributeError):
        return None


def compiler() -> str | None:
    """The C compiler to use: $CC, else the one Python was built with, else cc or gcc."""
    for name in (os.environ.get("CC"), sysconfig.get_config_var("CC"), "cc", "gcc"):
        if name:
            found = shutil.which(name.split()[0])
            if found:
                return found
    return None


def build(destination: str, source: str = SOURCE) -> str | None:
    """Compile ``source`` into ``destination`` (a file path); its path, or None without a
    compiler or on a platform these are not for. A compiler that fails raises
    CalledProcessError."""
    cc = compiler()
    if cc is None or not sys.platform.startswith("linux"):
        return None
    os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
    # Written beside the destination, then renamed: a process that has the old library
    # loaded keeps its mapping, and no one loads a half-written file.
    partial = f"{destination}.{os.getpid()}.tmp"
    command = [cc, "-O2", "-shared", "-fPIC", "-Wall", "-Werror", "-o", partial, source]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
        os.replace(partial, destination)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return destination
