"""What the directions of a transfer (uploads, downloads, browser uploads) may use of the
transfer manager that runs them: the shared lock, the journal, the list, and the upload steps
that every way into the lake shares (the Uploader's, passed on by the manager). They are typed
against this, not against the manager, so that the manager imports them and nothing imports
the manager back."""

from __future__ import annotations

import threading
from typing import Protocol

from ..config import Settings
from ..lake.client import Lake
from .bandwidth import Bandwidth
from .records import Item, Transfer


class TransferHost(Protocol):
    settings: Settings
    lake: Lake
    bandwidth: Bandwidth
    home: str  # home's real path
    root: str  # the file browser's root, as a real path
    lock: threading.RLock  # guards every transfer's and item's state

    def write_journal(self, force: bool = True) -> None:
        """Record the list; ``force=False`` may skip a write made moments before."""

    def register(self, transfer: Transfer) -> None:
        """Add a planned transfer to the list."""

    def find(self, transfer_id: str) -> Transfer:
        """The transfer, or a 404 refusal."""

    def finish(self, transfer: Transfer, state: str, message: str | None) -> None:
        """End a transfer in ``state`` and record it."""

    def exists(self, key: str, bucket: str) -> bool:
        """Whether the key is in the bucket."""

    def create_upload(self, bucket: str, key: str, meta: dict[str, str], content_type: str) -> str:
        """Open a multipart upload."""

    def send_part(self, transfer: Transfer, item: Item, number: int, data: bytes, digest: bytes):
        """Send one part of the item's open upload and count it as done."""

    def complete_upload(self, transfer: Transfer, item: Item, md5s: list[bytes]) -> None:
        """Assemble the item's parts, and close the upload in the journal."""

    def write_sha(self, transfer, item, md5s: list[bytes], meta: dict[str, str], sha: str) -> None:
        """Check the assembled object, then write its SHA-256 into its metadata and check it."""

    def verify(self, bucket: str, item: Item, size: int, etag: str | None, sha: str | None) -> None:
        """Stop the transfer as failed when the object in the lake is not what was sent."""

    def abort(self, bucket: str, key: str, item: Item) -> None:
        """Abort the item's open upload, or keep it to abort later."""
