"""Transfers between home and the lake: the list, one transfer, its cancel and its retry."""

from __future__ import annotations

from typing import Any

import tornado
from jupyter_server.auth.decorator import authorized
from tornado.web import HTTPError

from ..errors import Refused
from ..service import in_thread
from ..transfers.manager import TransferManager
from .base import (
    HOME_RESOURCE,
    LAKE_RESOURCE,
    MAX_TRANSFER_SOURCES,
    LakeHandler,
    check_count,
)


def transfer_rights(direction: object) -> list[tuple[str, str]]:
    """What a transfer needs besides reading the lake: an upload reads home and writes the
    lake, a download writes home."""
    if direction == "download":
        return [("write", HOME_RESOURCE)]
    if direction in ("copy", "move"):  # inside the lake: home is not involved
        return [("write", LAKE_RESOURCE)]
    return [("write", LAKE_RESOURCE), ("read", HOME_RESOURCE)]


def transfer_request(body: dict[str, Any]) -> tuple[str, list[str], str, str, str]:
    """What a POST body asks for: (direction, sources, area, where, conflict). Uploads from
    home by default, into ``prefix``; downloads with ``"direction": "download"``, into the home
    folder ``destination``."""
    sources = body.get("sources")
    if not isinstance(sources, list) or not sources:
        raise Refused(400, 'Expected "sources": a list of paths or keys.')
    area, conflict = body.get("area", "mine"), body.get("conflict", "ask")
    direction = body.get("direction", "upload")
    if direction not in ("upload", "download"):
        raise Refused(400, f'"direction" is "upload" or "download", not {direction!r}.')
    where = body.get("destination", "") if direction == "download" else body.get("prefix") or ""
    return direction, sources, area, where, conflict


class TransferHandlerBase(LakeHandler):
    """A handler that needs the transfer manager, which exists once S3 is configured."""

    @property
    def transfers(self) -> TransferManager:
        try:
            return self.require_settings().require_transfers()
        except Refused as err:
            raise HTTPError(err.status, str(err)) from err

    async def require_transfer_rights(self, direction: object) -> None:
        for action, resource in transfer_rights(direction):
            await self.require(action, resource)


class TransfersHandler(TransferHandlerBase):
    """The list of transfers; POST plans or starts one."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.reply({"transfers": await in_thread(self.transfers.list)})

    @tornado.web.authenticated
    @authorized("read")  # and what the direction needs, below
    async def post(self) -> None:
        body = await self.json_body()
        check_count(body.get("sources"), MAX_TRANSFER_SOURCES, "sources")
        await self.require_transfer_rights(body.get("direction", "upload"))
        manager = self.transfers
        async with self.refusals():
            transfer = await self.datalake.plan_transfer(*transfer_request(body))
            transfer.user = self.acting_user
            if body.get("dry_run"):
                await self.reply(await in_thread(manager.plan_json, transfer))
            else:
                await self.reply(await in_thread(manager.start, transfer), status=201)

    @tornado.web.authenticated
    @authorized
    async def delete(self) -> None:
        await self.reply({"removed": await in_thread(self.transfers.clear)})


class TransferHandler(TransferHandlerBase):
    @tornado.web.authenticated
    @authorized
    async def get(self, transfer_id: str) -> None:
        async with self.refusals():
            await self.reply(await in_thread(self.transfers.get, transfer_id))

    @tornado.web.authenticated
    @authorized("read")  # and the write its direction needs, below
    async def delete(self, transfer_id: str) -> None:
        manager = self.transfers
        async with self.refusals():
            await self.require_transfer_rights(await _direction(manager, transfer_id))
            # Cancelling an upload from the browser aborts it on S3 at once.
            cancelled = await self.datalake.in_lake_thread(manager.cancel_or_remove, transfer_id)
        if cancelled is None:
            self.set_status(204)
            await self.finish()
        else:
            await self.reply(cancelled, status=202)


class TransferRetryHandler(TransferHandlerBase):
    @tornado.web.authenticated
    @authorized("read")  # and what its direction needs, below
    async def post(self, transfer_id: str) -> None:
        manager = self.transfers
        async with self.refusals():
            await self.require_transfer_rights(await _direction(manager, transfer_id))
            await self.reply(await in_thread(manager.retry, transfer_id))


async def _direction(manager: TransferManager, transfer_id: str) -> str:
    return (await in_thread(manager.get, transfer_id))["direction"]
