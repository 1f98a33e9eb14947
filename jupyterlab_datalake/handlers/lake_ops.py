"""Working inside the lake: a new folder, copies and moves (rename is a move within a folder),
run as transfers, and share links."""

from __future__ import annotations

import tornado
from jupyter_server.auth.decorator import authorized

from ..service import in_thread
from .base import MAX_TRANSFER_SOURCES, LakeHandler, check_count
from .transfers import TransferHandlerBase


class FolderHandler(LakeHandler):
    """A new, empty folder: {area, prefix, name}."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = await self.json_body()
        async with self.refusals():
            objects = self.require_settings().require_objects()
            made = await self.datalake.in_lake_thread(
                objects.create_folder,
                body.get("area"),
                body.get("prefix", ""),
                body.get("name"),
                self.acting_user,
            )
            await self.reply(made, status=201)


class CopyHandler(TransferHandlerBase):
    """Plan or start a copy or move inside the lake: {operation, area, keys, destination_area,
    prefix, name?, conflict, undeletable?, dry_run?}; the transfer then runs as the others."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = await self.json_body()
        check_count(body.get("keys"), MAX_TRANSFER_SOURCES, "keys")
        manager = self.transfers
        async with self.refusals():
            transfer = await self.datalake.plan_copy(body, self.acting_user)
            transfer.user = self.acting_user
            if body.get("dry_run"):
                await self.reply(await in_thread(manager.plan_json, transfer))
            else:
                await self.reply(await in_thread(manager.start, transfer), status=201)


class ShareHandler(LakeHandler):
    """A presigned GET URL of one object: {area, key, lifetime} (seconds)."""

    @tornado.web.authenticated
    @authorized("read")  # signing gives away what the user may read, nothing more
    async def post(self) -> None:
        body = await self.json_body()
        async with self.refusals():
            sharer = self.require_settings().require_sharer()
            link = await self.datalake.in_lake_thread(
                sharer.link, body.get("area"), body.get("key"), body.get("lifetime")
            )
            await self.reply(link)
