"""What is kept at restart, what the user has in the temporary locations, and moving it home.

Classification runs on this machine's real mount table, with tmpfs and bind mounts the tests
make to stand for the home volume and the admin's shared volumes. Moves cross real devices
(a tmpfs and the root filesystem) where the test can mount one. Tests that need to mount
are skipped when ``mount`` is refused (not root); the others use a mount table with a
made-up home volume added.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jupyterlab_datalake import persistence
from jupyterlab_datalake.persistence import (
    Mount,
    Package,
    Rescued,
    RescueError,
    classify,
    mount_of,
    packages_installed_since,
    read_mounts,
    rescue,
    watched_report,
)

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


# --- the report on temporary locations --------------------------------------------------------


def test_watched_report_lists_the_users_own_files_and_folders(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    watched = tmp_path / "watched"
    results = watched / "results" / "run-1"
    results.mkdir(parents=True)
    (watched / "big.bin").write_bytes(os.urandom(3 * 100_000))
    (watched / "small.txt").write_text("hello")
    for i in range(3):
        (results / f"part-{i}.csv").write_bytes(os.urandom(50_000))
    outside = tmp_path / "outside.bin"
    outside.write_bytes(os.urandom(2 * MiB))
    (watched / "link").symlink_to(outside)
    (watched / "dirlink").symlink_to(results)
    os.mkfifo(watched / "fifo")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(watched / "sock"))
    theirs = watched / "theirs.bin"
    theirs.write_bytes(os.urandom(MiB))
    if os.geteuid() == 0:
        os.chown(theirs, NOBODY, NOBODY)

    try:
        report = watched_report(
            [str(watched), str(tmp_path / "missing"), str(home)],
            str(home),
            mounts=home_volume(home),
        )
    finally:
        server.close()

    assert [r.path for r in report] == [str(watched), str(home)]
    loc, home_loc = report
    assert not loc.persistent and loc.writable
    assert loc.reason.endswith("lost at restart")
    mine = ["big.bin", "small.txt", "results", "link", "dirlink"]
    if os.geteuid() != 0:
        mine.append("theirs.bin")
    by_name = {e.name: e for e in loc.entries}
    assert set(by_name) == set(mine)
    assert loc.entry_count == len(mine)
    for name, entry in by_name.items():
        assert entry.path == str(watched / name)
        assert entry.bytes == du(watched / name), name
        assert entry.mtime == (watched / name).lstat().st_mtime
    assert by_name["results"].is_dir and by_name["results"].files == 3
    # Links are listed as themselves: the 2 MiB they point at are not the user's here.
    for name in ("link", "dirlink"):
        assert not by_name[name].is_dir and by_name[name].files == 1
        assert by_name[name].bytes == (watched / name).lstat().st_blocks * 512
    assert loc.bytes == du(*(watched / name for name in mine))
    assert loc.files == len(mine) - 1 + 3
    assert [e.bytes for e in loc.entries] == sorted((e.bytes for e in loc.entries), reverse=True)

    assert home_loc.persistent
    assert (home_loc.entries, home_loc.entry_count, home_loc.bytes) == ([], 0, 0)


def test_watched_report_keeps_the_largest_and_counts_all(tmp_path):
    home = tmp_path / "home"
    watched = tmp_path / "watched"
    watched.mkdir()
    for i in range(5):
        (watched / f"f{i}").write_bytes(os.urandom((i + 1) * 10_000))
    (loc,) = watched_report([str(watched)], str(home), top=2, mounts=home_volume(home))
    assert [e.name for e in loc.entries] == ["f4", "f3"]
    assert loc.entry_count == 5
    assert loc.bytes == du(*watched.iterdir())
    assert loc.files == 5


@needs_root
def test_watched_report_for_another_user_shows_only_theirs(tmp_path):
    home = tmp_path / "home"
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "mine").write_text("mine")
    theirs = watched / "theirs"
    theirs.mkdir()
    (theirs / "data").write_bytes(os.urandom(10_000))
    os.chown(theirs, NOBODY, NOBODY)
    (loc,) = watched_report([str(watched)], str(home), uid=NOBODY, mounts=home_volume(home))
    assert [e.name for e in loc.entries] == ["theirs"]
    assert loc.bytes == du(theirs)


def test_watched_report_leaves_out_volumes_mounted_inside_and_read_only_places(tmp_path, mount):
    home = tmp_path / "home"
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "file").write_text("x")
    volume = mount(watched / "volume")
    (volume / "inside").write_text("on the volume")
    read_only = mount(tmp_path / "read-only", options="ro")
    (alias := tmp_path / "alias").symlink_to(watched)
    report = watched_report(
        [str(watched), str(read_only), str(alias)], str(home), mounts=home_volume(home)
    )
    # The alias is the same folder as the first location: not reported twice.
    assert [r.path for r in report] == [str(watched), str(read_only)]
    assert [e.name for e in report[0].entries] == ["file"]
    assert not report[1].writable
    assert report[1].entries == []


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


# --- rescue: moving home ----------------------------------------------------------------------


def test_a_file_is_moved_home_byte_for_byte(places):
    home, watched = places
    data = os.urandom(3 * MiB + 123)
    source = watched / "model.ckpt"
    source.write_bytes(data)
    source.chmod(0o640)
    os.utime(source, (1_600_000_000, 1_600_000_000))
    size = source.stat().st_blocks * 512

    result = rescue([str(source)], str(home), [str(watched)])

    dest = home / "rescued" / "model.ckpt"
    assert result == [Rescued(str(source), str(dest), size)]
    assert dest.read_bytes() == data
    assert stat.S_IMODE(dest.stat().st_mode) == 0o640
    assert dest.stat().st_mtime == 1_600_000_000
    assert not source.exists()
    assert os.listdir(home / "rescued") == ["model.ckpt"]


def test_a_folder_is_moved_with_its_links_as_links(places):
    home, watched = places
    run = watched / "run"
    (run / "a" / "b").mkdir(parents=True)
    (run / "empty").mkdir()
    (run / "a" / "b" / "c.txt").write_text("deep")
    (run / "data.bin").write_bytes(os.urandom(200_000))
    (run / "a" / "read-only.txt").write_text("ro")
    (run / "a" / "read-only.txt").chmod(0o444)
    (run / "to-c").symlink_to("a/b/c.txt")
    (run / "to-passwd").symlink_to("/etc/passwd")
    (run / "to-a").symlink_to("a")
    (run / "dangling").symlink_to("nowhere")
    expected = snapshot(run)
    size = du(run)

    (result,) = rescue([str(run)], str(home), [str(watched)])

    dest = home / "rescued" / "run"
    assert result == Rescued(str(run), str(dest), size)
    assert snapshot(dest) == expected
    assert (dest / "to-a").is_symlink()
    assert not run.exists()
    assert os.listdir(home / "rescued") == ["run"]


def test_special_files_in_a_folder_are_neither_copied_nor_deleted(across):
    home, watched = across
    run = watched / "run"
    run.mkdir()
    (run / "log.txt").write_text("log")
    os.mkfifo(run / "pipe")
    expected = {"log.txt": snapshot(run)["log.txt"]}
    rescue([str(run)], str(home), [str(watched)])
    assert snapshot(home / "rescued" / "run") == expected
    # The pipe may still be in use by a program: it stays, and so does its folder.
    assert os.listdir(run) == ["pipe"]


def test_names_taken_in_the_home_get_a_number(places):
    home, watched = places
    rescued = home / "rescued"
    rescued.mkdir()
    (rescued / "data.csv").write_text("old")
    (rescued / "results").mkdir()
    destinations = []
    for content in ("new 1", "new 2"):
        (watched / "data.csv").write_text(content)
        (watched / "results").mkdir()
        (watched / "results" / "r.txt").write_text(content)
        sources = [str(watched / "data.csv"), str(watched / "results")]
        got = rescue(sources, str(home), [str(watched)])
        destinations += [r.destination for r in got]
    assert destinations == [
        str(rescued / "data (1).csv"),
        str(rescued / "results (1)"),
        str(rescued / "data (2).csv"),
        str(rescued / "results (2)"),
    ]
    assert (rescued / "data.csv").read_text() == "old"
    assert (rescued / "data (1).csv").read_text() == "new 1"
    assert (rescued / "data (2).csv").read_text() == "new 2"
    assert (rescued / "results (2)" / "r.txt").read_text() == "new 2"
    assert os.listdir(watched) == []


def test_numbers_go_before_the_extension_as_a_person_would_put_them(across):
    home, watched = across
    names = ["archive.tar.gz", ".env", "folder.v2"]
    for _ in range(2):
        for name in names[:2]:
            (watched / name).write_text(name)
        (watched / names[2]).mkdir()
        rescue([str(watched / name) for name in names], str(home), [str(watched)])
    assert sorted(os.listdir(home / "rescued")) == sorted(
        [*names, "archive (1).tar.gz", ".env (1)", "folder.v2 (1)"]
    )


def test_several_sources_are_all_moved(places):
    home, watched = places
    (watched / "a.txt").write_text("a")
    (watched / "b").mkdir()
    result = rescue([str(watched / "a.txt"), str(watched / "b")], str(home), [str(watched)])
    assert [r.destination for r in result] == [
        str(home / "rescued" / "a.txt"),
        str(home / "rescued" / "b"),
    ]
    assert os.listdir(watched) == []


def test_rescue_into_another_folder_of_the_home(places):
    home, watched = places
    (watched / "a.txt").write_text("a")
    (result,) = rescue([str(watched / "a.txt")], str(home), [str(watched)], into="saved/tmp")
    assert result.destination == str(home / "saved" / "tmp" / "a.txt")
    assert (home / "saved" / "tmp" / "a.txt").read_text() == "a"


@needs_root
def test_a_server_running_as_root_gives_the_user_their_files(across):
    home, watched = across
    user = 1000
    os.chown(home, user, user)
    run = watched / "run"
    run.mkdir()
    (run / "f.txt").write_text("f")
    (run / "link").symlink_to("f.txt")
    for path in (run, run / "f.txt"):
        os.chown(path, user, user)
    os.lchown(run / "link", user, user)
    rescue([str(run)], str(home), [str(watched)], uid=user)
    for path in ("rescued", "rescued/run", "rescued/run/f.txt", "rescued/run/link"):
        assert (home / path).lstat().st_uid == user, path


# --- rescue: not enough room ------------------------------------------------------------------


def test_a_quota_that_would_be_exceeded_refuses_before_anything_moves(places):
    home, watched = places
    (watched / "big.bin").write_bytes(os.urandom(MiB))
    before = snapshot(watched)
    with pytest.raises(RescueError) as caught:
        rescue(
            [str(watched / "big.bin")],
            str(home),
            [str(watched)],
            quota=10 * MiB,
            used=10 * MiB - 100_000,
        )
    assert caught.value.status == 507
    assert "quota" in caught.value.message and "big.bin" in caught.value.message
    nothing_moved(home, watched, before)


def test_a_home_volume_too_small_refuses_before_anything_moves(tmp_path, mount):
    home = mount(tmp_path / "home", size="1m")
    watched = tmp_path / "scratch"
    watched.mkdir()
    (watched / "a.bin").write_bytes(os.urandom(600_000))
    (watched / "b.bin").write_bytes(os.urandom(600_000))
    before = snapshot(watched)
    with pytest.raises(RescueError) as caught:
        rescue([str(watched / "a.bin"), str(watched / "b.bin")], str(home), [str(watched)])
    assert caught.value.status == 507
    assert "free on your home volume" in caught.value.message
    assert "short" in caught.value.message
    nothing_moved(home, watched, before)


def test_running_out_of_space_midway_leaves_the_source_and_no_partial_copy(
    tmp_path, mount, monkeypatch
):
    # Someone else filled the volume after the check, or the check was wrong: the copy fails.
    monkeypatch.setattr(persistence, "_free_bytes", lambda path: 1 << 40)
    home = mount(tmp_path / "home", size="1m")
    watched = tmp_path / "scratch"
    (watched / "run").mkdir(parents=True)
    for i in range(5):
        (watched / "run" / f"part-{i}.bin").write_bytes(os.urandom(300_000))
    before = snapshot(watched)
    with pytest.raises(RescueError) as caught:
        rescue([str(watched / "run")], str(home), [str(watched)])
    assert caught.value.status == 507
    assert "ran out of space" in caught.value.message
    nothing_moved(home, watched, before)


# --- rescue: the source changes while it moves ------------------------------------------------


def test_files_vanishing_midway_leave_the_rest_and_no_partial_copy(across, monkeypatch):
    home, watched = across
    run = watched / "run"
    run.mkdir()
    for name in ("a.bin", "b.bin", "c.bin"):
        (run / name).write_bytes(os.urandom(100_000))
    real_copy = persistence._copy_data
    survivor: list[str] = []

    def copy_and_delete_the_others(src_fd: int, dst_fd: int) -> int:
        if not survivor:
            survivor.append(os.path.basename(os.readlink(f"/proc/self/fd/{src_fd}")))
            for path in run.iterdir():
                if path.name != survivor[0]:
                    path.unlink()
        return real_copy(src_fd, dst_fd)

    kept = {name: (run / name).read_bytes() for name in ("a.bin", "b.bin", "c.bin")}
    monkeypatch.setattr(persistence, "_copy_data", copy_and_delete_the_others)
    with pytest.raises(RescueError) as caught:
        rescue([str(run)], str(home), [str(watched)])
    assert caught.value.status == 409
    assert "disappeared" in caught.value.message
    assert [p.name for p in run.iterdir()] == survivor
    assert (run / survivor[0]).read_bytes() == kept[survivor[0]]
    assert os.listdir(home / "rescued") == []


def test_a_file_written_to_during_the_copy_is_left_where_it_was(across, monkeypatch):
    home, watched = across
    source = watched / "growing.log"
    source.write_bytes(b"x" * 100_000)
    real_copy = persistence._copy_data

    def copy_while_appending(src_fd: int, dst_fd: int) -> int:
        copied = real_copy(src_fd, dst_fd)
        with open(source, "ab") as f:
            f.write(b"more")
        return copied

    monkeypatch.setattr(persistence, "_copy_data", copy_while_appending)
    with pytest.raises(RescueError) as caught:
        rescue([str(source)], str(home), [str(watched)])
    assert caught.value.status == 409
    assert "changed while it was being copied" in caught.value.message
    assert source.read_bytes() == b"x" * 100_000 + b"more"
    assert os.listdir(home / "rescued") == []


def test_an_error_while_copying_leaves_the_source_and_no_partial_copy(across, monkeypatch):
    home, watched = across
    run = watched / "run"
    (run / "sub").mkdir(parents=True)
    (run / "sub" / "a.bin").write_bytes(os.urandom(100_000))
    (run / "b.bin").write_bytes(os.urandom(100_000))
    before = snapshot(watched)
    calls = []

    def fail_the_second(src_fd: int, dst_fd: int) -> int:
        calls.append(src_fd)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return os.sendfile(dst_fd, src_fd, None, 1 << 30)

    monkeypatch.setattr(persistence, "_copy_data", fail_the_second)
    with pytest.raises(RescueError) as caught:
        rescue([str(run)], str(home), [str(watched)])
    assert caught.value.status == 500
    assert "Input/output error" in caught.value.message
    nothing_moved(home, watched, before)


def test_a_file_deleted_while_being_copied_is_still_rescued_whole(across, monkeypatch):
    # The open file is read to its end; what was deleted is in the home, not lost.
    home, watched = across
    source = watched / "results.csv"
    data = os.urandom(500_000)
    source.write_bytes(data)
    real_copy = persistence._copy_data

    def delete_then_copy(src_fd: int, dst_fd: int) -> int:
        source.unlink()
        return real_copy(src_fd, dst_fd)

    monkeypatch.setattr(persistence, "_copy_data", delete_then_copy)
    rescue([str(source)], str(home), [str(watched)])
    assert (home / "rescued" / "results.csv").read_bytes() == data


def test_a_later_source_failing_names_what_was_already_moved(across, monkeypatch):
    home, watched = across
    (watched / "first.txt").write_text("1")
    (watched / "second.txt").write_text("2")
    calls = []
    real_copy = persistence._copy_data

    def fail_the_second(src_fd: int, dst_fd: int) -> int:
        calls.append(src_fd)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real_copy(src_fd, dst_fd)

    monkeypatch.setattr(persistence, "_copy_data", fail_the_second)
    sources = [str(watched / "first.txt"), str(watched / "second.txt")]
    with pytest.raises(RescueError) as caught:
        rescue(sources, str(home), [str(watched)])
    assert f"Already moved: {watched / 'first.txt'}." in caught.value.message
    assert os.listdir(home / "rescued") == ["first.txt"]
    assert os.listdir(watched) == ["second.txt"]


# --- rescue: what may not be moved ------------------------------------------------------------


@pytest.fixture
def setup(tmp_path) -> tuple[Path, Path, Path]:
    """(home, watched, other): ``other`` holds another user's secret."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("notes")
    watched = tmp_path / "scratch"
    watched.mkdir()
    (watched / "mine.txt").write_text("mine")
    (watched / "folder").mkdir()
    (watched / "folder" / "inner.txt").write_text("inner")
    other = tmp_path / "other"
    other.mkdir()
    (other / "secret.txt").write_text("secret")
    if os.geteuid() == 0:
        for path in (other, other / "secret.txt"):
            os.chown(path, NOBODY, NOBODY)
    return home, watched, other


def refused(sources: list[str], home: Path, watched: Path, **kwargs) -> RescueError:
    before = snapshot(watched)
    with pytest.raises(RescueError) as caught:
        rescue(sources, str(home), [str(watched)], **kwargs)
    nothing_moved(home, watched, before)
    assert (home / "notes.txt").read_text() == "notes"
    return caught.value


@needs_root
def test_a_link_to_another_users_files_is_refused(setup):
    home, watched, other = setup
    (watched / "link").symlink_to(other / "secret.txt")
    (watched / "linked-folder").symlink_to(other)
    for source in (watched / "link", watched / "linked-folder" / "secret.txt"):
        # With a good source first: all are checked before any moves.
        error = refused([str(watched / "mine.txt"), str(source)], home, watched)
        assert error.status == 403, source
        assert str(source) in error.message
    assert (other / "secret.txt").read_text() == "secret"


def test_a_link_out_of_the_watched_locations_is_refused(setup):
    home, watched, _ = setup
    (watched / "to-passwd").symlink_to("/etc/passwd")
    (watched / "to-home").symlink_to(home / "notes.txt")
    for name in ("to-passwd", "to-home"):
        error = refused([str(watched / name)], home, watched)
        assert error.status == 403
        assert "outside the locations that can be rescued" in error.message


def test_a_link_to_the_users_own_file_nearby_is_moved_as_a_link(setup):
    home, watched, _ = setup
    (watched / "shortcut").symlink_to("mine.txt")
    rescue([str(watched / "shortcut")], str(home), [str(watched)])
    assert os.readlink(home / "rescued" / "shortcut") == "mine.txt"
    assert (watched / "mine.txt").read_text() == "mine"


@needs_root
def test_another_users_entry_is_refused(setup):
    home, watched, _ = setup
    theirs = watched / "theirs.txt"
    theirs.write_text("theirs")
    os.chown(theirs, NOBODY, NOBODY)
    error = refused([str(theirs)], home, watched)
    assert error.status == 403
    assert "belongs to another user" in error.message


@pytest.mark.parametrize(
    ("source", "status"),
    [
        ("{home}", 403),
        ("{home}/notes.txt", 403),
        ("/etc/passwd", 403),
        ("{watched}/../home/notes.txt", 403),
        ("{watched}/folder/../../home/notes.txt", 403),
        ("{watched}", 403),
        ("{watched}/", 403),
        ("{watched}/.", 403),
        ("{watched}/..", 403),
        ("/", 403),
        ("{other}/secret.txt", 403),
        ("{watched}/missing.txt", 404),
        ("scratch/mine.txt", 400),
        ("", 400),
    ],
)
def test_paths_outside_the_watched_locations_are_refused(setup, source, status):
    home, watched, other = setup
    path = source.format(home=home, watched=watched, other=other)
    error = refused([str(watched / "mine.txt"), path], home, watched)
    assert error.status == status
    assert error.message


def test_special_files_duplicates_and_nesting_are_refused(setup):
    home, watched, _ = setup
    os.mkfifo(watched / "pipe")
    mine = str(watched / "mine.txt")
    assert refused([str(watched / "pipe")], home, watched).status == 400
    assert refused([mine, mine], home, watched).status == 400
    nested = [str(watched / "folder"), str(watched / "folder" / "inner.txt")]
    assert refused(nested, home, watched).status == 400
    assert refused([], home, watched).status == 400


def test_a_destination_outside_the_home_is_refused(setup, tmp_path):
    home, watched, _ = setup
    mine = [str(watched / "mine.txt")]
    assert refused(mine, home, watched, into="../elsewhere").status == 400
    assert refused(mine, home, watched, into="/tmp").status == 400
    assert refused(mine, home, watched, into="").status == 400
    (home / "escape").symlink_to(tmp_path)
    assert refused(mine, home, watched, into="escape/rescued").status == 403
    assert refused(mine, home, watched, into="notes.txt").status == 409
    assert not (tmp_path / "rescued").exists()


def test_a_volume_mounted_in_a_watched_location_is_not_moved(setup, mount):
    home, watched, _ = setup
    volume = mount(watched / "volume")
    (volume / "data").write_text("on its own volume")
    error = refused([str(volume)], home, watched)
    assert error.status == 403
    assert "mounted volume" in error.message


def test_rescue_refuses_sources_when_no_location_is_watched(setup):
    home, watched, _ = setup
    before = snapshot(watched)
    with pytest.raises(RescueError) as caught:
        rescue([str(watched / "mine.txt")], str(home), [str(home.parent / "nonexistent")])
    assert caught.value.status == 403
    nothing_moved(home, watched, before)


def test_cleanup_removes_read_only_partial_folders(across, monkeypatch):
    # A failure after a read-only folder was copied must still leave nothing behind.
    home, watched = across
    run = watched / "run"
    (run / "locked").mkdir(parents=True)
    (run / "locked" / "a.txt").write_text("a")
    (run / "z.bin").write_bytes(os.urandom(10_000))
    (run / "locked").chmod(0o555)
    real_copy = persistence._copy_data

    def fail_on_z(src_fd: int, dst_fd: int) -> int:
        if os.readlink(f"/proc/self/fd/{src_fd}").endswith("z.bin"):
            raise OSError(errno.EIO, "Input/output error")
        return real_copy(src_fd, dst_fd)

    monkeypatch.setattr(persistence, "_copy_data", fail_on_z)
    try:
        with pytest.raises(RescueError):
            rescue([str(run)], str(home), [str(watched)])
        assert os.listdir(home / "rescued") == []
    finally:
        (run / "locked").chmod(0o755)
