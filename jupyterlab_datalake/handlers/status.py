"""The connection state of the lake and of this server, which the status bar polls."""

from __future__ import annotations

import tornado
from jupyter_server.auth.decorator import authorized

from .base import (
    LAKE_RESOURCE,
    DataLakeHandler,
)


class StatusHandler(DataLakeHandler):
    auth_resource = LAKE_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.reply(await self.datalake.status())
