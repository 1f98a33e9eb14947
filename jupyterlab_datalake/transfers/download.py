"""Downloads from the data lake into home: planned against free space and the quota, written
to a hidden temporary file in the destination folder, and put in place only once complete
and verified, so that home never holds a partial file under the real name.

Every folder and file is reached from home's descriptor, one component at a time, without
following links (safefs): a symbolic link in home, there at planning or swapped in while the
download runs, is refused with a message naming it, and nothing is written through it.

The transfer manager runs them like uploads: same list, progress, cancel, retry and journal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from .. import safefs
from ..config import Area
from ..errors import LakeError, Refused
from ..home.space import free_bytes, shortfall
from ..lake import areas
from ..paths import candidates, is_within
from . import ranged, verify
from .host import TransferHost
from .records import MAX_FILES, Item, Stop, Transfer, check_policy, new_id
from .threads import background

# Longest file name most Linux filesystems take, in bytes.
NAME_MAX = 255


class Downloader:
    def __init__(
        self,
        manager: TransferHost,
        used: Callable[[], int | None] | None = None,
        home_changed: Callable[[], None] | None = None,
    ):
        self.manager = manager
        self.settings = manager.settings
        # Home's used bytes for the quota check (None: unknown, so not checked), and what to
        # call once home has changed; the service passes both from the usage monitor.
        self.used: Callable[[], int | None] = used or (lambda: None)
        self.home_changed: Callable[[], None] = home_changed or (lambda: None)
        # Home as the file browser shows it, to name a link found on the way.
        self.shown_home = safefs.shown(manager.home, manager.root)
        # Ranged GETs of one file at a time: one and a half times the upload's parts (12 by
        # default); with fewer, a busy RGW served a download slower than boto3's 10 threads
        # (bench_download.py). Two transfers may run at once, within the client's 32
        # connections.
        self.streams = max(1, 3 * self.settings.transfer_concurrency // 2)
        self._streams = ThreadPoolExecutor(
            max_workers=2 * self.streams,
            thread_name_prefix="datalake-range",
            initializer=background,
        )

    # ----- planning -------------------------------------------------------------------------

    def plan(self, keys: list[str], area: str, destination: str, conflict: str) -> Transfer:
        check_policy(conflict)
        where = areas.find(self.settings, area)
        with areas.acting(where, "read"):
            return self._plan(keys, where, destination, conflict)

    def _plan(self, keys: list[str], where: Area, destination: str, conflict: str) -> Transfer:
        with self._destination(destination) as (home_fd, folder_fd, folder_path, shown_folder):
            keys = [areas.key_in(where, k) for k in keys]
            tops: dict[str, list[Item]] = {}
            for key in keys:
                name = key.rstrip("/").rsplit("/", 1)[-1]
                if name in tops:
                    raise Refused(
                        400, f"Two of the keys would both become {name}; download them separately."
                    )
                tops[name] = self._items(where.bucket, key, name, folder_path, shown_folder)
            items = [i for own in tops.values() for i in own]
            # Keeping both renames a clashing top-level name as a whole: nothing below it is
            # looked at. Otherwise every file is, and every folder on its way.
            renaming = conflict == "rename"
            try:
                self._mark_existing(
                    home_fd, [own[0] for own in tops.values()] if renaming else items, not renaming
                )
            except safefs.Unsafe as err:
                raise Refused(err.status, f"{err} Nothing was downloaded.") from err
            if conflict in ("rename", "ask"):
                # Asking, the plan says where keeping both would put each clash.
                for name, own in tops.items():
                    self._rename(name, own, folder_fd, folder_path, shown_folder, conflict)
            elif conflict == "skip":
                for item in items:
                    if item.exists:
                        item.state = "skipped"
                        item.message = "Skipped: it exists in your home already."
            self._check_space(items, home_fd, folder_fd, keys)
        single = next(iter(tops.values())) if len(tops) == 1 else None
        return Transfer(
            id=new_id(),
            direction="download",
            area=where.id,
            prefix="",
            sources=keys,
            conflict=conflict,
            bucket=where.bucket,
            destination=_top(single[0], shown_folder) if single else shown_folder,
            items=items,
        )

    @contextlib.contextmanager
    def _destination(self, destination: object) -> Iterator[tuple[int, int, str, str]]:
        """The folder in home that files are downloaded into, reached from home without
        following links: descriptors of home and of the folder, its path, and its path as the
        file browser shows it."""
        if not isinstance(destination, str):
            raise Refused(400, 'Expected "destination": a folder in your home.')
        shown = destination.strip("/")
        home = self.manager.home
        path = os.path.normpath(os.path.join(self.manager.root, shown))
        if not is_within(path, home):
            raise Refused(
                403, f"{destination or '/'} is outside your home; download into your home."
            )
        with contextlib.ExitStack() as opened:
            try:
                home_fd = safefs.open_root(home)
                opened.callback(os.close, home_fd)
                folder_fd = safefs.open_folder(home_fd, safefs.parts(path, home), self.shown_home)
                opened.callback(os.close, folder_fd)
            except safefs.Unsafe as err:
                raise Refused(err.status, f"{err} Nothing was downloaded.") from err
            except FileNotFoundError as err:
                raise Refused(404, f"The folder {destination} does not exist (any more).") from err
            except OSError as err:
                raise Refused(
                    403, f"The folder {destination} cannot be opened ({err.strerror})."
                ) from err
            # The path holds no link (the walk just saw to that): access() judges the folder.
            if not os.access(path, os.W_OK | os.X_OK):
                raise Refused(403, f"The folder {destination} cannot be written to.")
            yield home_fd, folder_fd, path, shown

    def _items(
        self, bucket: str, key: str, name: str, folder: str, shown_folder: str
    ) -> list[Item]:
        def shown(rel: str) -> str:
            return f"{shown_folder}/{rel}" if shown_folder else rel

        if not key.endswith("/"):
            try:
                head = self.manager.lake.translated(
                    self.manager.lake.client.head_object, Bucket=bucket, Key=key
                )
            except LakeError as err:
                if err.not_found:
                    raise Refused(404, f"{key} is not in the data lake (any more).") from err
                raise
            _check_file_name(name, key)
            return [Item(key, shown(name), head["ContentLength"], path=os.path.join(folder, name))]
        items = [Item(key, shown(name), 0, path=os.path.join(folder, name), marker=True)]
        for obj in self.manager.lake.objects_under(key, bucket):
            if len(items) > MAX_FILES:
                raise Refused(
                    400, f"More than {MAX_FILES:,} objects; download the folders one at a time."
                )
            rel = obj["Key"][len(key) :]
            if not rel:
                continue
            parts = rel.rstrip("/").split("/")
            target = "/".join([name, *parts])
            problem = _bad_parts(parts)
            if problem:
                items.append(
                    Item(obj["Key"], "", 0, state="skipped", message=f"Skipped: {problem}.")
                )
            elif rel.endswith("/"):
                items.append(
                    Item(
                        obj["Key"],
                        shown(target),
                        0,
                        path=os.path.join(folder, target),
                        marker=True,
                    )
                )
            else:
                items.append(
                    Item(
                        obj["Key"],
                        shown(target),
                        obj["Size"],
                        path=os.path.join(folder, target),
                    )
                )
        if len(items) == 1:
            raise Refused(404, f"{key} is empty or not in the data lake (any more).")
        return items

    def _mark_existing(self, home_fd: int, items: list[Item], enter: bool) -> None:
        """Which destinations are in home already, looked at from home's descriptor: a clash
        is what is in home, never what a link leads to. A link where a folder would be used
        (a file's folder, or, when ``enter``, a folder the download makes and fills) raises
        Unsafe."""
        home = self.manager.home
        folders: dict[tuple[str, ...], int | None] = {(): home_fd}

        def open_(names: tuple[str, ...]) -> int | None:
            # One descriptor per folder, each opened from its parent's: None when missing or
            # a file, in which case nothing below it exists (the run then says why).
            if names not in folders:
                parent = open_(names[:-1])
                fd = None
                if parent is not None:
                    try:
                        fd = safefs.open_folder(parent, names[-1:], self._shown(names[:-1]))
                    except safefs.Unsafe as err:
                        if err.link:
                            raise
                    except FileNotFoundError:
                        pass
                folders[names] = fd
            return folders[names]

        try:
            for item in items:
                if not item.path:
                    continue
                names = tuple(safefs.parts(item.path, home))
                parent = open_(names[:-1])
                item.exists = parent is not None and safefs.lstat(parent, names[-1]) is not None
                if enter and item.marker and item.exists:
                    open_(names)  # the folder itself is on the way of what goes in it
        finally:
            for names, fd in folders.items():
                if names and fd is not None:
                    os.close(fd)

    def _shown(self, names: tuple[str, ...] | list[str]) -> str:
        return os.path.join(self.shown_home, *names)

    def _rename(
        self,
        name: str,
        items: list[Item],
        folder_fd: int,
        folder: str,
        shown_folder: str,
        conflict: str = "rename",
    ) -> None:
        """Keep both: a clashing top-level name gets the first free "name (n)" in the folder;
        when the plan only asks, its items learn the new destination as ``renamed``."""
        if not any(i.exists for i in items):
            return
        is_dir = items[0].marker
        for candidate in candidates(name, is_dir):
            if safefs.lstat(folder_fd, candidate) is None:
                break
        old_path, new_path = os.path.join(folder, name), os.path.join(folder, candidate)
        old_shown = f"{shown_folder}/{name}" if shown_folder else name
        new_shown = f"{shown_folder}/{candidate}" if shown_folder else candidate
        for item in items:
            if conflict == "ask":
                if item.path:
                    item.renamed = new_shown + item.destination[len(old_shown) :]
                continue
            if item.path:
                item.path = new_path + item.path[len(old_path) :]
                item.destination = new_shown + item.destination[len(old_shown) :]
            item.exists = False

    def _check_space(
        self, items: list[Item], home_fd: int, folder_fd: int, keys: list[str]
    ) -> None:
        needed = sum(i.bytes for i in items if i.state != "skipped")
        # An overwritten file frees its old blocks only once the new one is in place.
        what = keys[0] if len(keys) == 1 else f"the {len(keys)} items"
        counted = needed
        if os.fstat(folder_fd).st_dev != os.fstat(home_fd).st_dev:
            counted = 0  # a volume mounted inside home has its own size, not home's quota
        problem = shortfall(
            what, needed, free_bytes(folder_fd), counted, self.settings.home_quota, self.used()
        )
        if problem:
            raise Refused(507, f"{problem} Nothing was downloaded.")

    # ----- running --------------------------------------------------------------------------

    def run(self, transfer: Transfer, item: Item) -> None:
        names = safefs.parts(item.path, self.manager.home)
        if item.marker:
            os.close(self._open_folder(item, names))
            return
        folder_fd = self._open_folder(item, names[:-1])
        try:
            self._download(transfer, item, folder_fd, names[-1])
        finally:
            os.close(folder_fd)
        self.home_changed()

    def _open_folder(self, item: Item, names: list[str]) -> int:
        """The folder ``names`` of home, made as needed, component by component from home's
        descriptor: a link swapped in since the plan stops the download, naming it."""
        try:
            return safefs.open_folder(self.manager.home, names, self.shown_home, create=True)
        except safefs.Unsafe as err:
            raise Stop("failed", f"{err} {item.source} was not downloaded.") from err
        except OSError as err:
            raise Stop("failed", _write_failure(item, err)) from err

    def _download(self, transfer: Transfer, item: Item, folder_fd: int, name: str) -> None:
        lake = self.manager.lake
        # A file planned small comes in one GET, whose reply says what a HeadObject would: a
        # folder of many small files costs one request per file.
        small = item.bytes <= ranged.MIN_RANGE
        ask = lake.client.get_object if small else lake.client.head_object
        head = lake.translated(ask, Bucket=transfer.bucket, Key=item.source)
        size = head["ContentLength"]
        check = verify.choose_check(
            lake, transfer.bucket, item.source, head, self.settings.part_size
        )
        temp = f".{name[:200]}.{transfer.id}.datalake-part"
        with self.manager.lock:
            item.temp = os.path.join(os.path.dirname(item.path), temp)
            item.bytes, item.done = size, 0
        self.manager.write_journal()
        try:
            hasher = self._receive(transfer, item, head, check, folder_fd, temp, small)
            if item.done != size:
                raise Stop(
                    "failed",
                    f"{item.source} arrived incomplete ({item.done} of {size} bytes); nothing was kept.",
                )
            verified = check.passed()
            if not hasher.matches():
                if check.certain:
                    raise Stop("failed", check.failed(item.source))
                verified = check.unsure()
            self._place(transfer, item, folder_fd, temp)
            item.message = verified
        finally:
            if small:
                head["Body"].close()
            with contextlib.suppress(OSError):
                safefs.unlink(folder_fd, temp)
            with self.manager.lock:
                item.temp = None

    def _receive(self, transfer, item, head, check, folder_fd, temp, whole) -> verify.Hasher:
        """The object's bytes written into the new file ``temp``, by parallel ranged GETs (or
        from ``head``'s body, when ``whole``), and hashed for ``check`` as they arrive; the
        file is on disk when this returns."""
        hasher = check.hasher()
        cancelled = "Cancelled; no partial file was left in your home."

        def received(n: int) -> None:
            try:
                self.manager.bandwidth.take(n, transfer.cancel)
            except Stop as stop:
                raise Stop("cancelled", cancelled) from stop
            with self.manager.lock:
                item.done += n
            transfer.sample()
            self.manager.write_journal(force=False)

        def stopped() -> Stop | None:
            return Stop("cancelled", cancelled) if transfer.cancel.is_set() else None

        try:
            fd = safefs.create_temp(folder_fd, temp, readable=True)
            try:
                fetch = ranged.Fetch(
                    self.manager.lake,
                    transfer.bucket,
                    item.source,
                    head["ETag"],
                    head["ContentLength"],
                    fd,
                    hasher,
                    received,
                    stopped,
                )
                fetch.run(self._streams.submit, self.streams, head if whole else None)
                item.begin_checks()  # every byte is in: written to disk, then checked
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            raise Stop("failed", _write_failure(item, err)) from err
        return hasher

    def _place(self, transfer: Transfer, item: Item, folder_fd: int, temp: str) -> None:
        """Give the complete file its name in its folder: replacing what is there only when
        overwriting (a link there is replaced, not followed); otherwise never, even if a file
        of that name appeared since the plan."""
        name = os.path.basename(item.path)
        try:
            if transfer.conflict == "overwrite":
                there = safefs.lstat(folder_fd, name)
                if there is not None and stat.S_ISDIR(there.st_mode):
                    raise Stop(
                        "failed",
                        f"{item.destination} is a folder in your home; it was not replaced.",
                    )
                safefs.replace(folder_fd, temp, name)
                os.fsync(folder_fd)
                return
            names = candidates(name, False) if transfer.conflict == "rename" else iter([name])
            for candidate in names:
                try:
                    safefs.link(folder_fd, temp, candidate)
                except FileExistsError:
                    continue
                os.fsync(folder_fd)
                if candidate != name:
                    item.destination = item.destination[: -len(name)] + candidate
                    item.path = os.path.join(os.path.dirname(item.path), candidate)
                return
        except OSError as err:
            raise Stop("failed", _write_failure(item, err)) from err
        raise Stop(
            "failed",
            f"{item.destination} appeared in your home during the download; it was left as it is. "
            "Download again and choose to overwrite or keep both.",
        )

    def clean_up(self, item: Item) -> None:
        """A temporary file left by a server that stopped mid-download, removed from its
        folder as reached from home (never through a link)."""
        if not item.temp:
            return
        home = self.manager.home
        if is_within(item.temp, home):
            names = safefs.parts(item.temp, home)
            with (
                contextlib.suppress(OSError, Refused),
                safefs.folder(home, names[:-1]) as folder_fd,
            ):
                safefs.unlink(folder_fd, names[-1])
        item.temp = None


def _check_file_name(name: str, key: str) -> None:
    problem = _bad_parts([name])
    if problem:
        raise Refused(400, f"{key} cannot be saved in your home: {problem}.")


def _bad_parts(parts: list[str]) -> str | None:
    for part in parts:
        if part in ("", ".", ".."):
            return f"its key has {part or 'an empty'!r} as a folder name"
        if "\0" in part:
            return "its name holds a NUL character"
        if len(part.encode("utf-8", "surrogateescape")) > NAME_MAX:
            return f"a name in it is longer than {NAME_MAX} bytes"
    return None


def _top(item: Item, shown_folder: str) -> str:
    rel = item.destination[len(shown_folder) + 1 :] if shown_folder else item.destination
    top = rel.split("/", 1)[0]
    return f"{shown_folder}/{top}" if shown_folder else top


def _write_failure(item: Item, err: OSError) -> str:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"Your home is full: {item.destination} could not be written, and no partial file "
            "was left. Free some space, then retry."
        )
    return (
        f"{item.destination} could not be written: {err.strerror or err}; no partial file was left."
    )


__all__ = ["Downloader"]
