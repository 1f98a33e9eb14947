"""REST handlers under {base_url}/datalake/: thin adapters over the logic modules.

Every handler is an APIHandler, which gives core Jupyter authentication (token or cookie; a
request without one gets 403, never data) and XSRF checks on state-changing methods.
The API is documented in docs/rest-api.yaml.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict
from urllib.parse import quote

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from .keys import Refused
from .lake import LakeError
from .objects import CHUNK
from .persistence import RescueError
from .service import DataLakeService
from .transfers import TransferManager
from .usage import UsageMonitor, free_space_at


class DataLakeHandler(APIHandler):
    @property
    def datalake(self) -> DataLakeService:
        return self.settings["datalake"]

    def require_settings(self) -> DataLakeService:
        if self.datalake.settings is None:
            raise tornado.web.HTTPError(503, self.datalake.config_error or "Not configured")
        return self.datalake

    def json_list(self, key: str) -> list[str]:
        """A list of strings from the JSON body, or a 400 that says what was expected."""
        try:
            value = json.loads(self.request.body or b"{}").get(key)
        except (ValueError, AttributeError):
            value = None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise tornado.web.HTTPError(400, f'Expected a JSON body {{"{key}": ["...", ...]}}')
        return value

    def json_body(self) -> dict:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise tornado.web.HTTPError(400, "Expected a JSON object as the body")
        return body

    def require_usage(self) -> UsageMonitor:
        return self.require_settings().usage

    def flag(self, name: str) -> bool:
        """A yes/no query argument: `?refresh=1`."""
        return self.get_query_argument(name, "0") not in ("0", "", "false")

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
        self.write_json(await self.require_usage().get(refresh=self.flag("refresh")))


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


class ClassifyHandler(DataLakeHandler):
    """Which of the given absolute paths survive a restart, and why."""

    @tornado.web.authenticated
    async def post(self) -> None:
        paths = self.json_list("paths")
        results = await self.require_settings().classify(paths)
        self.write_json({"paths": [asdict(r) for r in results]})


class AtRiskHandler(DataLakeHandler):
    """What sits in non-persistent places and vanishes at restart."""

    @tornado.web.authenticated
    async def get(self) -> None:
        try:
            top = int(self.get_query_argument("top", "10"))
        except ValueError as err:
            raise tornado.web.HTTPError(400, "top must be a whole number") from err
        service = self.require_settings()
        self.write_json(await service.at_risk(top=max(0, top), refresh=self.flag("refresh")))


class RescueHandler(DataLakeHandler):
    """Move entries from a watched non-persistent place into home."""

    @tornado.web.authenticated
    async def post(self) -> None:
        paths = self.json_list("paths")
        try:
            self.write_json(await self.require_settings().rescue(paths))
        except RescueError as err:
            raise tornado.web.HTTPError(err.status, str(err)) from err


class TransferHandlerBase(DataLakeHandler):
    @property
    def transfers(self) -> TransferManager:
        with self.refusals():
            return self.require_settings().require_transfers()

    @contextlib.contextmanager
    def refusals(self):
        """Refusals of the transfer manager and failures of S3 as HTTP errors with their
        human message; a 409 also carries the plan, so that the UI can ask about clashes."""
        try:
            yield
        except Refused as err:
            if err.plan is None:
                raise tornado.web.HTTPError(err.status, str(err)) from err
            self.write_json({"message": str(err), "plan": err.plan}, status=err.status)
        except LakeError as err:
            message = f"{err.connection.message} {err.connection.hint}".strip()
            raise tornado.web.HTTPError(503, message) from err
        except ValueError as err:
            raise tornado.web.HTTPError(400, str(err)) from err


class TransfersHandler(TransferHandlerBase):
    """The list of transfers; POST plans or starts one."""

    @tornado.web.authenticated
    def get(self) -> None:
        self.write_json({"transfers": self.transfers.list()})

    @tornado.web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        manager = self.transfers
        with self.refusals():
            transfer = await self.datalake.plan_transfer(body)
            if body.get("dry_run"):
                self.write_json(manager.plan_json(transfer))
            else:
                self.write_json(manager.start(transfer), status=201)

    @tornado.web.authenticated
    def delete(self) -> None:
        self.write_json({"removed": self.transfers.clear()})


class TransferHandler(TransferHandlerBase):
    @tornado.web.authenticated
    def get(self, transfer_id: str) -> None:
        with self.refusals():
            self.write_json(self.transfers.get(transfer_id))

    @tornado.web.authenticated
    async def delete(self, transfer_id: str) -> None:
        manager = self.transfers
        with self.refusals():
            # Cancelling an upload from the browser aborts it on S3 at once.
            cancelled = await self.datalake.in_lake_thread(manager.cancel_or_remove, transfer_id)
        if cancelled is None:
            self.set_status(204)
            self.finish()
        else:
            self.write_json(cancelled, status=202)


class TransferRetryHandler(TransferHandlerBase):
    @tornado.web.authenticated
    def post(self, transfer_id: str) -> None:
        with self.refusals():
            self.write_json(self.transfers.retry(transfer_id))


class BrowserUploadsHandler(TransferHandlerBase):
    """Open an upload from the user's computer: {area, prefix, name, size, conflict}."""

    @tornado.web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        uploads = self.transfers.browser
        with self.refusals():
            transfer = await self.datalake.in_lake_thread(
                uploads.plan,
                body.get("area", "mine"),
                body.get("prefix") or "",
                body.get("name"),
                body.get("size"),
                body.get("conflict", "ask"),
            )
            if transfer.items[0].exists and transfer.conflict == "ask":
                self.transfers.start(transfer)  # raises the 409 with the plan
            self.write_json(await self.datalake.in_lake_thread(uploads.start, transfer), 201)


class BrowserUploadPartHandler(TransferHandlerBase):
    """One part of the file, as the raw request body; parts are numbered from 1, in order."""

    @tornado.web.authenticated
    async def put(self, transfer_id: str, number: str) -> None:
        uploads = self.transfers.browser
        with self.refusals():
            self.write_json(
                await self.datalake.in_lake_thread(
                    uploads.part, transfer_id, int(number), self.request.body
                )
            )


class BrowserUploadCompleteHandler(TransferHandlerBase):
    @tornado.web.authenticated
    async def post(self, transfer_id: str) -> None:
        uploads = self.transfers.browser
        with self.refusals():
            self.write_json(await self.datalake.in_lake_thread(uploads.complete, transfer_id))


class ObjectsHandler(TransferHandlerBase):
    """One page of one folder level of an area."""

    @tornado.web.authenticated
    async def get(self) -> None:
        with self.refusals():
            objects = self.require_settings().require_objects()
            try:
                limit = int(self.get_query_argument("limit", "500"))
            except ValueError as err:
                raise tornado.web.HTTPError(400, "limit must be a whole number") from err
            page = await self.datalake.in_lake_thread(
                objects.list,
                self.get_query_argument("area", "shared"),
                self.get_query_argument("prefix", ""),
                # Not "token": Jupyter reads ?token= as its own login token.
                self.get_query_argument("cursor", None),
                limit,
            )
        self.write_json(page)


class ObjectsInfoHandler(TransferHandlerBase):
    """Metadata of a few keys, and whether the user may delete each: {area, keys}."""

    @tornado.web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        with self.refusals():
            objects = self.require_settings().require_objects()
            infos = await self.datalake.in_lake_thread(
                objects.info, body.get("area", "shared"), body.get("keys")
            )
        self.write_json({"objects": infos})


class ObjectsDeleteHandler(TransferHandlerBase):
    """Delete objects and folders: {area, keys}."""

    @tornado.web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        with self.refusals():
            objects = self.require_settings().require_objects()
            result = await self.datalake.in_lake_thread(
                objects.delete, body.get("area", "shared"), body.get("keys")
            )
        self.write_json(result)


class ObjectDownloadHandler(TransferHandlerBase):
    """An object streamed to the user's computer, a chunk at a time."""

    @tornado.web.authenticated
    async def get(self) -> None:
        with self.refusals():
            objects = self.require_settings().require_objects()
            reply = await self.datalake.in_lake_thread(
                objects.open,
                self.get_query_argument("area", "shared"),
                self.get_query_argument("key", ""),
            )
        body = reply["Body"]
        try:
            name = self.get_query_argument("key").rstrip("/").rsplit("/", 1)[-1]
            self.set_header("Content-Type", reply.get("ContentType") or "application/octet-stream")
            self.set_header("Content-Length", str(reply["ContentLength"]))
            self.set_header("Content-Disposition", attachment(name))
            while True:
                chunk = await self.datalake.in_lake_thread(body.read, CHUNK)
                if not chunk:
                    break
                self.write(chunk)
                # Waiting for the client to take each chunk keeps memory at one chunk.
                await self.flush()
        finally:
            body.close()
        self.finish()


def attachment(name: str) -> str:
    """A Content-Disposition that every browser reads: an ASCII fallback, and the real name
    in RFC 5987 form."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


_ID = r"([0-9a-f]{16})"


def setup_handlers(web_app) -> None:
    base = url_path_join(web_app.settings["base_url"], "datalake")
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "status"), StatusHandler),
            (url_path_join(base, "usage"), UsageHandler),
            (url_path_join(base, "trash", "empty"), TrashEmptyHandler),
            (url_path_join(base, "space"), SpaceHandler),
            (url_path_join(base, "paths", "classify"), ClassifyHandler),
            (url_path_join(base, "at-risk"), AtRiskHandler),
            (url_path_join(base, "rescue"), RescueHandler),
            (url_path_join(base, "transfers"), TransfersHandler),
            (url_path_join(base, "transfers", _ID), TransferHandler),
            (url_path_join(base, "transfers", _ID, "retry"), TransferRetryHandler),
            (url_path_join(base, "uploads"), BrowserUploadsHandler),
            (url_path_join(base, "uploads", _ID, r"(\d+)"), BrowserUploadPartHandler),
            (url_path_join(base, "uploads", _ID, "complete"), BrowserUploadCompleteHandler),
            (url_path_join(base, "objects"), ObjectsHandler),
            (url_path_join(base, "objects", "info"), ObjectsInfoHandler),
            (url_path_join(base, "objects", "delete"), ObjectsDeleteHandler),
            (url_path_join(base, "objects", "download"), ObjectDownloadHandler),
        ],
    )
