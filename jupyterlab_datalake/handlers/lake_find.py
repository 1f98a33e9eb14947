"""Reading a folder of the lake as a whole: the Trino table over it, and a search by name of
everything below it. Both only read (list, ranged GETs) under the area's rules."""

from __future__ import annotations

import tornado
from jupyter_server.auth.decorator import authorized
from tornado.web import HTTPError

from .base import LakeHandler


class TableHandler(LakeHandler):
    """The CREATE TABLE statement that lets Trino read a folder: ?area=&prefix=&name=."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
            tables = self.require_settings().require_tables()
            table = await self.datalake.in_lake_thread(
                tables.statement,
                self.get_query_argument("area", "shared"),
                self.get_query_argument("prefix", ""),
                self.get_query_argument("name", None),
            )
        await self.reply(table)


class SearchHandler(LakeHandler):
    """One step of a search below a folder: ?area=&prefix=&q=&cursor=&bound=."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
            search = self.require_settings().require_search()
            try:
                bound = int(self.get_query_argument("bound", "0")) or None
            except ValueError as err:
                raise HTTPError(400, "bound must be a whole number") from err
            args = [
                self.get_query_argument("area", "shared"),
                self.get_query_argument("prefix", ""),
                self.get_query_argument("q", ""),
                self.get_query_argument("cursor", None),
            ]
            step = await self.datalake.in_lake_thread(
                search.step, *args, *([bound] if bound else [])
            )
        await self.reply(step)
