"""The S3 multipart upload protocol, for both ways a file reaches the lake: from home (the
transfer manager) and from the user's computer (browser uploads). Before this module each of
them spelled out the completion and the metadata write on its own.

An object is checked after it is assembled: HeadObject must show the size and the multipart
ETag (the MD5 of the parts' MD5s) computed while the parts were sent, and only then is the
SHA-256 of the content, known only at the end, written into its metadata. S3 cannot change an
object's metadata in place: it is copied onto itself, by a multipart copy above CopyObject's
5 GiB. An upload whose abort fails is reported to the caller, which keeps it to abort later:
open parts cost the bucket space that no listing shows.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from botocore.exceptions import BotoCoreError, ClientError

from . import etags
from .client import Lake, part_size_for

# Above this, CopyObject refuses; the metadata is then written by a multipart copy.
COPY_LIMIT = 5 * 1024**3
COPY_PART = 1024**3


def metadata(
    uploader: str, source: str, mtime: float | None = None, origin: str | None = None
) -> dict[str, str]:
    """The metadata every uploaded object carries: who sent it, and from where."""
    # Metadata travels in HTTP headers, which hold ASCII only: the path is percent-encoded.
    meta = {"uploader": uploader, "source-path": quote(source)}
    if mtime is not None:
        when = datetime.fromtimestamp(mtime, timezone.utc)
        meta["source-mtime"] = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    if origin is not None:
        meta["source-origin"] = origin
    return meta


def create(lake: Lake, bucket: str, key: str, meta: dict[str, str], content_type: str) -> str:
    """Open a multipart upload; its id must be journaled before any part is sent."""
    return lake.translated(
        lake.client.create_multipart_upload,
        Bucket=bucket,
        Key=key,
        Metadata=meta,
        ContentType=content_type,
    )["UploadId"]


def send_part(
    lake: Lake, bucket: str, key: str, upload_id: str, number: int, data: Any, digest: bytes
) -> None:
    """One part, which S3 checks against the MD5 of it computed here. ``data``: its bytes, or
    a seekable file-like body that knows its length."""
    lake.translated(
        lake.client.upload_part,
        Bucket=bucket,
        Key=key,
        UploadId=upload_id,
        PartNumber=number,
        Body=data,
        ContentMD5=base64.b64encode(digest).decode(),
    )


def complete(lake: Lake, bucket: str, key: str, upload_id: str, md5s: list[bytes]) -> None:
    """Assemble the parts sent, numbered from 1, each named by its MD5."""
    lake.translated(
        lake.client.complete_multipart_upload,
        Bucket=bucket,
        Key=key,
        UploadId=upload_id,
        MultipartUpload={
            "Parts": [{"PartNumber": n, "ETag": f'"{d.hex()}"'} for n, d in enumerate(md5s, 1)]
        },
    )


def replace_metadata(
    lake: Lake, bucket: str, key: str, meta: dict[str, str], content_type: str, size: int
) -> None:
    """Write ``meta`` onto an existing object by copying it onto itself, inside S3."""
    copy(lake, {"Bucket": bucket, "Key": key}, bucket, key, meta, content_type, size)


def copy(
    lake: Lake,
    source: dict[str, str],
    bucket: str,
    key: str,
    meta: dict[str, str],
    content_type: str,
    size: int,
    if_match: str | None = None,
    opened: Callable[[str | None], None] | None = None,
    copied: Callable[[int], None] | None = None,
) -> None:
    """Copy ``source`` ({"Bucket", "Key"}) to ``key`` of ``bucket`` inside S3 with ``meta``:
    CopyObject up to COPY_LIMIT, a multipart copy part by part above. ``if_match`` (the
    source's ETag) makes S3 refuse a source that changed meanwhile; ``opened`` hears the
    multipart upload's id (then None once it is closed) so that it can be journaled, and
    ``copied`` the bytes of each part, and may raise to stop: the upload is then aborted."""
    condition = {"CopySourceIfMatch": etags.if_match(if_match)} if if_match else {}
    if size <= COPY_LIMIT:
        lake.translated(
            lake.client.copy_object,
            Bucket=bucket,
            Key=key,
            CopySource=source,
            Metadata=meta,
            MetadataDirective="REPLACE",
            ContentType=content_type,
            **condition,
        )
        if copied is not None:
            copied(size)
        return
    # CopyObject stops at 5 GiB; a multipart copy rewrites larger objects part by part,
    # inside S3.
    client = lake.client
    upload = create(lake, bucket, key, meta, content_type)
    if opened is not None:
        opened(upload)
    try:
        part = part_size_for(size, COPY_PART)
        parts = []
        for number, offset in enumerate(range(0, size, part), 1):
            end = min(offset + part, size) - 1
            reply = lake.translated(
                client.upload_part_copy,
                Bucket=bucket,
                Key=key,
                UploadId=upload,
                PartNumber=number,
                CopySource=source,
                CopySourceRange=f"bytes={offset}-{end}",
                **condition,
            )
            parts.append({"PartNumber": number, "ETag": reply["CopyPartResult"]["ETag"]})
            if copied is not None:
                copied(end + 1 - offset)
        lake.translated(
            client.complete_multipart_upload,
            Bucket=bucket,
            Key=key,
            UploadId=upload,
            MultipartUpload={"Parts": parts},
        )
    except BaseException:
        with contextlib.suppress(Exception):
            client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
        raise
    finally:
        if opened is not None:
            opened(None)


def problems(
    lake: Lake, bucket: str, key: str, size: int, etag: str | None, sha: str | None
) -> list[str]:
    """How the object in the lake differs from what was sent: its size, its ETag (when
    ``etag`` is given) and the SHA-256 in its metadata (when ``sha`` is); empty when it is
    intact."""
    head = lake.translated(lake.client.head_object, Bucket=bucket, Key=key)
    found = []
    if head.get("ContentLength") != size:
        found.append(f"it holds {head.get('ContentLength')} bytes instead of {size}")
    got = str(head.get("ETag", "")).strip('"')
    if etag is not None and got and got != etag:
        found.append(f"its ETag is {got} where the parts sent give {etag}")
    if sha is not None and head.get("Metadata", {}).get("sha256") != sha:
        found.append("its SHA-256 in metadata does not match the file's")
    return found


def abort(lake: Lake, bucket: str, key: str, upload_id: str) -> Exception | None:
    """Abort an open upload. The error when it could not be (S3 unreachable, or refusing):
    the caller keeps the upload to abort later. One that S3 no longer knows is gone."""
    try:
        lake.client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    except (ClientError, BotoCoreError) as err:
        code = isinstance(err, ClientError) and err.response.get("Error", {}).get("Code")
        if code != "NoSuchUpload":
            return err
    return None
