"""Moving the user's entries home from the places lost at restart. Moves cross real devices (a
tmpfs and the root filesystem) where the test can mount one; tests that need to mount are
skipped when ``mount`` is refused (not root).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from jupyterlab_datalake.errors import Refused
from jupyterlab_datalake.persistence import rescue as persistence
from jupyterlab_datalake.persistence.rescue import Rescued, rescue

from .support import (
    NOBODY,
    MiB,
    du,
    needs_root,
    nothing_moved,
    pytestmark,  # noqa: F401 (the module's mark: Linux only)
    snapshot,
)

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
    with pytest.raises(Refused) as caught:
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
    with pytest.raises(Refused) as caught:
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
    with pytest.raises(Refused) as caught:
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
    with pytest.raises(Refused) as caught:
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
    with pytest.raises(Refused) as caught:
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
    with pytest.raises(Refused) as caught:
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
    with pytest.raises(Refused) as caught:
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


def refused(sources: list[str], home: Path, watched: Path, **kwargs) -> Refused:
    before = snapshot(watched)
    with pytest.raises(Refused) as caught:
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
    with pytest.raises(Refused) as caught:
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
        with pytest.raises(Refused):
            rescue([str(run)], str(home), [str(watched)])
        assert os.listdir(home / "rescued") == []
    finally:
        (run / "locked").chmod(0o755)
