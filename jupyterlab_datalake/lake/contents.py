"""Lake objects as Jupyter contents models, for the frontend's `datalake:` drive: JupyterLab
opens them in its own viewers and editors, and saves back where the area lets the user write.

A drive path is ``<area id>/<path inside the area>``; the empty path is the list of areas. The
models are those of jupyter_server's Contents API (name, path, type, format, mimetype, content,
created, last_modified, size, writable, hash), so that JupyterLab's document context works on
them unchanged: ``hash`` is the object's ETag, which the context compares before saving, and a
save is conditional on the ETag the document was last read with, so a changed object is never
overwritten unasked.
"""

from __future__ import annotations

import base64
import mimetypes
from datetime import datetime, timezone
from typing import Any

import nbformat

from ..config import Area, Settings
from ..errors import LakeError, Refused
from ..paths import human_bytes
from . import areas
from .client import Lake
from .etags import if_match
from .keys import check_key, clean_prefix
from .objects import MAX_PAGE_SIZE, Objects

# A folder opened as a directory model lists at most this many entries; the lake browser,
# not JupyterLab's file browser, is where large folders are walked page by page.
MAX_LISTING = 10 * MAX_PAGE_SIZE

# S3 keeps no creation time: "created" is the time of the version opened.
_EPOCH = datetime.fromtimestamp(0, timezone.utc)


class LakeContents:
    def __init__(self, settings: Settings, lake: Lake, objects: Objects):
        self.settings = settings
        self.lake = lake
        self.objects = objects

    # ----- paths ----------------------------------------------------------------------------

    def locate(self, path: object) -> tuple[Area | None, str]:
        """The area and the path inside it that a drive path names ("" for its top)."""
        if not isinstance(path, str):
            raise Refused(400, "The path must be text.")
        area_id, _, inner = path.strip("/").partition("/")
        if not area_id:
            return None, ""
        return areas.find(self.settings, area_id), clean_prefix(inner)

    def _key(self, area: Area, inner: str) -> str:
        key = area.prefix + inner
        check_key(key, inner)
        return key

    # ----- reading --------------------------------------------------------------------------

    def get(
        self, path: str, content: bool = True, type_: str | None = None, format_: str | None = None
    ) -> dict[str, Any]:
        """The model of an object or folder, with its content if ``content``."""
        area, inner = self.locate(path)
        if area is None:
            return self._top(content)
        if not inner or type_ == "directory":
            return self._directory(area, inner, content)
        key = self._key(area, inner)
        try:
            with areas.acting(area, "read"):
                if not content:
                    head = self.lake.translated(
                        self.lake.client.head_object, Bucket=area.bucket, Key=key
                    )
                    return self._model(area, inner, head, type_)
                return self._read(area, inner, key, type_, format_)
        except LakeError as err:
            if not err.not_found:
                raise
        # No object of that name: a folder, if anything lies under it.
        if self._folder_exists(area, key + "/"):
            return self._directory(area, inner, content)
        raise Refused(404, f"{key} is not in the data lake (any more).")

    def _read(
        self, area: Area, inner: str, key: str, type_: str | None, format_: str | None
    ) -> dict[str, Any]:
        reply = self.lake.translated(self.lake.client.get_object, Bucket=area.bucket, Key=key)
        body = reply["Body"]
        try:
            size = reply["ContentLength"]
            if size > self.settings.open_limit:
                # Refused before the body is read: only the headers came.
                raise Refused(
                    413,
                    f"{inner} holds {human_bytes(size)}; objects above "
                    f"{human_bytes(self.settings.open_limit)} are not opened whole. "
                    "Use its preview, or download it.",
                )
            data = body.read()
        finally:
            body.close()
        model = self._model(area, inner, reply, type_)
        if model["type"] == "notebook":
            model["content"] = _notebook(data, inner)
            model["format"] = "json"
        else:
            model["content"], model["format"] = _encoded(data, format_, inner)
            if model["format"] == "base64" and model["mimetype"].startswith("text/"):
                model["mimetype"] = "application/octet-stream"
        return model

    def _model(self, area: Area, inner: str, head: dict[str, Any], type_: str | None) -> dict:
        notebook = inner.endswith(".ipynb") and type_ != "file"
        modified = head.get("LastModified") or _EPOCH
        return {
            "name": inner.rsplit("/", 1)[-1],
            "path": f"{area.id}/{inner}",
            "type": "notebook" if notebook else "file",
            "format": None,
            "content": None,
            "mimetype": None if notebook else mimetypes.guess_type(inner)[0] or "text/plain",
            "created": _iso(modified),
            "last_modified": _iso(modified),
            "size": head.get("ContentLength"),
            "writable": area.write,
            "hash": head.get("ETag", "").strip('"'),
            "hash_algorithm": "etag",
            # The full key, for the download and the lake browser's actions.
            "key": area.prefix + inner,
        }

    def _directory(self, area: Area, inner: str, content: bool) -> dict[str, Any]:
        model = _folder_model(area, inner)
        if not content:
            return model
        entries: list[dict[str, Any]] = []
        cursor = None
        while len(entries) < MAX_LISTING:
            page = self.objects.list(area.id, inner, cursor, MAX_PAGE_SIZE)
            base = f"{inner}/" if inner else ""
            entries += [_folder_model(area, base + f["name"]) for f in page["folders"]]
            entries += [
                {
                    **self._model(area, base + o["name"], {}, None),
                    "last_modified": _iso(_time(o["last_modified"])),
                    "created": _iso(_time(o["last_modified"])),
                    "size": o["size"],
                    "hash": o["etag"],
                }
                for o in page["objects"]
            ]
            cursor = page["next_cursor"]
            if not cursor:
                break
        model["content"], model["format"] = entries[:MAX_LISTING], "json"
        return model

    def _top(self, content: bool) -> dict[str, Any]:
        model = {**_BLANK_FOLDER, "name": "", "path": "", "writable": False}
        if content:
            models = [_folder_model(a, "") for a in self.settings.areas]
            model["content"], model["format"] = models, "json"
        return model

    def _folder_exists(self, area: Area, prefix: str) -> bool:
        with areas.acting(area, "list"):
            page = self.lake.translated(
                self.lake.client.list_objects_v2, Bucket=area.bucket, Prefix=prefix, MaxKeys=1
            )
        return bool(page.get("KeyCount"))

    # ----- saving back ----------------------------------------------------------------------

    def save(self, path: str, model: object, etag: object, user: str) -> dict[str, Any]:
        """Write a model's content back to its object, only if the object is still the
        version with ``etag`` (an empty one: only if there is no object yet)."""
        area, inner = self.locate(path)
        if area is None or not inner:
            raise Refused(400, "Only an object inside an area can be saved.")
        areas.require_write(area)
        if not isinstance(model, dict) or model.get("type") not in ("file", "notebook"):
            raise Refused(400, 'Expected a model {"type": "file" or "notebook", "content", ...}.')
        if not isinstance(etag, str):
            raise Refused(400, 'Expected "etag": the ETag the document was opened with.')
        key = self._key(area, inner)
        data = _serialised(model, inner)
        if len(data) > self.settings.open_limit:
            raise Refused(
                413,
                f"{inner} would hold {human_bytes(len(data))}; at most "
                f"{human_bytes(self.settings.open_limit)} is saved from JupyterLab.",
            )
        # The check and the write are one step, PutObject's If-Match (If-None-Match: * for a
        # new object), so that nothing written in between can be lost.
        condition = {"IfMatch": if_match(etag, put=True)} if etag else {"IfNoneMatch": "*"}
        try:
            with areas.acting(area, "write"):
                self.lake.translated(
                    self.lake.client.put_object,
                    Bucket=area.bucket,
                    Key=key,
                    Body=data,
                    ContentType=mimetypes.guess_type(inner)[0] or "application/octet-stream",
                    # The writer is the uploader now; the old sha256 and source no longer hold.
                    Metadata={"uploader": user},
                    **condition,
                )
        except LakeError as err:
            # RGW answers 412 for a key gone as for one changed; AWS may answer 404 or 409.
            if not (err.changed or err.not_found or err.code == "ConditionalRequestConflict"):
                raise
            if etag and not self.lake.exists(key, area.bucket):
                raise Refused(
                    412,
                    f"{inner} was deleted from the data lake since you opened it, so it was not "
                    "saved. Save yours under another name, or upload it again.",
                ) from err
            raise Refused(
                412,
                f"{inner} changed in the data lake since you opened it, so it was not saved. "
                "Reload it to see the new version, or save yours under another name.",
            ) from err
        return self.get(path, content=False, type_=model["type"])


# ----- models and their content ---------------------------------------------------------------


_BLANK_FOLDER = {
    "type": "directory",
    "format": None,
    "content": None,
    "mimetype": None,
    "created": _EPOCH.isoformat(),
    "last_modified": _EPOCH.isoformat(),
    "size": None,
    "hash": None,
    "hash_algorithm": None,
}


def _folder_model(area: Area, inner: str) -> dict[str, Any]:
    # S3 keeps no time for a folder, which is only a prefix.
    return {
        **_BLANK_FOLDER,
        "name": inner.rsplit("/", 1)[-1] if inner else area.id,
        "path": f"{area.id}/{inner}" if inner else area.id,
        "writable": area.write,
        "key": area.prefix + (f"{inner}/" if inner else ""),
    }


def _time(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat()


def _encoded(data: bytes, format_: str | None, name: str) -> tuple[str, str]:
    """The content as text where asked for or where it is UTF-8, else as base64: as
    jupyter_server's file manager answers."""
    if format_ != "base64":
        try:
            return data.decode("utf-8"), "text"
        except UnicodeDecodeError as err:
            if format_ == "text":
                raise Refused(400, f"{name} is not UTF-8 text; open it as a binary file.") from err
    return base64.b64encode(data).decode("ascii"), "base64"


def _notebook(data: bytes, name: str) -> dict[str, Any]:
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=nbformat.NO_CONVERT)
    except ValueError as err:  # UnicodeDecodeError and nbformat's NotJSONError too
        raise Refused(400, f"{name} is not a notebook Jupyter can read: {err}") from err
    return notebook


def _serialised(model: dict[str, Any], name: str) -> bytes:
    content = model.get("content")
    if model["type"] == "notebook":
        if not isinstance(content, dict):
            raise Refused(400, "A notebook's content must be a JSON object.")
        try:
            notebook = nbformat.from_dict(content)
            return nbformat.writes(notebook, version=nbformat.NO_CONVERT).encode("utf-8")
        except (ValueError, KeyError, TypeError) as err:
            raise Refused(400, f"{name} is not a notebook Jupyter can write: {err}") from err
    if not isinstance(content, str):
        raise Refused(400, "A file's content must be a string.")
    if model.get("format") == "base64":
        try:
            return base64.b64decode(content, validate=True)
        except ValueError as err:
            raise Refused(400, f"The content of {name} is not base64.") from err
    return content.encode("utf-8")


__all__ = ["LakeContents"]
