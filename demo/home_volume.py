"""The demo home as a volume of its own, of the quota's size, as a PVC is on the platform.

On a plain folder the quota is only a number on a large disk: nothing ever fills, so the
disk-full explanation and "save anyway?" never show, and /tmp, on the same disk as home,
counts as kept, so no /tmp warning shows either. As root, the demo formats a sparse file of
the quota's size as ext4 (kept beside the home, so that the home's files outlive the demo as
a PVC's do) and loop-mounts it at the home; on exit it unmounts it. Where it cannot, it says
why, and the demo runs on the folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from jupyterlab_datalake.config import parse_size


@dataclass
class HomeVolume:
    home: Path
    # What the start-up message says: the volume, or why there is none.
    description: str
    # Set when this run mounted it, and so unmounts it on exit.
    image: Path | None = None


def mount(home: Path, quota: str) -> HomeVolume:
    """Mount a loop-mounted ext4 volume of ``quota``'s size at ``home`` when possible."""
    size = parse_size(quota)
    without = (
        "a folder on this machine's disk, not a volume of its own ({}): the quota is only a "
        "number there, so the disk-full explanation, 'save anyway?' and the /tmp warning "
        "cannot show"
    )
    if os.geteuid() != 0:
        return HomeVolume(home, without.format("mounting one needs root"))
    if os.path.ismount(home):
        # Left mounted by a demo that was killed, or mounted by the user: used, not unmounted.
        return HomeVolume(
            home, f"already a mount point, used as it is (unmount it with umount {home})"
        )
    if shutil.which("mkfs.ext4") is None:
        return HomeVolume(home, without.format("mkfs.ext4 is missing: apt-get install e2fsprogs"))
    image = home.parent / f".{home.name}-{size}.img"
    home.mkdir(parents=True, exist_ok=True)
    created = not image.exists()
    if created:
        with open(image, "wb") as f:
            f.truncate(size)  # sparse: the disk holds only what the home holds
        # No blocks reserved for root: the demo's server runs as root and must fill at the quota.
        made = _run("mkfs.ext4", "-q", "-F", "-m", "0", str(image))
        if made.returncode != 0:
            image.unlink()
            return HomeVolume(home, without.format(f"mkfs.ext4 failed: {made.stderr.strip()}"))
    mounted = _run("mount", "-o", "loop", str(image), str(home))
    if mounted.returncode != 0:
        if created:
            image.unlink()
        reason = mounted.stderr.strip() or f"mount exited with {mounted.returncode}"
        return HomeVolume(home, without.format(f"no loop mount here: {reason}"))
    if created:
        # mkfs leaves lost+found, which would be the first thing in the file browser.
        (home / "lost+found").rmdir()
    return HomeVolume(home, f"an ext4 volume of {quota} of its own ({image})", image)


def unmount(volume: HomeVolume) -> str | None:
    """Unmount what ``mount`` mounted; what went wrong, if anything."""
    if volume.image is None:
        return None
    done = _run("umount", str(volume.home))
    if done.returncode == 0:
        return None
    # Busy (a terminal still in it): detach now, freed when the last user leaves.
    lazy = _run("umount", "-l", str(volume.home))
    if lazy.returncode == 0:
        return f"{volume.home} was busy; detached, it is unmounted once nothing uses it"
    return f"could not unmount {volume.home}: {lazy.stderr.strip() or done.stderr.strip()}"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)
