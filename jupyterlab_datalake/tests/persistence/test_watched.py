"""The report on what the user keeps in the places that are lost at restart."""

from __future__ import annotations

import os
import socket

from jupyterlab_datalake.persistence.watched import watched_report

from .support import (
    NOBODY,
    MiB,
    du,
    home_volume,
    needs_root,
    pytestmark,  # noqa: F401 (the module's mark: Linux only)
)

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
