"""Nothing is written, read or moved through a symbolic link, and only the user's own files are
taken from the watched places (issue 11): downloads into home, uploads from home, rescue, and
the filesystem primitives they share (safefs), through a real Jupyter server and a real S3
server (Ceph RGW), with real links, FIFOs and other users' files."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_datalake import safefs
from jupyterlab_datalake.errors import Refused
from jupyterlab_datalake.persistence.rescue import rescue
from jupyterlab_datalake.persistence.watched import watched_report
from jupyterlab_datalake.tests import test_transfers
from jupyterlab_datalake.tests.test_transfers import (
    SLOW,
    keys_under,
    post,
    wait_for,
    wait_running,
    write,
)

# The fixtures of the transfer tests: home is the file browser's root, a bucket prefix of
# the test's own, and a watched place of its own.
home = test_transfers.home
prefix = test_transfers.prefix
scratch = test_transfers.scratch
datalake_overrides = test_transfers.datalake_overrides

MiB = 1024**2
NOBODY = 65534
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="gives files to another user (root)")


def tree(root) -> dict[str, bytes | str | None]:
    """Every entry below ``root``: a file's content, a link's target, None for a folder."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                found[rel] = "-> " + os.readlink(path)
            elif os.path.isdir(path):
                found[rel] = None
            else:
                with open(path, "rb") as f:
                    found[rel] = f.read()
    return found


@pytest.fixture
def outside(tmp_path):
    """A folder outside home, with a file of its own that must stay as it is."""
    path = tmp_path / "outside"
    write(path / "victim.txt", b"original")
    return path


# ----- safefs -------------------------------------------------------------------------------


def test_a_symlinked_folder_on_the_way_is_refused_by_name(tmp_path, outside):
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "link-out").symlink_to(outside)
    write(root / "a" / "file.txt", b"f")
    before = tree(outside)
    with pytest.raises(safefs.Unsafe) as caught:
        safefs.open_folder(str(root), ["a", "link-out", "new"], "home", create=True)
    assert caught.value.status == 403
    assert str(caught.value).startswith("home/a/link-out is a symbolic link;")
    with pytest.raises(safefs.Unsafe) as caught:
        safefs.open_read(str(root), ["a", "link-out", "victim.txt"], "home")
    assert str(caught.value).startswith("home/a/link-out is a symbolic link;")
    with pytest.raises(safefs.Unsafe) as caught:
        safefs.open_folder(str(root), ["a", "file.txt", "x"], "home", create=True)
    assert (caught.value.status, str(caught.value)) == (409, "home/a/file.txt is not a folder.")
    assert tree(outside) == before
    # The same walk without links works, and makes what is missing.
    fd = safefs.open_folder(str(root), ["a", "b", "c"], create=True)
    os.close(fd)
    assert (root / "a" / "b" / "c").is_dir()


def test_a_file_opened_for_reading_is_never_a_link_and_a_fifo_does_not_hang(tmp_path, outside):
    root = tmp_path / "root"
    root.mkdir()
    (root / "to-victim").symlink_to(outside / "victim.txt")
    os.mkfifo(root / "pipe")
    with pytest.raises(safefs.Unsafe) as caught:
        safefs.open_read(str(root), ["to-victim"], "home")
    assert caught.value.status == 403 and "home/to-victim is a symbolic link" in str(caught.value)
    fd = safefs.open_read(str(root), ["pipe"])  # returns at once: no writer is waited for
    try:
        assert stat.S_ISFIFO(os.fstat(fd).st_mode)
    finally:
        os.close(fd)


def test_temporary_files_are_new_and_names_are_placed_without_replacing(tmp_path, outside):
    root = tmp_path / "root"
    root.mkdir()
    (root / "taken").write_bytes(b"keep")
    (root / "trap").symlink_to(outside / "victim.txt")
    dir_fd = safefs.open_root(str(root))
    try:
        for name in ("taken", "trap"):  # O_EXCL | O_NOFOLLOW: neither opened nor followed
            with pytest.raises(FileExistsError):
                safefs.create_temp(dir_fd, name)
        os.close(safefs.create_temp(dir_fd, ".part"))
        with pytest.raises(FileExistsError):
            safefs.rename_noreplace(dir_fd, ".part", dir_fd, "taken")
        with pytest.raises(FileExistsError):
            safefs.link(dir_fd, ".part", "trap")
        safefs.rename_noreplace(dir_fd, ".part", dir_fd, "free")
        # Replacing a link replaces the link itself, never the file it points at.
        safefs.replace(dir_fd, "free", "trap")
    finally:
        os.close(dir_fd)
    assert (root / "taken").read_bytes() == b"keep"
    assert not (root / "trap").is_symlink() and (root / "trap").read_bytes() == b""
    assert (outside / "victim.txt").read_bytes() == b"original"


# ----- downloads into home ------------------------------------------------------------------


def download(**body) -> dict:
    return {"direction": "download", "area": "mine", "destination": "", **body}


async def test_a_folder_download_does_not_write_through_a_link_in_home(
    jp_fetch, home, prefix, s3_client, outside
):
    (home / "link-out").symlink_to(outside, target_is_directory=True)
    folder = f"users/tester/{prefix}/link-out/"
    for name in ("pwned.txt", "victim.txt"):
        s3_client.put_object(Bucket="datalake", Key=folder + name, Body=b"from the lake")
    before = tree(outside)
    for conflict in ("skip", "overwrite", "ask"):
        code, reply = await post(jp_fetch, **download(sources=[folder], conflict=conflict))
        assert code == 403, (conflict, reply)
        assert reply["message"].startswith("link-out is a symbolic link;"), reply
        assert "Nothing was downloaded" in reply["message"]
        assert "plan" not in reply  # no clash was looked for through the link
    assert tree(outside) == before
    listed = json.loads((await jp_fetch("datalake", "transfers")).body)["transfers"]
    assert listed == []
    # Keeping both does not go through the link either: the folder gets a name of its own.
    code, reply = await post(jp_fetch, **download(sources=[folder], conflict="rename"))
    assert code == 201, reply
    assert (await wait_for(jp_fetch, reply["id"]))["state"] == "done"
    assert (home / "link-out (1)" / "pwned.txt").read_bytes() == b"from the lake"
    assert tree(outside) == before


@pytest.mark.parametrize("datalake_overrides", [SLOW], indirect=True)
async def test_a_link_swapped_in_during_a_download_is_refused(
    jp_fetch, home, prefix, s3_client, outside
):
    folder = f"users/tester/{prefix}/dl/"
    s3_client.put_object(Bucket="datalake", Key=folder + "a-big.bin", Body=os.urandom(24 * MiB))
    s3_client.put_object(Bucket="datalake", Key=folder + "sub/x.txt", Body=b"x")
    code, started = await post(jp_fetch, **download(sources=[folder], conflict="ask"))
    assert code == 201, started
    await wait_running(jp_fetch, started["id"])
    # Planned with no sub-folder there; while the big file comes, a link takes its place.
    (home / "dl" / "sub").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    failed = await wait_for(jp_fetch, started["id"])
    assert failed["state"] == "failed", failed
    assert failed["message"].startswith("dl/sub is a symbolic link;"), failed
    assert tree(outside) == before
    assert [p.name for p in home.rglob("*datalake-part*")] == []


# ----- uploads from home --------------------------------------------------------------------


async def swap_during_upload(jp_fetch, home, prefix, s3_client, outside, swap) -> dict:
    """Send tt/ (a large file, then sub/secret.txt); once it runs, tt/sub is renamed away and
    ``swap(tt/sub)`` puts something else there. The transfer as it ended."""
    write(home / "tt" / "a-big.bin", os.urandom(30 * MiB))
    write(home / "tt" / "sub" / "secret.txt", b"mine")
    write(outside / "secret.txt", b"not yours to send")
    code, started = await post(jp_fetch, sources=["tt"], prefix=prefix)
    assert code == 201, started
    await wait_running(jp_fetch, started["id"])
    (home / "tt" / "sub").rename(home / "tt" / "sub-away")
    swap(home / "tt" / "sub")
    ended = await wait_for(jp_fetch, started["id"])
    assert ended["state"] == "failed", ended
    assert f"shared/{prefix}/tt/sub/secret.txt" not in keys_under(s3_client, f"shared/{prefix}/")
    return ended


@pytest.mark.parametrize("datalake_overrides", [SLOW], indirect=True)
async def test_a_folder_swapped_for_a_link_during_an_upload_is_not_read(
    jp_fetch, home, prefix, s3_client, outside
):
    def swap(sub):
        sub.symlink_to(outside, target_is_directory=True)

    failed = await swap_during_upload(jp_fetch, home, prefix, s3_client, outside, swap)
    assert failed["message"].startswith("tt/sub is a symbolic link;"), failed


@pytest.mark.parametrize("datalake_overrides", [SLOW], indirect=True)
async def test_a_file_replaced_since_the_plan_is_not_sent(
    jp_fetch, home, prefix, s3_client, outside
):
    """No link on the way this time: a real folder with another file (a hard link to one from
    outside home) under the planned name. The file is not the one planned."""

    def swap(sub):
        sub.mkdir()
        os.link(outside / "secret.txt", sub / "secret.txt")

    failed = await swap_during_upload(jp_fetch, home, prefix, s3_client, outside, swap)
    replaced = "tt/sub/secret.txt was replaced by another file since the transfer was planned"
    assert replaced in failed["message"], failed


# ----- whose files: one rule for rescue and transfers ---------------------------------------


async def rescue_api(jp_fetch, paths: list[str]) -> tuple[int, dict]:
    body = json.dumps({"paths": paths})
    try:
        response = await jp_fetch("datalake", "rescue", method="POST", body=body)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)
    return response.code, json.loads(response.body)


@needs_root
async def test_another_users_file_in_a_watched_place_is_neither_sent_nor_rescued(
    jp_fetch, home, prefix, scratch
):
    theirs = write(scratch / "theirs.bin", b"theirs")
    write(scratch / "mixed" / "mine.txt", b"mine")
    nested = write(scratch / "mixed" / "deep" / "theirs.txt", b"theirs")
    for path in (theirs, nested):
        os.chown(path, NOBODY, NOBODY)
    cases = [(str(theirs), str(theirs)), (str(scratch / "mixed"), str(nested))]
    before = tree(scratch)
    for source, named in cases:
        code, reply = await post(jp_fetch, sources=[source], prefix=prefix, dry_run=True)
        assert code == 403, (source, reply)
        assert reply["message"].startswith(f"{named} belongs to another user ("), reply
        code, reply = await rescue_api(jp_fetch, [source])
        assert code == 403, (source, reply)
        assert reply["message"].startswith(f"{named} belongs to another user ("), reply
    assert tree(scratch) == before
    assert not (home / "rescued").exists() or os.listdir(home / "rescued") == []


@needs_root
async def test_a_nested_link_to_someone_elses_private_file_is_not_rescued(
    jp_fetch, home, scratch, tmp_path
):
    private = write(tmp_path / "other" / "secret.txt", b"secret")
    os.chown(private, NOBODY, NOBODY)
    private.chmod(0o600)
    write(scratch / "run" / "log.txt", b"log")
    targets = {"secret": private}
    if os.path.exists("/etc/shadow"):
        targets["shadow"] = "/etc/shadow"
    for name, target in targets.items():
        (scratch / "run" / "links").mkdir(exist_ok=True)
        link = scratch / "run" / "links" / name
        link.symlink_to(target)
        before = tree(scratch)
        code, reply = await rescue_api(jp_fetch, [str(scratch / "run")])
        assert code == 403, (name, reply)
        assert reply["message"].startswith(f"{link} is a link to {target}, which "), reply
        assert tree(scratch) == before
        assert not (home / "rescued" / "run").exists()
        link.unlink()
    # A link to what everyone may read travels with its folder, as before.
    (scratch / "run" / "links" / "passwd").symlink_to("/etc/passwd")
    code, reply = await rescue_api(jp_fetch, [str(scratch / "run")])
    assert code == 200, reply
    assert os.readlink(home / "rescued" / "run" / "links" / "passwd") == "/etc/passwd"


# ----- a server running as root ---------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="the server must run as root")
def test_as_root_what_was_there_before_the_server_started_is_not_taken_as_the_users(
    tmp_path, mount_tmpfs
):
    home_dir = tmp_path / "home"
    home_dir.mkdir()
    watched = mount_tmpfs("tmp", "4m")
    old = write(watched / "system.d" / "state", b"another program's")
    time.sleep(0.01)
    started = time.time()  # the server starts; then the user works
    time.sleep(0.01)
    new = write(watched / "results.csv", b"a,b")

    (location,) = watched_report([str(watched)], str(home_dir), since=started)
    assert not location.persistent
    assert location.note and "runs as root" in location.note
    assert [e.name for e in location.entries] == ["results.csv"]

    with pytest.raises(Refused) as caught:
        rescue([str(old.parent)], str(home_dir), [str(watched)], since=started)
    assert caught.value.status == 403
    assert caught.value.message.startswith(f"{old.parent} belongs to root and was there before")
    assert old.read_bytes() == b"another program's"
    rescue([str(new)], str(home_dir), [str(watched)], since=started)
    assert (home_dir / "rescued" / "results.csv").read_bytes() == b"a,b"
    # Rescuing for a user of their own (the server runs as root for them): no such guess.
    (location,) = watched_report([str(watched)], str(home_dir), uid=NOBODY, since=started)
    assert location.note is None


@pytest.mark.skipif(os.geteuid() != 0, reason="the server must run as root")
async def test_the_lost_at_restart_report_says_when_the_server_runs_as_root(
    jp_server_config, jp_configurable_serverapp, mount_tmpfs
):
    place = mount_tmpfs("tmp", "4m")
    jp_server_config["DataLake"]["watched_paths"] = [str(place)]
    app = jp_configurable_serverapp(config=jp_server_config)
    # Made after the server started, as the user's own files are: what was there before
    # cannot be told from other programs' files when running as root.
    write(place / "model.pkl", b"m" * 1000)
    report = await app.web_app.settings["datalake"].at_risk()
    (location,) = [loc for loc in report["locations"] if loc["path"] == str(place)]
    assert location["note"].startswith("This server runs as root, so it cannot tell your files")
    assert [e["name"] for e in location["entries"]] == ["model.pkl"]
