"""Room in home: the size and free space of a volume, and whether something fits there and in
the quota. Saves, downloads and rescues all ask the same question, and word the answer the same
way: one place computes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..paths import human_bytes


@dataclass
class Volume:
    total: int
    free: int


def volume_of(path: int | str) -> Volume:
    """The size and free space of the volume of ``path``, a path or a folder's descriptor."""
    st = os.statvfs(path)
    # f_bavail, not f_bfree: the blocks reserved for root are not free for the user.
    return Volume(total=st.f_blocks * st.f_frsize, free=st.f_bavail * st.f_frsize)


def volume_used(path: str) -> int:
    """Bytes in use on the volume of ``path``, as ``df`` counts them: one statvfs, no walk."""
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def is_own_volume(path: str) -> bool:
    """Whether ``path`` is the root of a volume, as a PVC mounted at home is. Then the volume's
    used bytes move when, and only when, something in home changes (and the volume is not a
    sub-path of one shared with others), so watching them tells a write from outside
    JupyterLab without a walk."""
    return os.path.ismount(path)


def free_bytes(path: int | str) -> int:
    """Room left for the user on the volume of ``path``, a path or a descriptor."""
    return volume_of(path).free


def free_space_at(os_path: str) -> Volume:
    """The volume that a file at os_path would be written to: that of its nearest existing
    folder, which may be a mount inside home with less room than home itself."""
    folder = os.path.dirname(os.path.abspath(os_path))
    while not os.path.isdir(folder) and folder != os.path.dirname(folder):
        folder = os.path.dirname(folder)
    return volume_of(folder)


def shortfall(
    what: str, on_volume: int, free: int, counted: int, quota: int | None, used: int | None
) -> str | None:
    """Why ``what`` does not fit in home, or None when it does: ``on_volume`` bytes must fit
    in the volume's free space, and ``counted`` bytes in what the quota leaves."""
    if on_volume > free:
        return (
            f"Not enough space in your home: {what} takes {human_bytes(on_volume)} but only "
            f"{human_bytes(free)} is free on your home volume "
            f"({human_bytes(on_volume - free)} short)."
        )
    if quota is None or used is None:
        return None
    left = max(quota - used, 0)
    if counted > left:
        return (
            f"Not enough room in your quota: {what} takes {human_bytes(counted)} but only "
            f"{human_bytes(left)} of your {human_bytes(quota)} is left "
            f"({human_bytes(counted - left)} over)."
        )
    return None
