"""What survives a restart of the user's server, what is at risk, and moving it home.

On JupyterHub on Kubernetes only the home volume (and whatever the admin mounts as
persistent) outlives the container: /tmp, /var/tmp, /dev/shm and the image's own
site-packages live on the container's root filesystem or in RAM and are gone after a restart.

Persistence is decided from the mount table, never from a list of well-known paths: images
and deployments differ in what they mount where. Two paths are on the same storage when their
mounts show the same device *and* one lies within the part of that filesystem the other's
mount exposes (mountinfo's "root" field). The device alone is not enough: on a node whose
disk backs both the home volume (a local-path or hostPath PVC) and the emptyDir mounted at
/tmp, both show the node disk's device, and only the root field tells them apart.

Every function blocks; the server runs them in a thread.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..paths import is_within

# Filesystems whose content is in memory: worth saying so, it explains why it is lost.
_RAM_FSTYPES = ("tmpfs", "ramfs")


@dataclass
class Mount:
    mount_point: str  # unescaped
    fstype: str
    source: str
    device: str  # "major:minor"
    # The folder of the mounted filesystem that appears at mount_point: "/" for a whole
    # filesystem, the bound folder for a bind mount or a Kubernetes subPath.
    root: str = "/"


@dataclass
class Classification:
    path: str  # as asked
    persistent: bool
    reason: str
    mount_point: str
    fstype: str


def read_mounts(mountinfo: str = "/proc/self/mountinfo") -> list[Mount]:
    """The mount table, in the kernel's order (a later mount at the same point hides earlier)."""
    with open(mountinfo, "rb") as f:
        data = f.read()
    mounts = []
    for line in data.splitlines():
        fields = line.split(b" ")
        # The optional fields (shared:N, master:N, ...) vary in number; " - " ends them.
        try:
            sep = fields.index(b"-", 6)
        except ValueError:
            continue
        if len(fields) < sep + 3:
            continue
        mounts.append(
            Mount(
                mount_point=_unescape(fields[4]),
                fstype=_unescape(fields[sep + 1]),
                source=_unescape(fields[sep + 2]),
                device=fields[2].decode("ascii", "replace"),
                root=_unescape(fields[3]),
            )
        )
    return mounts


def _unescape(raw: bytes) -> str:
    # The kernel writes space, tab, newline and backslash as \ooo; other bytes, UTF-8 names
    # included, come as they are, so this works on bytes and decodes like any path.
    return os.fsdecode(re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw))


def mount_of(path: str, mounts: list[Mount]) -> Mount:
    """The mount ``path`` lives on (the nearest existing ancestor's, for a missing path).

    Raises ValueError when no mount in ``mounts`` holds it.
    """
    return _mount_at(_existing(os.path.realpath(path)), mounts)


def _existing(real: str) -> str:
    while real != "/" and not os.path.lexists(real):
        real = os.path.dirname(real)
    return real


def _mount_at(real: str, mounts: list[Mount]) -> Mount:
    best: list[Mount] = []
    for mount in mounts:
        if not is_within(real, mount.mount_point):
            continue
        if not best or len(mount.mount_point) > len(best[0].mount_point):
            best = [mount]
        elif len(mount.mount_point) == len(best[0].mount_point):
            best.append(mount)
    if not best:
        raise ValueError(f"no mount holds {real}")
    if len(best) > 1:
        # Several mounts stacked at one point (containers often get /dev/shm twice): the
        # visible one is the one whose device the folder shows, normally the last mounted.
        try:
            st = os.lstat(best[0].mount_point)
        except OSError:
            return best[-1]
        device = f"{os.major(st.st_dev)}:{os.minor(st.st_dev)}"
        for mount in reversed(best):
            if mount.device == device:
                return mount
    return best[-1]


def _storage(real: str, mount: Mount) -> str:
    """Where ``real`` lies inside its mount's filesystem."""
    rel = os.path.relpath(real, mount.mount_point)
    return os.path.normpath(os.path.join(mount.root, rel)) if rel != "." else mount.root


def _same_storage(real: str, mount: Mount, volume: Mount) -> bool:
    """Whether ``real`` (on ``mount``) is kept in the part of a filesystem ``volume`` shows."""
    return mount.device == volume.device and is_within(_storage(real, mount), volume.root)


def classify(
    paths: Sequence[str],
    home: str,
    persistent_paths: Iterable[str] = (),
    mounts: list[Mount] | None = None,
) -> list[Classification]:
    """Tell, for each path, whether it outlives a restart of the server, and why.

    A path is persistent when it is kept on the home volume, or is under one of the
    admin's ``persistent_paths``, or is on the same volume as one of them.
    """
    if mounts is None:
        mounts = read_mounts()
    home_mount = mount_of(home, mounts)
    configured = []
    for configured_path in persistent_paths or ():
        real = os.path.realpath(configured_path)
        mount = mount_of(real, mounts)
        # A configured folder on the root filesystem vouches for itself only: counting the
        # whole root as kept would hide every warning about /tmp the day a volume the admin
        # meant to mount there is missing.
        configured.append((configured_path, real, mount, mount.mount_point != "/"))
    result = []
    for path in paths:
        real = os.path.realpath(path)
        mount = mount_of(path, mounts)
        persistent = True
        if _same_storage(real, mount, home_mount):
            reason = f"on your home volume ({home_mount.mount_point}, {home_mount.fstype})"
        else:
            for configured_path, configured_real, configured_mount, whole in configured:
                # Under the configured folder and on its volume: a tmpfs mounted below it
                # is still a tmpfs.
                if _same_storage(real, mount, configured_mount) and (
                    whole or is_within(real, configured_real)
                ):
                    reason = (
                        "on a persistent mount configured by your admin "
                        f"({configured_path}, {configured_mount.fstype})"
                    )
                    break
            else:
                persistent = False
                reason = _lost_reason(mount)
        result.append(Classification(path, persistent, reason, mount.mount_point, mount.fstype))
    return result


def _lost_reason(mount: Mount) -> str:
    if mount.fstype in _RAM_FSTYPES:
        return f"on a {mount.fstype} (RAM) mount at {mount.mount_point}, lost at restart"
    if mount.mount_point == "/":
        return f"on the container's root filesystem ({mount.fstype}), lost at restart"
    return (
        f"on a {mount.fstype} mount at {mount.mount_point} that is neither your home volume "
        "nor configured as persistent, lost at restart"
    )
