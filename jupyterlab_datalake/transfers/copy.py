"""Copies and moves inside the lake, the direction the transfer manager runs for a plan of
copy_planning.py: each object is copied inside S3 (CopyObject, or a multipart copy above
CopyObject's 5 GiB, lake/multipart.py), never through this server, and checked afterwards.

A move deletes its sources only once every object was copied: a move that fails or is
cancelled half-way leaves all its sources where they were (and what was copied so far at the
destination), and a retry goes on from there. What is deleted is exactly the keys copied, never
a folder as a whole, so that an object added to a source folder meanwhile is not lost.

Metadata: a move is the same object under a new name, so its metadata (uploader, sha256,
source path) is kept as it is. A copy is a new object of whoever made it: the same metadata,
but the acting user as its `uploader`, so that where users may delete only their own
objects (`shared/`) they can delete their copies.
"""

from __future__ import annotations

from ..errors import LakeError, Refused
from ..lake import areas, multipart
from ..lake.objects import Objects
from .host import TransferHost
from .records import Item, Stop, Transfer

DIRECTIONS = ("copy", "move")


class Copier:
    def __init__(self, manager: TransferHost, objects: Objects):
        self.manager = manager
        self.settings = manager.settings
        self.objects = objects

    def run(self, transfer: Transfer, item: Item) -> None:
        lake = self.manager.lake
        self._check_cancel(transfer)
        source = {"Bucket": transfer.source_bucket, "Key": item.source}
        try:
            head = lake.translated(lake.client.head_object, **source)
        except LakeError as err:
            if err.not_found:
                raise Stop(
                    "failed", f"{item.source} is not in the data lake any more; nothing was copied."
                ) from err
            raise self._denied(transfer, item, err) from err
        size = head["ContentLength"]
        meta = dict(head.get("Metadata", {}))
        if transfer.direction == "copy":
            meta["uploader"] = transfer.user or self.settings.username
        with self.manager.lock:
            item.bytes, item.done = size, 0

        def opened(upload_id: str | None) -> None:
            # An open multipart copy is journaled, so that one a restart interrupted is
            # aborted later (the manager aborts what the journal holds).
            with self.manager.lock:
                item.upload_id = upload_id
            self.manager.write_journal()

        def copied(n: int) -> None:
            with self.manager.lock:
                item.done += n
            transfer.sample()
            self.manager.write_journal(force=False)
            if item.done < size:
                self._check_cancel(transfer)

        try:
            multipart.copy(
                lake,
                source,
                transfer.bucket,
                item.destination,
                meta,
                head.get("ContentType") or "application/octet-stream",
                size,
                if_match=head.get("ETag"),
                opened=opened,
                copied=copied,
            )
        except LakeError as err:
            if err.changed:
                raise Stop(
                    "failed",
                    f"{item.source} changed while it was copied; nothing was kept. Retry to copy "
                    "it as it is now.",
                ) from err
            raise self._denied(transfer, item, err) from err
        found = multipart.problems(
            lake, transfer.bucket, item.destination, size, None, meta.get("sha256")
        )
        if found:
            raise Stop(
                "failed",
                f"{item.destination} is not a faithful copy ({'; '.join(found)}). Retry to copy "
                "it again.",
            )

    def finish(self, transfer: Transfer) -> tuple[str, str | None]:
        """The state a copy or move ends in once every item ran: a move now deletes the
        sources it copied, exactly those keys."""
        if transfer.direction != "move":
            return "done", None
        copied = [i.source for i in transfer.items if i.state == "done"]
        try:
            area = areas.find(self.settings, transfer.source_area)
            failed = self.objects.remove(area, copied)
        except (LakeError, Refused) as err:
            reason = err.connection.message if isinstance(err, LakeError) else str(err)
            return "failed", f"Everything was copied, but the sources were not deleted: {reason}"
        if not failed:
            return "done", None
        first = failed[0]
        more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
        return (
            "failed",
            f"Everything was copied, but {first['key']}{more} could not be deleted "
            f"({first['message']}); it is now in both places.",
        )

    def _check_cancel(self, transfer: Transfer) -> None:
        if transfer.cancel.is_set():
            raise Stop(
                "cancelled",
                "Cancelled; the sources are all still there, and what was copied so far is at "
                "the destination. Retry to go on.",
            )

    def _denied(self, transfer: Transfer, item: Item, err: LakeError) -> Exception:
        """S3's refusal of a copy in words that name both ends; other failures as they are."""
        if not err.denied:
            return err
        source = areas.get(self.settings, transfer.source_area)
        target = areas.get(self.settings, transfer.area)
        where = f"read {source.prefix} or " if source is not None else ""
        to = target.prefix if target is not None else transfer.bucket
        return Stop(
            "failed",
            f"{item.source}: your data lake account may not {where}write to {to}. "
            "Ask your hub admin if you need to.",
        )


__all__ = ["DIRECTIONS", "Copier"]
