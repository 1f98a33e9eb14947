"""Uploads from the user's computer through the browser, a part at a time."""

from __future__ import annotations

import tornado
from jupyter_server.auth.decorator import authorized

from .transfers import TransferHandlerBase


class BrowserUploadsHandler(TransferHandlerBase):
    """Open an upload from the user's computer: {area, prefix, name, size, conflict}."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = await self.json_body()
        uploads = self.transfers.browser
        async with self.refusals():
            transfer = await self.datalake.in_lake_thread(
                uploads.plan,
                body.get("area", "mine"),
                body.get("prefix") or "",
                body.get("name"),
                body.get("size"),
                body.get("conflict", "ask"),
            )
            transfer.user = self.acting_user
            if transfer.items[0].exists and transfer.conflict == "ask":
                self.transfers.refuse_clashes(transfer)
            await self.reply(await self.datalake.in_lake_thread(uploads.start, transfer), 201)


class BrowserUploadPartHandler(TransferHandlerBase):
    """One part of the file, as the raw request body; parts are numbered from 1, in order."""

    # A part is as large as the upload's part size; the server's max_body_size bounds it.
    max_body = None

    @tornado.web.authenticated
    @authorized
    async def put(self, transfer_id: str, number: str) -> None:
        uploads = self.transfers.browser
        async with self.refusals():
            await self.reply(
                await self.datalake.in_lake_thread(
                    uploads.part, transfer_id, int(number), self.body
                )
            )


class BrowserUploadCompleteHandler(TransferHandlerBase):
    @tornado.web.authenticated
    @authorized
    async def post(self, transfer_id: str) -> None:
        uploads = self.transfers.browser
        async with self.refusals():
            await self.reply(await self.datalake.in_lake_thread(uploads.complete, transfer_id))
