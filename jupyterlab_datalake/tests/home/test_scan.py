"""The home-usage scan gives the figures of ``du -sxB1``, on trees with the awkward cases.

Every total is checked against the real ``du`` on the same tree. The walk runs in one
process or shares the tree with forked workers; the du comparisons run both ways. Every test
runs twice: with the compiled per-folder loop (``_walker.c``, built afresh from the source for
the session) and with the pure-Python one.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyterlab_datalake import native_build
from jupyterlab_datalake.home import scan as scan_module
from jupyterlab_datalake.home import walker
from jupyterlab_datalake.home.scan import Entry, ScanResult, Trash, scan

KiB = 1024
MiB = 1024**2

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("du") is None,
    reason="compares with GNU du on Linux",
)


def du(path: Path | str, *options: str, user: str | None = None) -> int:
    """The first figure ``du -sx`` prints; du also prints it when it reports errors."""
    kwargs = {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []} if user else {}
    out = subprocess.run(
        ["du", "-sxB1", *options, str(path)], capture_output=True, text=True, **kwargs
    ).stdout
    assert out, f"du printed nothing for {path}"
    return int(out.split()[0])


def du_counts_folders_in_apparent_size(tmp_path: Path) -> bool:
    """coreutils 9.1 adds folders' st_size to --apparent-size; later versions add nothing."""
    probe = tmp_path / "du-probe"
    probe.mkdir()
    counts = du(probe, "--apparent-size") > 0
    probe.rmdir()
    return counts


def folder_sizes(root: Path) -> int:
    """st_size of the folders du -x walks, to compare with a du that leaves them out."""
    dev = root.lstat().st_dev
    total = 0
    for folder, subdirs, _ in os.walk(root):
        total += os.lstat(folder).st_size
        subdirs[:] = [d for d in subdirs if os.lstat(os.path.join(folder, d)).st_dev == dev]
    return total


def apparent_of(path: Path) -> int:
    """st_size of a folder and all below it, for trees without hard links or mounts."""
    return os.lstat(path).st_size + sum(
        os.lstat(os.path.join(folder, name)).st_size
        for folder, subdirs, files in os.walk(path)
        for name in subdirs + files
    )


def assert_matches_du(result: ScanResult, root: Path, tmp_path: Path) -> None:
    assert result.used == du(root)
    apparent = du(root, "--apparent-size")
    if not du_counts_folders_in_apparent_size(tmp_path):
        apparent += folder_sizes(root)
    assert result.apparent == apparent
    assert result.files + result.dirs == du(root, "--inodes")


def write(path: Path, size: int, content: bytes = b"\x5a") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((content * size)[:size])
    return path


_fork = os.fork


@pytest.fixture(scope="session")
def compiled_walker(tmp_path_factory):
    """The current _walker.c, compiled for this session (a library built for the wheel may
    be older than the source); None without a C compiler."""
    built = native_build.build(str(tmp_path_factory.mktemp("walker") / native_build.LIBRARY))
    return walker.load(built) if built else None


@pytest.fixture(autouse=True, params=["compiled loop", "python loop"])
def loop(request, monkeypatch, compiled_walker) -> str:
    """Which per-folder loop ``scan()`` uses when not told: every test runs with both."""
    if request.param == "compiled loop":
        if compiled_walker is None:
            pytest.skip("no C compiler: only the Python loop is there to test")
        monkeypatch.setattr(walker, "library", lambda: compiled_walker)
    else:
        monkeypatch.setattr(walker, "library", lambda: None)
    return request.param


class Mode:
    def __init__(self, name: str) -> None:
        self.name = name
        self.forks: list[int] = []
        self.outcomes: list[bool] = []  # per parallel walk: whether it needed no fallback


@pytest.fixture(params=["one process", "forked workers"])
def mode(request, monkeypatch) -> Iterator[Mode]:
    """Run the scan in one process, or split it between three from the first folder on."""
    mode = Mode(request.param)
    if mode.name == "one process":
        monkeypatch.setattr(scan_module, "_available_cpus", lambda: 1)
    else:
        monkeypatch.setattr(scan_module, "_available_cpus", lambda: 3)
        monkeypatch.setattr(scan_module, "PARALLEL_AFTER", 0)
        monkeypatch.setattr(scan_module, "UNITS_PER_WORKER", 1)

        def counting_fork() -> int:
            pid = _fork()
            if pid:
                mode.forks.append(pid)
            return pid

        def recording_scan_parallel(*args):
            walk = real_scan_parallel(*args)
            mode.outcomes.append(walk is not None)
            return walk

        real_scan_parallel = scan_module._scan_parallel
        monkeypatch.setattr(os, "fork", counting_fork)
        monkeypatch.setattr(scan_module, "_scan_parallel", recording_scan_parallel)
    yield mode
    if mode.name == "forked workers":
        # Figures from a fallback walk would be right too, and hide a broken parallel walk.
        assert mode.forks, "the scan never forked: the parallel walk was not exercised"
        assert mode.outcomes, "the parallel walk was not tried"
        assert all(mode.outcomes), "the forked walk failed and was done again"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home with everything du has an opinion about, next to a big file outside it."""
    outside = write(tmp_path / "outside" / "huge.bin", 8 * MiB)
    home = tmp_path / "home"
    write(home / "data" / "big.bin", 3 * MiB)
    write(home / "data" / "medium.bin", 1 * MiB)
    write(home / "notebooks" / "analysis.ipynb", 200 * KiB)
    write(home / "notebooks" / ".ipynb_checkpoints" / "analysis-checkpoint.ipynb", 150 * KiB)
    write(home / ".cache" / "pip" / "wheel.whl", 300 * KiB)
    write(home / "projects" / "a" / "b" / "c" / "deep.csv", 500 * KiB)
    write(home / "Données été" / "naïve file ✓.txt", 20 * KiB)
    write(home / "with space" / "file name.txt", 10 * KiB)
    write(home / ".local" / "share" / "Trash" / "files" / "old.csv", 700 * KiB)
    write(home / ".local" / "share" / "Trash" / "info" / "old.csv.trashinfo", 60)
    write(home / "empty.txt", 0)
    write(home / ".hidden-empty", 0)
    (home / "empty folder").mkdir()
    # Hard links inside the tree, in folders far apart so that workers meet them separately.
    os.link(home / "data" / "big.bin", home / "projects" / "big-link.bin")
    os.link(home / "data" / "big.bin", home / "with space" / "big-link-2.bin")
    # Symlinks: a loop, a folder loop, one to a big file outside, one dangling.
    (home / "loop-a").symlink_to("loop-b")
    (home / "loop-b").symlink_to("loop-a")
    (home / "projects" / "a" / "up").symlink_to("..")
    (home / "outside-link").symlink_to(outside)
    (home / "dangling").symlink_to(home / "nowhere")
    with open(home / "sparse.img", "wb") as f:
        f.write(b"\x01" * 4096)
        f.truncate(100 * MiB)
    os.mkfifo(home / "pipe")
    # A name that is not UTF-8 still counts.
    with open(os.path.join(os.fsencode(home), b"latin-1 \xe9t\xe9.txt"), "wb") as f:
        f.write(b"x" * 5000)
    return home


def test_totals_match_du(home, tmp_path, mode):
    result = scan(str(home))

    assert_matches_du(result, home, tmp_path)
    assert result.root == str(home)
    assert result.unreadable == []
    assert result.unreadable_count == 0
    # Nothing of the 8 MiB outside, the sparse file by its blocks, big.bin once.
    assert result.used < 7 * MiB
    assert result.apparent > 100 * MiB


def test_scan_from_a_thread_as_the_server_runs_it(home, tmp_path, mode):
    results = []
    thread = threading.Thread(target=lambda: results.append(scan(str(home))))
    thread.start()
    thread.join()

    assert_matches_du(results[0], home, tmp_path)


def test_counts_files_and_folders_like_find(home, mode):
    result = scan(str(home))

    non_dirs = subprocess.run(
        ["find", str(home), "-xdev", "!", "-type", "d", "-links", "1"],
        capture_output=True,
        check=True,
    ).stdout.count(b"\n")
    folders = subprocess.run(
        ["find", str(home), "-xdev", "-type", "d"], capture_output=True, check=True
    ).stdout.count(b"\n")
    # big.bin and its two links are one file.
    assert result.files == non_dirs + 1
    assert result.dirs == folders


def test_hard_links_are_counted_once(tmp_path, mode):
    root = tmp_path / "links"
    original = write(root / "one" / "original.bin", 2 * MiB)
    for i, folder in enumerate(["two", "three", "four/deeper"]):
        (root / folder).mkdir(parents=True)
        os.link(original, root / folder / f"link-{i}.bin")
    blocks = original.stat().st_blocks * 512

    result = scan(str(root))

    assert result.used == du(root)
    assert result.files == 1
    assert [f.bytes for f in result.largest_files] == [blocks]
    folders_used = sum(os.lstat(p).st_blocks * 512 for p, _, _ in os.walk(root))
    assert result.used == folders_used + blocks
    # The file counts in exactly one folder's figures.
    holding = [d for d in result.largest_dirs if d.files == 1 and "/" not in d.path]
    assert len(holding) == 1
    assert holding[0].bytes >= blocks


def test_symlinks_count_as_themselves(tmp_path):
    outside = write(tmp_path / "big.bin", 8 * MiB)
    root = tmp_path / "links"
    root.mkdir()
    (root / "to-big").symlink_to(outside)
    (root / "loop-a").symlink_to("loop-b")
    (root / "loop-b").symlink_to("loop-a")
    (root / "self").symlink_to(".")

    result = scan(str(root))

    assert result.used == du(root)
    assert result.used < 1 * MiB
    assert result.files == 4
    assert result.dirs == 1
    sizes = {f.path: f.apparent for f in result.largest_files}
    assert sizes["to-big"] == len(str(outside))


def test_sparse_file_counts_its_blocks_not_its_length(tmp_path):
    root = tmp_path / "sparse"
    root.mkdir()
    with open(root / "disk.img", "wb") as f:
        f.write(b"\x01" * 4096)
        f.truncate(100 * MiB)

    result = scan(str(root))

    assert_matches_du(result, root, tmp_path)
    [image] = result.largest_files
    assert image == Entry("disk.img", os.lstat(root / "disk.img").st_blocks * 512, 100 * MiB, 1)
    assert image.bytes < 1 * MiB


def test_empty_root(tmp_path):
    root = tmp_path / "empty"
    root.mkdir()

    result = scan(str(root))

    assert result.used == du(root) == os.lstat(root).st_blocks * 512
    assert result.apparent == os.lstat(root).st_size
    assert (result.files, result.dirs) == (0, 1)
    assert result.largest_dirs == []
    assert result.largest_files == []
    assert result.trash == Trash(".local/share/Trash", 0, 0, 0, 0)
    assert (result.unreadable, result.unreadable_count) == ([], 0)
    assert result.duration >= 0


@pytest.fixture
def sized_tree(tmp_path: Path) -> Path:
    """Folders and files of distinct sizes, without hard links, so each folder's figures
    are exactly what du gives for that folder alone."""
    root = tmp_path / "sized"
    write(root / "videos" / "talk.mp4", 5 * MiB)
    write(root / "videos" / "clips" / "clip1.mp4", 2 * MiB)
    write(root / "videos" / "clips" / "clip2.mp4", 1 * MiB + 300 * KiB)
    write(root / "data" / "table.parquet", 3 * MiB + 100 * KiB)
    write(root / "data" / "raw" / "dump.json", 700 * KiB)
    write(root / ".cache" / "torch" / "weights.pt", 2 * MiB + 500 * KiB)
    write(root / "notes.md", 12 * KiB)
    write(root / "tiny" / "a.txt", 1)
    return root


def test_largest_folders_biggest_first_any_depth(sized_tree, mode):
    result = scan(str(sized_tree), top=4)

    assert [d.path for d in result.largest_dirs] == [
        "videos",
        "data",
        "videos/clips",
        ".cache",
    ]
    for folder in result.largest_dirs:
        path = sized_tree / folder.path
        assert folder.bytes == du(path)
        assert folder.apparent == apparent_of(path)
        assert folder.files == sum(len(files) for _, _, files in os.walk(path))
    assert result.largest_dirs[0].files == 3


def test_largest_files_biggest_first(sized_tree, mode):
    result = scan(str(sized_tree), top=3)

    assert result.largest_files == [
        Entry(path, os.lstat(sized_tree / path).st_blocks * 512, size, 1)
        for path, size in [
            ("videos/talk.mp4", 5 * MiB),
            ("data/table.parquet", 3 * MiB + 100 * KiB),
            (".cache/torch/weights.pt", 2 * MiB + 500 * KiB),
        ]
    ]


def test_top_zero_lists_nothing_but_still_counts(sized_tree):
    result = scan(str(sized_tree), top=0)

    assert (result.largest_dirs, result.largest_files) == ([], [])
    assert result.used == du(sized_tree)


def test_trash_totals(home, mode):
    result = scan(str(home))

    trash = home / ".local" / "share" / "Trash"
    # One trashed file: its copy in files/ and its .trashinfo in info/.
    assert result.trash == Trash(".local/share/Trash", du(trash), apparent_of(trash), 2, 1)
    # The trash is part of the home's usage all the same.
    assert result.used == du(home)


def test_trash_elsewhere_or_absent(home):
    notebooks = home / "notebooks"
    assert scan(str(home), trash="notebooks/").trash == Trash(
        "notebooks", du(notebooks), apparent_of(notebooks), 2, 0
    )
    assert scan(str(home), trash=".Trash-1000").trash == Trash(".Trash-1000", 0, 0, 0, 0)


def test_trash_counts_the_items_deleted_not_their_sidecars(home, mode):
    trash = home / ".local" / "share" / "Trash"
    write(trash / "files" / "report.pdf", 30 * KiB)
    write(trash / "info" / "report.pdf.trashinfo", 80)
    write(trash / "files" / "old project" / "a.py", 1 * KiB)
    write(trash / "files" / "old project" / "sub" / "b.py", 2 * KiB)
    write(trash / "info" / "old project.trashinfo", 80)

    result = scan(str(home))

    # old.csv, report.pdf and a folder of two files were deleted: three items; the files are
    # those four and a .trashinfo for each item.
    assert result.trash.items == 3
    assert result.trash.files == 7
    assert result.trash.bytes == du(trash)


def write_ties(root: Path) -> None:
    """Files and folders of equal sizes, in many folders: which ones make the top lists must
    not depend on the order in which the walk meets them."""
    for i in range(12):
        for j in range(6):
            write(root / f"folder-{i:02d}" / f"same-{j}.bin", 64 * KiB)
        write(root / f"folder-{i:02d}" / "small.txt", 100)


def test_compiled_and_python_loops_give_the_same_result(home, tmp_path, loop, monkeypatch):
    if loop != "compiled loop":
        # Asked for by name, a compiled loop that is not there is an error, not a slow scan.
        with pytest.raises(RuntimeError, match="compiled walker"):
            scan(str(home), native=True)
        return
    ties = tmp_path / "ties"
    write_ties(ties)
    monkeypatch.setattr(scan_module, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(scan_module, "UNITS_PER_WORKER", 1)

    # In one process both loops meet the entries in the same order, so even the folder that
    # counts a hard-linked file (the first to meet it) is the same.
    at_home = [scan(str(home), native=native, processes=1) for native in (True, False)]
    # Forked workers meet the folders in any order, which must not change the top lists.
    tied = [
        scan(str(ties), top=5, native=native, processes=processes)
        for native in (True, False)
        for processes in (1, 3)
    ]

    for result in at_home + tied:
        result.duration = 0.0
    assert_matches_du(at_home[0], home, tmp_path)
    assert at_home[0] == at_home[1]
    assert_matches_du(tied[0], ties, tmp_path)
    assert all(result == tied[0] for result in tied)
    assert len({f.bytes for f in tied[0].largest_files}) == 1, "no tie was tested"
    assert len({d.bytes for d in tied[0].largest_dirs}) == 1, "no tie was tested"


def test_the_package_build_compiled_the_loop():
    if native_build.compiler() is None:
        pytest.skip("no C compiler: the package was built with the Python loop only")
    assert os.path.exists(walker.LIBRARY), "build the package first (scripts/setup.sh)"
    walker.load(walker.LIBRARY)


def test_root_through_a_symlink_is_reported_as_its_real_path(sized_tree, tmp_path):
    link = tmp_path / "link-to-sized"
    link.symlink_to(sized_tree)

    result = scan(str(link))

    assert result.root == str(sized_tree)
    assert result.used == du(sized_tree)


def test_root_must_be_a_folder(tmp_path):
    with pytest.raises(NotADirectoryError):
        scan(str(write(tmp_path / "file.txt", 10)))
    with pytest.raises(FileNotFoundError):
        scan(str(tmp_path / "missing"))


def test_path_longer_than_path_max(tmp_path, mode):
    root = tmp_path / "deep"
    root.mkdir()
    write(root / "shallow.txt", 3000)
    (root / "sibling").mkdir()
    (root / "sibling 2").mkdir()
    # 25 levels of 200-character names: about 5,000 characters, past PATH_MAX (4096).
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for level in range(25):
            name = f"{level:02d}" + "d" * 198
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        file_fd = os.open("bottom.bin", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(file_fd, b"b" * 50_000)
        os.close(file_fd)
    finally:
        os.close(fd)

    result = scan(str(root))

    assert result.used == du(root)
    assert result.files == 2
    assert result.dirs == 28
    assert result.unreadable == []
    assert result.largest_files[0].apparent == 50_000
    assert len(result.largest_files[0].path) > 4096


def test_files_vanishing_during_the_scan_are_skipped(tmp_path, monkeypatch, loop):
    # The race is staged between os.scandir and the lstat, which only the Python loop has.
    if loop != "python loop":
        pytest.skip("the compiled loop cannot be raced from Python")
    root = tmp_path / "busy"
    write(root / "stays.bin", 40 * KiB)
    write(root / "vanishes.bin", 80 * KiB)
    write(root / "gone" / "inside.bin", 10 * KiB)
    real_scandir = os.scandir

    @contextlib.contextmanager
    def racing_scandir(fd):
        # Deleted between readdir and lstat, the way a running job deletes its temp files.
        with real_scandir(fd) as it:

            def entries():
                for entry in it:
                    if entry.name == "vanishes.bin":
                        os.unlink(entry.name, dir_fd=fd)
                    elif entry.name == "gone":
                        shutil.rmtree(root / "gone")
                    yield entry

            yield entries()

    monkeypatch.setattr(os, "scandir", racing_scandir)
    monkeypatch.setattr(scan_module, "_available_cpus", lambda: 1)
    result = scan(str(root))
    monkeypatch.undo()

    assert result.used == du(root)
    assert [f.path for f in result.largest_files] == ["stays.bin"]
    assert result.unreadable == []


def test_a_failed_worker_means_one_more_walk_not_wrong_figures(home, monkeypatch, tmp_path):
    monkeypatch.setattr(scan_module, "_available_cpus", lambda: 2)
    monkeypatch.setattr(scan_module, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(scan_module, "UNITS_PER_WORKER", 1)
    parent = os.getpid()
    real_next_unit = scan_module._SharedState.next_unit

    def dying_worker(walk, units, shared, fd):
        shared.next_unit()  # takes a subtree away from the parent, then dies with it
        os._exit(3)

    def next_unit_after_the_worker(self):
        # The parent waits until the worker has taken its subtree, so that the loss is sure.
        deadline = time.monotonic() + 10
        while os.getpid() == parent and self._slots[self._NEXT_UNIT] == 0:
            assert time.monotonic() < deadline, "the worker never took a subtree"
            time.sleep(0.001)
        return real_next_unit(self)

    monkeypatch.setattr(scan_module, "_run_worker", dying_worker)
    monkeypatch.setattr(scan_module._SharedState, "next_unit", next_unit_after_the_worker)

    assert_matches_du(scan(str(home)), home, tmp_path)


def test_a_stuck_worker_means_one_more_walk_not_a_scan_that_never_ends(home, monkeypatch, tmp_path):
    monkeypatch.setattr(scan_module, "_available_cpus", lambda: 2)
    monkeypatch.setattr(scan_module, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(scan_module, "UNITS_PER_WORKER", 1)
    monkeypatch.setattr(scan_module, "WORKER_TIMEOUT", 1)

    def stuck_worker(walk, units, shared, fd):
        shared.next_unit()  # takes a subtree, then never reports
        time.sleep(3600)

    monkeypatch.setattr(scan_module, "_run_worker", stuck_worker)
    assert_matches_du(scan(str(home)), home, tmp_path)


def test_one_process_when_configured(home, monkeypatch, tmp_path):
    monkeypatch.setattr(scan_module, "_available_cpus", lambda: 4)
    monkeypatch.setattr(scan_module, "PARALLEL_AFTER", 0)

    def no_fork():
        raise AssertionError("processes=1 must not fork")

    monkeypatch.setattr(os, "fork", no_fork)
    assert_matches_du(scan(str(home), processes=1), home, tmp_path)


def test_a_busy_machine_is_walked_in_one_process(home, monkeypatch, tmp_path):
    if not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs two CPUs to choose from")
    monkeypatch.setattr(scan_module, "_cgroup_cpu_quota", lambda: None)
    monkeypatch.setattr(scan_module, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert scan_module._available_cpus() >= 2

    # Far more runnable tasks than CPUs: a worker would only share the same CPU time.
    busy = scan_module.BUSY_LOAD_PER_CPU * len(os.sched_getaffinity(0))
    monkeypatch.setattr(os, "getloadavg", lambda: (float(busy), 0.0, 0.0))

    def no_fork():
        raise AssertionError("a busy machine must be walked without forking")

    monkeypatch.setattr(os, "fork", no_fork)
    assert_matches_du(scan(str(home)), home, tmp_path)


def test_a_full_hard_link_table_means_one_more_walk(home, monkeypatch, tmp_path):
    monkeypatch.setattr(scan_module, "_available_cpus", lambda: 2)
    monkeypatch.setattr(scan_module, "PARALLEL_AFTER", 0)
    monkeypatch.setattr(scan_module, "UNITS_PER_WORKER", 1)
    monkeypatch.setattr(scan_module._SharedState, "SLOTS", 2)
    for i in range(4):
        os.link(home / "data" / "medium.bin", home / "notebooks" / f"medium-{i}.bin")
        os.link(write(home / f"f{i}.bin", 100 + i), home / "data" / f"f{i}-link.bin")

    assert_matches_du(scan(str(home)), home, tmp_path)


# ----- what root cannot be refused: unreadable folders are scanned as "nobody" -----------


def run_as(user: str, fn):
    """Run ``fn`` in a forked child with ``user``'s identity; return what it returns."""
    entry = pwd.getpwnam(user)
    read_end, write_end = os.pipe()
    pid = _fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            payload = pickle.dumps((True, fn()))
        except BaseException as exc:
            payload = pickle.dumps((False, repr(exc)))
        with os.fdopen(write_end, "wb") as f:
            f.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    ok, value = pickle.loads(data)
    assert ok, value
    return value


@pytest.fixture
def shared_tmp():
    """A folder that an unprivileged user can reach (pytest's own is root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="datalake-scan-test-"))
    path.chmod(0o755)
    yield path
    for folder, subdirs, _ in os.walk(path):
        for d in subdirs:
            os.chmod(os.path.join(folder, d), 0o755)
    shutil.rmtree(path)


def test_unreadable_folders_count_like_du_and_are_listed(shared_tmp, mode):
    root = shared_tmp / "home"
    write(root / "readable" / "ok.bin", 100 * KiB)
    write(root / "locked" / "secret.bin", 1 * MiB)
    write(root / "locked" / "sub" / "more.bin", 1 * MiB)
    write(root / "list-only" / "unstatable.bin", 300 * KiB)
    write(root / "enter-only" / "hidden.bin", 200 * KiB)
    write(root / "deep" / "er" / "locked too" / "x.bin", 50 * KiB)
    for i in range(101):
        write(root / "many" / f"locked-{i:03d}" / "f.bin", 10)
    (root / "locked").chmod(0o000)
    (root / "list-only").chmod(0o744)  # others may list the names but not stat them
    (root / "enter-only").chmod(0o711)  # others may stat names they know, not list them
    (root / "deep" / "er" / "locked too").chmod(0o000)
    for i in range(101):
        (root / "many" / f"locked-{i:03d}").chmod(0o000)

    if os.geteuid() == 0:
        # chmod does not stop root, so the scan and du both run as "nobody".
        try:
            user = pwd.getpwnam("nobody").pw_name
        except KeyError:
            pytest.skip("no 'nobody' user to scan without root's privileges")
        result, forks, outcomes = run_as(
            user, lambda: (scan(str(root), top=200), mode.forks, mode.outcomes)
        )
        mode.forks += forks
        mode.outcomes += outcomes
    else:
        user = None
        result = scan(str(root), top=200)

    assert result.used == du(root, user=user)
    assert result.apparent == du(root, "--apparent-size", user=user) or (
        not du_counts_folders_in_apparent_size(shared_tmp)
    )
    assert result.files + result.dirs == du(root, "--inodes", user=user)
    expected = {"locked", "list-only", "enter-only", "deep/er/locked too"} | {
        f"many/locked-{i:03d}" for i in range(101)
    }
    assert result.unreadable_count == len(expected)
    assert len(result.unreadable) == scan_module.MAX_UNREADABLE
    assert set(result.unreadable) <= expected
    # Only what could be read shows up; a locked folder still counts its own blocks.
    assert [f.path for f in result.largest_files] == ["readable/ok.bin"]
    folders = {d.path: d for d in result.largest_dirs}
    assert folders["locked"] == Entry("locked", os.lstat(root / "locked").st_blocks * 512, 4096, 0)
    assert folders["many"].bytes == du(root / "many", user=user)


# ----- a file system mounted inside the home is left out, as with du -x ------------------


@pytest.fixture
def mounted(tmp_path: Path):
    """Mount a tmpfs under ``tmp_path``; skip when this sandbox does not allow it."""
    mounts = []

    def mount(target: Path, *args: str) -> None:
        done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount here ({done.stderr.strip() or done.returncode})")
        mounts.append(target)

    yield mount
    for target in reversed(mounts):
        subprocess.run(["umount", "-l", str(target)], check=False)


def test_nested_mounts_are_left_out(tmp_path, mounted, mode):
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    root = tmp_path / "home"
    write(root / "own.bin", 300 * KiB)
    write(root / "sub" / "own2.bin", 100 * KiB)
    (root / "sub2").mkdir()
    (root / "sub3").mkdir()
    (root / "scratch").mkdir()
    mounted(root / "scratch", "-t", "tmpfs", "-o", "size=64m", "tmpfs")
    write(root / "scratch" / "big.bin", 20 * MiB)
    write(root / "scratch" / "deeper" / "more.bin", 5 * MiB)
    # A single file bind-mounted from another file system is left out too.
    other = tmp_path / "other-fs"
    other.mkdir()
    mounted(other, "-t", "tmpfs", "-o", "size=16m", "tmpfs")
    write(other / "bound.bin", 4 * MiB)
    write(root / "sub" / "bind-target.bin", 0)
    mounted(root / "sub" / "bind-target.bin", "--bind", str(other / "bound.bin"))
    assert os.lstat(root / "scratch").st_dev != os.lstat(root).st_dev

    result = scan(str(root))

    assert_matches_du(result, root, tmp_path)
    assert result.used < 1 * MiB
    assert result.files == 2
    assert result.dirs == 4  # the mount point is not counted either
    assert [d.path for d in result.largest_dirs] == ["sub", "sub2", "sub3"]
    assert [f.path for f in result.largest_files] == ["own.bin", "sub/own2.bin"]
