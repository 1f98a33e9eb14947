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
        usage = self.require_usage()
        since = self.get_query_argument("since", None)
        if since is None or self.flag("refresh"):
            reply = await usage.get(refresh=self.flag("refresh"))
        else:
            reply = await usage.poll(_version(since))
        await self.reply(_with_hidden(self, reply))


def _with_hidden(handler: DataLakeHandler, reply: dict) -> dict:
    """The usage reply, with whether the file browser may show hidden paths
    (.ipynb_checkpoints, the trash): "Show" on one then reveals it, or says why it cannot."""
    if reply.get("unchanged"):
        return reply
    allowed = bool(getattr(handler.contents_manager, "allow_hidden", False))
    return {**reply, "hidden_shown": allowed}


def _version(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise tornado.web.HTTPError(
            400, '"since" is the "version" number of an earlier usage reply.'
        )
    return int(text)


class TrashEmptyHandler(DataLakeHandler):
    auth_resource = HOME_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        await self.reply(_with_hidden(self, await self.require_usage().empty_trash()))


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
