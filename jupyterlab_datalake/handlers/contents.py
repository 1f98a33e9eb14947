"""Lake objects and folders as Jupyter contents models, for the frontend's `datalake:` drive:
read one, and save one back on the condition that it is still the version opened."""

from __future__ import annotations

import json

import tornado
from jupyter_server.auth.decorator import authorized

from ..service import in_thread
from .base import MAX_BODY, LakeHandler


class ContentsHandler(LakeHandler):
    """GET ?path=<area>/<path>&content=1&type=&format=: the model; PUT {path, etag, model}:
    save it back, 412 when the object changed since ``etag``."""

    @property
    def max_body(self) -> int:  # type: ignore[override]
        # A saved document is as large as what may be opened, base64 or JSON-escaped.
        settings = self.datalake.settings
        limit = settings.open_limit if settings else 0
        return limit * 4 // 3 + MAX_BODY

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
            contents = self.require_settings().require_contents()
            model = await self.datalake.in_lake_thread(
                contents.get,
                self.get_query_argument("path", ""),
                self.get_query_argument("content", "1") not in ("0", "false"),
                self.get_query_argument("type", None) or None,
                self.get_query_argument("format", None) or None,
            )
        # A document of up to open_limit, encoded off the event loop: tens of milliseconds.
        text = await in_thread(json.dumps, model)
        self.set_header("Content-Type", "application/json")
        await self.finish(text)

    @tornado.web.authenticated
    @authorized
    async def put(self) -> None:
        body = await self.json_body()
        async with self.refusals():
            contents = self.require_settings().require_contents()
            model = await self.datalake.in_lake_thread(
                contents.save,
                body.get("path", ""),
                body.get("model"),
                body.get("etag"),
                self.acting_user,
            )
        await self.reply(model)
