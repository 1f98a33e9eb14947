"""A look inside one object without downloading it (lake/preview.py)."""

from __future__ import annotations

import tornado
from jupyter_server.auth.decorator import authorized

from ..lake.preview import Previews
from .base import LakeHandler


class ObjectPreviewHandler(LakeHandler):
    """The metadata and a bounded preview of one object: ?area=&key=."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
            previews = Previews(self.require_settings().require_objects())
            reply = await self.datalake.in_lake_thread(
                previews.preview,
                self.get_query_argument("area", "shared"),
                self.get_query_argument("key", ""),
                self.acting_user,
            )
        await self.reply(reply)
