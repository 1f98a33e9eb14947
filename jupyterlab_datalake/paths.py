"""Path and naming rules shared by everything that moves files: rescues into home, transfers
to and from the data lake."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from .errors import Refused

T = TypeVar("T")

# How many "name (n)" candidates are tried before giving up on finding a free name.
MAX_SUFFIX = 10_000


def is_within(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or below it; both must be normalised the same way."""
    return path == root or path.startswith(root.rstrip("/") + "/")


def overlap(entries: Sequence[T], path: Callable[[T], str]) -> tuple[T, T, bool] | None:
    """The first two entries that name the same path (True) or one inside the other (False,
    inner first), for requests that must act on each path once; "first" as a loop over every
    pair in the given order would find it.

    A request may name thousands of paths, so no pair is compared: sorted by their components,
    a path comes right before everything inside it, and one pass with a stack of the folders
    the walk is in finds every entry that overlaps another (O(n log n)). Only the earliest of
    those is then compared with the rest, to name its first partner.
    """
    paths = [path(e) for e in entries]
    order = sorted(range(len(paths)), key=lambda i: paths[i].rstrip("/").split("/"))
    overlapping = [False] * len(paths)
    enclosing: list[int] = []  # the folders above the current entry, outermost first
    for i in order:
        while enclosing and not is_within(paths[i], paths[enclosing[-1]]):
            enclosing.pop()
        if enclosing:
            overlapping[i] = overlapping[enclosing[-1]] = True
        enclosing.append(i)
    first = next((i for i, found in enumerate(overlapping) if found), None)
    if first is None:
        return None
    a = paths[first]
    for j in range(first + 1, len(paths)):
        b = paths[j]
        if a == b:
            return entries[first], entries[j], True
        if is_within(a, b):
            return entries[first], entries[j], False
        if is_within(b, a):
            return entries[j], entries[first], False
    return None  # pragma: no cover - an overlapping entry has a partner after it


def refuse_overlap(entries: Sequence, twice: str, inside: str) -> None:
    """A 400 when two entries overlap (see ``overlap``), for entries with a ``path`` and the
    path as the user ``asked`` for it: ``twice`` or ``inside`` is the message, with ``{inner}``
    and ``{outer}`` standing for the two as asked."""
    found = overlap(entries, lambda e: e.path)
    if found is None:
        return
    inner, outer, same = found
    raise Refused(400, (twice if same else inside).format(inner=inner.asked, outer=outer.asked))


def split_ext(name: str) -> tuple[str, str]:
    # "data.tar.gz" becomes "data (1).tar.gz" and ".bashrc" ".bashrc (1)", as a person would
    # name the copy.
    match = re.match(r"^(.*?[^.])((?:\.tar)?\.[^.\s]{1,10})$", name)
    return (match.group(1), match.group(2)) if match else (name, "")


def candidates(name: str, is_dir: bool) -> Iterator[str]:
    """``name``, then ``name (1)``, ``name (2)``… with the suffix before a file's extension."""
    yield name
    stem, ext = (name, "") if is_dir else split_ext(name)
    for n in range(1, MAX_SUFFIX):
        yield f"{stem} ({n}){ext}"


def human_bytes(n: int) -> str:
    """Sizes in messages, in the binary units the panel shows."""
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            return f"{value:.1f} {unit}"
    return f"{n} bytes"  # pragma: no cover - the loop always returns
