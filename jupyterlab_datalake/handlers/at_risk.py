"""Places that do not survive a restart: which paths are in them, what sits there, and the
rescue of it into home."""

from __future__ import annotations

import tornado
from jupyter_server.auth.decorator import authorized
from tornado.web import HTTPError

from .base import (
    HOME_RESOURCE,
    MAX_CLASSIFY_PATHS,
    MAX_RESCUE_PATHS,
    DataLakeHandler,
)


class ClassifyHandler(DataLakeHandler):
    """Which of the given absolute paths survive a restart, and why."""

    auth_resource = HOME_RESOURCE

    @tornado.web.authenticated
    @authorized("read")  # a question about paths, asked with a POST body
    async def post(self) -> None:
        paths = await self.json_list("paths", MAX_CLASSIFY_PATHS)
        await self.reply({"paths": await self.require_settings().classify(paths)})


class AtRiskHandler(DataLakeHandler):
    """What sits in non-persistent places and vanishes at restart."""

    auth_resource = HOME_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            top = int(self.get_query_argument("top", "10"))
        except ValueError as err:
            raise HTTPError(400, "top must be a whole number") from err
        service = self.require_settings()
        await self.reply(await service.at_risk(top=max(0, top), refresh=self.flag("refresh")))


class RescueHandler(DataLakeHandler):
    """Move entries from a watched non-persistent place into home."""

    auth_resource = HOME_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        paths = await self.json_list("paths", MAX_RESCUE_PATHS)
        async with self.refusals():
            result = await self.require_settings().rescue(paths)
        await self.reply(result)
