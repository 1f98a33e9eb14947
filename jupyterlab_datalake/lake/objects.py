"""Browsing the data lake: one folder level at a time, what is known of an object, deleting
what is the user's to delete, and reading an object in chunks.

Every call is confined to one of the configured areas (lake/areas.py), and none of them
holds more than one page of a listing in memory: a bucket of a million objects costs the same
to browse as one of ten.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..config import Area, Settings
from ..errors import LakeError, Refused
from . import areas
from .client import Lake
from .keys import check_key, check_name, clean_prefix

PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000
MAX_INFO_KEYS = 200
DELETE_BATCH = 1000  # DeleteObjects takes at most 1000 keys


class Objects:
    def __init__(self, settings: Settings, lake: Lake):
        self.settings = settings
        self.lake = lake

    # ----- listing --------------------------------------------------------------------------

    def list(
        self, area: str, prefix: str, cursor: str | None = None, limit: int = PAGE_SIZE
    ) -> dict[str, Any]:
        """One page of one folder level: sub-folders and objects, folders first."""
        where = areas.find(self.settings, area)
        folder = clean_prefix(prefix)
        key_prefix = where.prefix + (folder + "/" if folder else "")
        request = {
            "Bucket": where.bucket,
            "Prefix": key_prefix,
            "Delimiter": "/",
            "MaxKeys": max(1, min(limit, MAX_PAGE_SIZE)),
        }
        if cursor:
            request["ContinuationToken"] = cursor
        with areas.acting(where, "list"):
            page = self.lake.translated(self.lake.client.list_objects_v2, **request)
        folders = [
            {"name": p["Prefix"][len(key_prefix) :].rstrip("/"), "key": p["Prefix"]}
            for p in page.get("CommonPrefixes", [])
        ]
        objects = [
            {
                "key": o["Key"],
                "name": o["Key"][len(key_prefix) :],
                "size": o["Size"],
                "last_modified": o["LastModified"].timestamp(),
                "etag": o.get("ETag", "").strip('"'),
            }
            for o in page.get("Contents", [])
            # The folder's own marker object ("folder/") is the folder, not an entry in it.
            if o["Key"] != key_prefix
        ]
        return {
            "area": area,
            "prefix": folder,
            "key_prefix": key_prefix,
            "folders": folders,
            "objects": objects,
            "next_cursor": page.get("NextContinuationToken") if page.get("IsTruncated") else None,
        }

    # ----- what is known of an object -------------------------------------------------------

    def info(self, area: str, keys: list[str], user: str) -> list[dict[str, Any]]:
        """Size, type and the extension's metadata of each key, and whether ``user`` (the
        person acting) may delete it: anything where the area allows deleting any, and where
        it allows deleting one's own, what they uploaded."""
        if not isinstance(keys, list) or len(keys) > MAX_INFO_KEYS:
            raise Refused(400, f"Ask about 1 to {MAX_INFO_KEYS} keys at a time.")
        where = areas.find(self.settings, area)
        with areas.acting(where, "read"):
            return self._infos(where, [areas.key_in(where, k) for k in keys], user)

    def _infos(self, area: Area, keys: list[str], user: str) -> list[dict[str, Any]]:
        return self.lake.each(lambda k: self._info(area, k, user), keys)

    def _info(self, area: Area, key: str, user: str) -> dict[str, Any]:
        folder = key.endswith("/")
        try:
            head = self.lake.translated(self.lake.client.head_object, Bucket=area.bucket, Key=key)
        except LakeError as err:
            if not err.not_found:
                raise
            if folder:
                # A folder that only exists as the prefix of its objects has no marker and so
                # no metadata: who may delete it is decided object by object.
                any_ = area.delete == "any"
                return {"key": key, "folder": True, "uploader": None, "can_delete": any_}
            return {"key": key, "missing": True, "can_delete": False}
        # An empty folder's marker ("name/") is an object like any other, with the uploader
        # the transfer wrote into its metadata.
        meta = head.get("Metadata", {})
        uploader = meta.get("uploader")
        return {
            "key": key,
            **({"folder": True} if folder else {}),
            "size": head.get("ContentLength"),
            "last_modified": head["LastModified"].timestamp() if "LastModified" in head else None,
            "content_type": head.get("ContentType"),
            "etag": head.get("ETag", "").strip('"'),
            "uploader": uploader,
            "sha256": meta.get("sha256"),
            "source_path": meta.get("source-path"),
            "can_delete": area.delete == "any"
            or (area.delete == "own" and uploader is not None and uploader == user),
        }

    # ----- deleting -------------------------------------------------------------------------

    def delete(self, area: str, keys: list[str], user: str) -> dict[str, Any]:
        """Delete objects and folders (keys ending in "/", recursively). Where the area lets
        users delete only their own, every object must be the acting ``user``'s upload,
        checked before anything is deleted."""
        if not isinstance(keys, list) or not keys:
            raise Refused(400, 'Expected "keys": a list of keys to delete.')
        where = areas.find(self.settings, area)
        areas.require_delete(where)
        keys = [areas.key_in(where, k) for k in keys]
        with areas.acting(where, "delete"):
            return self._delete(where, keys, user)

    def _delete(self, area: Area, keys: list[str], user: str) -> dict[str, Any]:
        own_only = area.delete == "own"
        targets = list(dict.fromkeys(t for k in keys for t in self._expand(area, k)))
        # DeleteObjects reports a key that is not there as deleted; HeadObject tells, so that
        # the reply counts only what was really removed. A folder's listing holds only keys
        # that exist; where only one's own may go, every key is looked at, for its uploader.
        plain = {k for k in keys if not k.endswith("/")}
        infos = self._infos(area, targets if own_only else [t for t in targets if t in plain], user)
        missing = [i["key"] for i in infos if i.get("missing")]
        if own_only:
            self._check_own(area, infos)
        gone = set(missing)
        targets = [t for t in targets if t not in gone]
        deleted, failed = 0, []
        for start in range(0, len(targets), DELETE_BATCH):
            batch = targets[start : start + DELETE_BATCH]
            errors = self._delete_batch(area, batch)
            failed.extend(
                {"key": e["Key"], "message": e.get("Message") or e["Code"]} for e in errors
            )
            deleted += len(batch) - len(errors)
        return {"deleted": deleted, "failed": failed, "missing": missing}

    def _delete_batch(self, area: Area, batch: list[str]) -> list[dict[str, str]]:
        """DeleteObjects, or one DeleteObject per key where the policy refuses the batch.
        Ceph RGW checks DeleteObjects against the bucket itself, which a per-user policy
        that grants s3:DeleteObject on prefixes only does not cover; MinIO checks each key."""
        try:
            reply = self.lake.translated(
                self.lake.client.delete_objects,
                Bucket=area.bucket,
                Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True},
            )
            return reply.get("Errors", [])
        except LakeError as err:
            if not err.denied:
                raise

        def one(key: str) -> dict[str, str] | None:
            try:
                self.lake.translated(self.lake.client.delete_object, Bucket=area.bucket, Key=key)
            except LakeError as err:
                if not err.denied:
                    raise
                return {
                    "Key": key,
                    "Code": err.code,
                    "Message": areas.denied_message(area, "delete"),
                }
            return None

        return [e for e in self.lake.each(one, batch) if e is not None]

    def _expand(self, area: Area, key: str) -> Iterator[str]:
        if not key.endswith("/"):
            yield key
            return
        yield from (o["Key"] for o in self.lake.objects_under(key, area.bucket))

    def check_deletable(self, area: Area, keys: list[str], user: str, outcome: str) -> None:
        """403 unless ``user`` may delete each of these exact keys (a move deletes what it
        moved); ``outcome`` says what was therefore not done."""
        if area.delete == "none":
            raise Refused(
                403, f"Nothing can be deleted in {area.title} ({area.prefix}) from here; {outcome}"
            )
        if area.delete == "own":
            with areas.acting(area, "read"):
                self._check_own(area, self._infos(area, keys, user), outcome)

    def remove(self, area: Area, keys: list[str]) -> list[dict[str, str]]:
        """Delete exactly these keys, a folder's marker ("name/") as one key and never as the
        folder: what was added under a folder since it was planned is not touched. The keys
        that could not be deleted, with why."""
        failed = []
        with areas.acting(area, "delete"):
            for start in range(0, len(keys), DELETE_BATCH):
                errors = self._delete_batch(area, keys[start : start + DELETE_BATCH])
                failed.extend(
                    {"key": e["Key"], "message": e.get("Message") or e["Code"]} for e in errors
                )
        return failed

    def _check_own(
        self, area: Area, infos: list[dict[str, Any]], outcome: str = "Nothing was deleted."
    ) -> None:
        others = [i for i in infos if not i.get("missing") and not i["can_delete"]]
        if others:
            first = others[0]
            who = first.get("uploader") or "someone without uploader metadata"
            more = f" and {len(others) - 1} more" if len(others) > 1 else ""
            raise Refused(
                403,
                f"{first['key']}{more} was uploaded by {who}; in {area.prefix} "
                f"you can delete only what you uploaded. {outcome}",
            )

    # ----- new folders ----------------------------------------------------------------------

    def create_folder(self, area: str, prefix: str, name: object, user: str) -> dict[str, Any]:
        """An empty folder: S3 has none, so it is the zero-byte marker "name/" that uploads
        of empty folders write too, which the listing shows as a folder (a common prefix)."""
        where = areas.find(self.settings, area)
        areas.require_write(where)
        if not isinstance(name, str) or not name.strip() or "/" in name:
            raise Refused(400, "A folder name is needed, without '/'.")
        name = name.strip()
        if name in (".", ".."):
            raise Refused(400, f"{name!r} cannot be a folder name; name the folder plainly.")
        check_name(name, "The folder")
        folder = clean_prefix(prefix)
        key = where.prefix + (folder + "/" if folder else "") + name + "/"
        check_key(key, name)
        with areas.acting(where, "write"):
            page = self.lake.translated(
                self.lake.client.list_objects_v2, Bucket=where.bucket, Prefix=key, MaxKeys=1
            )
            if page.get("KeyCount"):
                raise Refused(409, f"{key} exists already.")
            self.lake.translated(
                self.lake.client.put_object,
                Bucket=where.bucket,
                Key=key,
                Body=b"",
                Metadata={"uploader": user},
            )
        return {"area": where.id, "key": key, "prefix": key[len(where.prefix) : -1]}

    # ----- reading --------------------------------------------------------------------------

    def open(self, area: str, key: str) -> dict[str, Any]:
        """GetObject for a streamed download: the reply's Body is read chunk by chunk."""
        where = areas.find(self.settings, area)
        key = areas.key_in(where, key)
        if key.endswith("/"):
            raise Refused(400, "A folder cannot be downloaded as one file.")
        try:
            with areas.acting(where, "read"):
                return self.lake.translated(
                    self.lake.client.get_object, Bucket=where.bucket, Key=key
                )
        except LakeError as err:
            if err.not_found:
                raise Refused(404, f"{key} is not in the data lake (any more).") from err
            raise


__all__ = ["Objects"]
