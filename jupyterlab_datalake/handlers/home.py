"""Home's usage, its trash and the room left on its volume: what the Storage panel and the
save guard ask about the persistent home."""

from __future__ import annotations

import tornado
from jupyter_server.auth.decorator import authorized

from ..home.space import free_space_at
from ..service import in_thread
from .base import (
    HOME_RESOURCE,
    DataLakeHandler,
)


class UsageHandler(DataLakeHandler):
    auth_resource = HOME_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.reply(await self.require_usage().get(refresh=self.flag("refresh")))


class TrashEmptyHandler(DataLakeHandler):
    auth_resource = HOME_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        await self.reply(await self.require_usage().empty_trash())


class SpaceHandler(DataLakeHandler):
    """Room left where a file would be saved, for the check before a large save."""

    auth_resource = HOME_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        path = self.get_query_argument("path", "")
        os_path = self.contents_manager._get_os_path(path.strip("/"))
        # statvfs waits for the volume: on a network home that can take a while.
        volume = await in_thread(free_space_at, os_path)
        await self.reply({"path": path, "free": volume.free, "total": volume.total})
