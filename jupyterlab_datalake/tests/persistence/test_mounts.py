"""The mount table and which paths survive a restart, on this machine's real mount table with
tmpfs and bind mounts the tests make to stand for the home volume and the admin's volumes.
"""

from __future__ import annotations

import os

import pytest

from jupyterlab_datalake.persistence.mounts import Mount, classify, mount_of, read_mounts

from .support import (
    device,
    home_volume,
    pytestmark,  # noqa: F401 (the module's mark: Linux only)
)

# --- the mount table --------------------------------------------------------------------------


def test_mountinfo_fields_are_read_and_unescaped(tmp_path):
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_bytes(
        b"36 35 98:0 /mnt1 /mnt/parent\\040with\\040space rw,noatime master:1 - ext3 /dev/root rw\n"
        b"37 35 0:50 / /a\\011tab\\012nl\\134bs rw shared:3 master:2 - tmpfs my\\040src rw\n"
        b"38 35 0:51 /export/h\xc3\xa9 /home/jovyan rw - nfs server:/export rw,vers=4.2\n"
        b"not a mount line\n"
    )
    assert read_mounts(str(mountinfo)) == [
        Mount("/mnt/parent with space", "ext3", "/dev/root", "98:0", "/mnt1"),
        Mount("/a\ttab\nnl\\bs", "tmpfs", "my src", "0:50", "/"),
        Mount("/home/jovyan", "nfs", "server:/export", "0:51", "/export/hé"),
    ]


def test_a_mount_point_with_a_space_is_found_in_the_real_table(tmp_path, mount):
    volume = mount(tmp_path / "my volume")
    found = [m for m in read_mounts() if m.mount_point == str(volume)]
    assert len(found) == 1
    assert found[0].fstype == "tmpfs"
    assert found[0].device == device(volume)
    # A file that does not exist yet is on the mount of the folder it would be created in.
    assert mount_of(str(volume / "not yet" / "data.csv"), read_mounts()) == found[0]


def test_of_mounts_stacked_at_one_point_the_visible_one_counts(tmp_path, mount):
    point = tmp_path / "stacked"
    mount(point)
    mount(point)
    stacked = [m for m in read_mounts() if m.mount_point == str(point)]
    assert len(stacked) == 2
    assert mount_of(str(point / "file"), read_mounts()) == stacked[-1]
    assert stacked[-1].device == device(point)


# --- classification ---------------------------------------------------------------------------


def test_root_filesystem_and_dev_shm_are_lost_at_restart(tmp_path, mount):
    home = mount(tmp_path / "home")
    mounts = read_mounts()
    root, shm = classify(["/", "/dev/shm"], str(home), mounts=mounts)
    assert not root.persistent
    assert root.mount_point == "/"
    assert root.reason == f"on the container's root filesystem ({root.fstype}), lost at restart"
    if not os.path.isdir("/dev/shm") or mount_of("/dev/shm", mounts).fstype != "tmpfs":
        pytest.skip("/dev/shm is not a tmpfs here")
    assert not shm.persistent
    assert (shm.mount_point, shm.fstype) == ("/dev/shm", "tmpfs")
    assert shm.reason == "on a tmpfs (RAM) mount at /dev/shm, lost at restart"


def test_the_home_volume_and_everything_in_it_is_kept(tmp_path, mount):
    home = mount(tmp_path / "home")
    (home / "notebooks").mkdir()
    link = tmp_path / "shortcut"
    link.symlink_to(home / "notebooks")
    asked = [str(home), str(home / "notebooks"), str(home / "new" / "file.txt"), str(link)]
    result = classify(asked, str(home))
    assert [c.path for c in result] == asked
    for c in result:
        assert c.persistent, c
        assert c.reason == f"on your home volume ({home}, tmpfs)"
        assert (c.mount_point, c.fstype) == (str(home), "tmpfs")


def test_a_volume_mounted_inside_the_home_is_not_the_home(tmp_path, mount):
    home = mount(tmp_path / "home")
    scratch = mount(home / "scratch")
    (c,) = classify([str(scratch / "big.bin")], str(home))
    assert not c.persistent
    assert c.reason == f"on a tmpfs (RAM) mount at {scratch}, lost at restart"


def test_a_volume_the_admin_configured_is_kept(tmp_path, mount):
    home = mount(tmp_path / "home")
    shared = mount(tmp_path / "shared")
    (shared / "team").mkdir()
    # The same volume seen through a bind mount elsewhere keeps its data too.
    elsewhere = mount(tmp_path / "elsewhere", bind=shared / "team")
    asked = [str(shared), str(shared / "team" / "data.parquet"), str(elsewhere / "x")]
    for c in classify(asked, str(home), persistent_paths=[str(shared)]):
        assert c.persistent, c
        assert c.reason == f"on a persistent mount configured by your admin ({shared}, tmpfs)"
    # Not configured, the same volume is just another tmpfs.
    for c in classify(asked, str(home)):
        assert not c.persistent, c


def test_other_mounts_are_lost_at_restart(tmp_path, mount):
    home = mount(tmp_path / "home")
    other = mount(tmp_path / "other")
    (tmp_path / "on-root").mkdir()
    bound = mount(tmp_path / "bound", bind=tmp_path / "on-root")
    other_c, bound_c = classify([str(other / "f"), str(bound / "f")], str(home))
    assert not other_c.persistent
    assert other_c.reason == f"on a tmpfs (RAM) mount at {other}, lost at restart"
    assert not bound_c.persistent
    assert bound_c.mount_point == str(bound)
    assert bound_c.reason == (
        f"on a {bound_c.fstype} mount at {bound} that is neither your home volume nor "
        "configured as persistent, lost at restart"
    )


def test_a_folder_of_the_home_volume_bound_elsewhere_is_kept(tmp_path, mount):
    home = mount(tmp_path / "home")
    (home / "projects").mkdir()
    bound = mount(tmp_path / "projects", bind=home / "projects")
    (c,) = classify([str(bound / "notes.md")], str(home))
    assert c.persistent
    assert c.mount_point == str(bound)


def test_a_home_that_is_no_volume_of_its_own_shares_the_fate_of_its_filesystem(tmp_path):
    # No mount at the home: it is on the same filesystem as the folder next to it.
    home = tmp_path / "home"
    home.mkdir()
    c_home, c_next = classify([str(home), str(tmp_path / "next")], str(home))
    assert c_home.persistent and c_next.persistent
    assert (
        c_home.mount_point
        == c_next.mount_point
        == mount_of(str(tmp_path), read_mounts()).mount_point
    )


def test_a_configured_folder_on_the_root_filesystem_vouches_for_itself_only(tmp_path):
    home = tmp_path / "home"
    mounts = home_volume(home)
    data = tmp_path / "data"
    data.mkdir()
    inside, beside = classify(
        [str(data / "x.csv"), str(tmp_path / "other")],
        str(home),
        persistent_paths=[str(data)],
        mounts=mounts,
    )
    assert inside.persistent
    assert not beside.persistent
