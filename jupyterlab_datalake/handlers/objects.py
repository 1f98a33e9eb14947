"""Browsing the lake: one folder level, metadata, deletion and a download to the user's computer."""

from __future__ import annotations

from urllib.parse import quote

import tornado
from jupyter_server.auth.decorator import authorized
from tornado.web import HTTPError

from ..lake.client import CHUNK
from .base import (
    MAX_DELETE_KEYS,
    LakeHandler,
    check_count,
)


class ObjectsHandler(LakeHandler):
    """One page of one folder level of an area."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
            objects = self.require_settings().require_objects()
            try:
                limit = int(self.get_query_argument("limit", "500"))
            except ValueError as err:
                raise HTTPError(400, "limit must be a whole number") from err
            page = await self.datalake.in_lake_thread(
                objects.list,
                self.get_query_argument("area", "shared"),
                self.get_query_argument("prefix", ""),
                # Not "token": Jupyter reads ?token= as its own login token.
                self.get_query_argument("cursor", None),
                limit,
            )
        await self.reply(page)


class ObjectsInfoHandler(LakeHandler):
    """Metadata of a few keys, and whether the user may delete each: {area, keys}."""

    @tornado.web.authenticated
    @authorized("read")  # a question about keys, asked with a POST body
    async def post(self) -> None:
        body = await self.json_body()
        async with self.refusals():
            objects = self.require_settings().require_objects()
            infos = await self.datalake.in_lake_thread(
                objects.info, body.get("area", "shared"), body.get("keys"), self.acting_user
            )
        await self.reply({"objects": infos})


class ObjectsDeleteHandler(LakeHandler):
    """Delete objects and folders: {area, keys}."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = await self.json_body()
        check_count(body.get("keys"), MAX_DELETE_KEYS, "keys")
        async with self.refusals():
            objects = self.require_settings().require_objects()
            result = await self.datalake.in_lake_thread(
                objects.delete, body.get("area", "shared"), body.get("keys"), self.acting_user
            )
        await self.reply(result)


class ObjectDownloadHandler(LakeHandler):
    """An object streamed to the user's computer, a chunk at a time."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
            objects = self.require_settings().require_objects()
            reply = await self.datalake.in_lake_thread(
                objects.open,
                self.get_query_argument("area", "shared"),
                self.get_query_argument("key", ""),
            )
        body = reply["Body"]
        try:
            name = self.get_query_argument("key").rstrip("/").rsplit("/", 1)[-1]
            self.set_header("Content-Type", reply.get("ContentType") or "application/octet-stream")
            self.set_header("Content-Length", str(reply["ContentLength"]))
            self.set_header("Content-Disposition", attachment(name))
            while True:
                chunk = await self.datalake.in_lake_thread(body.read, CHUNK)
                if not chunk:
                    break
                self.write(chunk)
                # Waiting for the client to take each chunk keeps memory at one chunk.
                await self.flush()
        finally:
            body.close()
        await self.finish()


def attachment(name: str) -> str:
    """A Content-Disposition that every browser reads: an ASCII fallback, and the real name
    in RFC 5987 form."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
