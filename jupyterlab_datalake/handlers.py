"""REST handlers under {base_url}/datalake/: thin adapters over the logic modules.

Every handler is an APIHandler, which gives core Jupyter authentication (token or cookie; a
request without one gets 403, never data) and XSRF checks on state-changing methods.
The API is documented in docs/rest-api.yaml.
"""

from __future__ import annotations

import json

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from .service import DataLakeService
from .usage import UsageMonitor, free_space_at


class DataLakeHandler(APIHandler):
    @property
    def datalake(self) -> DataLakeService:
        return self.settings["datalake"]

    def require_usage(self) -> UsageMonitor:
        usage = self.datalake.usage
        if usage is None:
            raise tornado.web.HTTPError(503, self.datalake.config_error or "Not configured")
        return usage

    def write_json(self, payload, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))


class StatusHandler(DataLakeHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        self.write_json(await self.datalake.status())


class UsageHandler(DataLakeHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        usage = self.require_usage()
        refresh = self.get_query_argument("refresh", "0") not in ("0", "", "false")
        self.write_json(await usage.get(refresh=refresh))


class TrashEmptyHandler(DataLakeHandler):
    @tornado.web.authenticated
    async def post(self) -> None:
        self.write_json(await self.require_usage().empty_trash())


class SpaceHandler(DataLakeHandler):
    """Room left where a file would be saved, for the check before a large save."""

    @tornado.web.authenticated
    def get(self) -> None:
        path = self.get_query_argument("path", "")
        os_path = self.contents_manager._get_os_path(path.strip("/"))
        volume = free_space_at(os_path)
        self.write_json({"path": path, "free": volume.free, "total": volume.total})


def setup_handlers(web_app) -> None:
    base = url_path_join(web_app.settings["base_url"], "datalake")
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "status"), StatusHandler),
            (url_path_join(base, "usage"), UsageHandler),
            (url_path_join(base, "trash", "empty"), TrashEmptyHandler),
            (url_path_join(base, "space"), SpaceHandler),
        ],
    )
