"""REST handlers under {base_url}/datalake/: thin adapters over the logic modules.

Every handler is an APIHandler, which gives core Jupyter authentication (token or cookie; a
request without one gets 403, never data) and XSRF checks on state-changing methods. Every
method is also `@authorized` by jupyter_server's Authorizer, so that a hub that grants some
users only `read` (read-only sharing) is obeyed here as in the Contents API: home is
jupyter_server's `contents` resource and the data lake is the extension's own, `datalake`.

The request layer also keeps any one request from stalling the server for everyone: bodies and
the lists in them are capped (413 with the limit), large bodies are parsed and large replies
encoded on a worker thread, and no log line it writes holds a token or a raw control character.
The API is documented in docs/rest-api.yaml.
"""

from __future__ import annotations

import contextlib
import json
import json.scanner
import unicodedata
from dataclasses import asdict, is_dataclass
from typing import Any
from urllib.parse import quote

import tornado
from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.log import _scrub_uri
from jupyter_server.services.contents.handlers import AUTH_RESOURCE as HOME_RESOURCE
from jupyter_server.utils import url_path_join
from tornado.log import app_log, gen_log
from tornado.web import HTTPError

from .keys import Refused
from .lake import LakeError
from .objects import CHUNK
from .paths import human_bytes
from .persistence import RescueError
from .service import DataLakeService, in_thread
from .transfers import TransferManager
from .usage import UsageMonitor, free_space_at

# The Authorizer's resource for the data lake; home is jupyter_server's own "contents".
LAKE_RESOURCE = "datalake"

# Limits of one request. A body is JSON naming paths or keys: 4 MiB holds 10,000 paths of 400
# bytes, and anything larger is refused before it is parsed.
MAX_BODY = 4 * 1024**2
MAX_CLASSIFY_PATHS = 10_000
MAX_TRANSFER_SOURCES = 10_000  # select the folder instead of its files
MAX_DELETE_KEYS = 10_000
MAX_RESCUE_PATHS = 1_000  # the Storage panel rescues one entry at a time

# json's C parser and encoder hold the GIL, and so the event loop, for the whole call: tens of
# milliseconds for a few MiB. Past these sizes the work goes to a thread, in pieces that let the
# loop in between.
THREADED_BODY = 256 * 1024
THREADED_VALUES = 2_000
RUN = 100


# Every handler streams its body through data_received, which caps it.
@tornado.web.stream_request_body
class DataLakeHandler(APIHandler):
    max_body: int | None = MAX_BODY

    @property
    def datalake(self) -> DataLakeService:
        return self.settings["datalake"]

    def require_settings(self) -> DataLakeService:
        if self.datalake.settings is None:
            raise HTTPError(503, self.datalake.config_error or "Not configured")
        return self.datalake

    def require_usage(self) -> UsageMonitor:
        return self.require_settings().usage

    async def require(self, action: str, resource: str) -> None:
        """A second permission that a request needs besides the one `@authorized` checked
        (a transfer reads one side and writes the other); 403 as jupyter_server words it."""
        allowed = await ensure_async(
            self.authorizer.is_authorized(self, self.current_user, action, resource)
        )
        if not allowed:
            raise HTTPError(403, f"User is not authorized to {action} on resource: {resource}.")

    # ----- the request body ------------------------------------------------------------------

    async def prepare(self) -> None:
        self._body_chunks: list[bytes] = []
        self._body_size = 0
        await super().prepare()

    def data_received(self, chunk: bytes) -> None:
        # The body arrives here as it is read (stream_request_body, below): past max_body
        # nothing more is kept, so an oversized body costs no memory, and reading it is refused.
        self._body_size += len(chunk)
        if self.max_body is None or self._body_size <= self.max_body:
            self._body_chunks.append(chunk)
        else:
            self._body_chunks.clear()

    @property
    def body(self) -> bytes:
        if self.max_body is not None and self._body_size > self.max_body:
            raise HTTPError(
                413,
                f"The request body holds {human_bytes(self._body_size)}; at most "
                f"{human_bytes(self.max_body)} is taken.",
            )
        return b"".join(self._body_chunks)

    async def json_body(self) -> dict:
        raw = self.body
        if len(raw) > THREADED_BODY:
            body = await in_thread(_parse_body, raw, _gil_friendly_decoder())
        else:
            body = _parse_body(raw, _decoder)
        return body

    async def json_list(self, key: str, limit: int) -> list[str]:
        """A list of strings from the JSON body, or a 400 that says what was expected."""
        value = (await self.json_body()).get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise HTTPError(400, f'Expected a JSON body {{"{key}": ["...", ...]}}')
        check_count(value, limit, key)
        return value

    # ----- query arguments and replies --------------------------------------------------------

    def flag(self, name: str) -> bool:
        """A yes/no query argument: `?refresh=1`."""
        return self.get_query_argument(name, "0") not in ("0", "", "false")

    async def reply(self, payload: Any, status: int = 200) -> None:
        if _more_values_than(payload, THREADED_VALUES):
            text = await in_thread(_encode_in_pieces, payload)
        else:
            text = json.dumps(payload, default=_plain)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        await self.finish(text)

    # ----- errors and the log -----------------------------------------------------------------

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, HTTPError) and error.log_message:
            # APIHandler replies with `log_message`, which tornado gives with every % doubled
            # when the message came without format arguments ("a%%2eb"): say it as raised.
            self.finish(json.dumps({"message": error.get_message(), "reason": error.reason}))
            return
        super().write_error(status_code, **kwargs)

    def _request_summary(self) -> str:
        # Tornado's warning for a refused request names its URL, with ?token= if the client
        # put it there: scrubbed the way jupyter_server's access log is.
        extra = self.settings.get("extra_log_scrub_param_keys", [])
        uri = _scrub_uri(self.request.uri, extra)
        return f"{self.request.method} {loggable(uri)} ({self.request.remote_ip})"

    def log_exception(self, typ, value, tb) -> None:
        # As tornado's, but with the message on one line (names are the user's and may hold a
        # newline) and without the request's repr, which holds the URL unscrubbed.
        if isinstance(value, HTTPError):
            message = value.get_message()
            if message:
                gen_log.warning(
                    "%d %s: %s", value.status_code, self._request_summary(), loggable(message)
                )
        else:
            app_log.error(
                "Uncaught exception %s", self._request_summary(), exc_info=(typ, value, tb)
            )


def check_count(values: object, limit: int, what: str) -> None:
    """413 for a list longer than a request may carry; other shapes are for the caller."""
    if isinstance(values, list) and len(values) > limit:
        raise HTTPError(
            413, f"The request names {len(values):,} {what}; at most {limit:,} are taken at once."
        )


def loggable(text: str) -> str:
    """``text`` for one line of the server log: control, format and line-separator characters
    (a newline in a file name, a right-to-left override) written as escapes."""
    if text.isprintable():
        return text
    return "".join(
        c.encode("unicode_escape").decode("ascii")
        if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        else c
        for c in text
    )


# ----- JSON off the event loop ----------------------------------------------------------------

_decoder = json.JSONDecoder()


def _gil_friendly_decoder() -> json.JSONDecoder:
    # The pure-Python scanner (with C for each string) walks arrays and objects in bytecode,
    # so the event loop gets the GIL every few milliseconds while a large body is parsed.
    decoder = json.JSONDecoder()
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder


def _parse_body(raw: bytes, decoder: json.JSONDecoder) -> dict:
    """The body as a JSON object, every string in it one that a path or a key can be."""
    try:
        body = decoder.decode(raw.decode("utf-8")) if raw.strip() else {}
    except ValueError:  # UnicodeDecodeError and JSONDecodeError alike
        body = None
    if not isinstance(body, dict):
        raise HTTPError(400, "Expected a JSON object as the body")
    stack: list[Any] = [body]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            _check_text(value)
    return body


def _check_text(text: str) -> None:
    # No file name holds NUL, and the system cannot even be asked about one (ValueError:
    # embedded null byte); a lone surrogate is not a character at all.
    if "\0" in text:
        raise HTTPError(400, f"{text!r} holds a NUL character, which no file name or key can.")
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as err:
        raise HTTPError(400, f"{text!r} holds text that is not a character.") from err


def _more_values_than(payload: Any, limit: int) -> bool:
    """Whether ``payload`` holds more than ``limit`` values; stops counting past it."""
    stack = [payload]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            limit -= len(value)
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            limit -= len(value)
            stack.extend(value)
        elif is_dataclass(value):
            limit -= 1 + len(vars(value))
        if limit < 0:
            return True
    return False


def _encode_in_pieces(value: Any) -> str:
    """``json.dumps(value)``, as one C call per small piece rather than one for the whole: a
    long list goes in runs of ``RUN`` elements, each run in one call if it is small."""
    if not _more_values_than(value, THREADED_VALUES):
        return json.dumps(value, default=_plain)
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        members = (f"{json.dumps(str(k))}: {_encode_in_pieces(v)}" for k, v in value.items())
        return "{" + ", ".join(members) + "}"
    if len(value) > RUN:
        pieces = (_encode_in_pieces(value[i : i + RUN])[1:-1] for i in range(0, len(value), RUN))
    else:
        pieces = (_encode_in_pieces(v) for v in value)
    return "[" + ", ".join(pieces) + "]"


def _plain(value: Any) -> Any:
    # Results of the logic modules are dataclasses; they are converted where they are encoded,
    # on the worker thread for a large reply.
    if is_dataclass(value):
        return asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# ----- home ------------------------------------------------------------------------------------


class StatusHandler(DataLakeHandler):
    auth_resource = LAKE_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.reply(await self.datalake.status())


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
        try:
            result = await self.require_settings().rescue(paths)
        except RescueError as err:
            raise HTTPError(err.status, str(err)) from err
        await self.reply(result)


# ----- the data lake ---------------------------------------------------------------------------


def transfer_rights(direction: object) -> list[tuple[str, str]]:
    """What a transfer needs besides reading the lake: an upload reads home and writes the
    lake, a download writes home."""
    if direction == "download":
        return [("write", HOME_RESOURCE)]
    return [("write", LAKE_RESOURCE), ("read", HOME_RESOURCE)]


class TransferHandlerBase(DataLakeHandler):
    auth_resource = LAKE_RESOURCE

    @property
    def transfers(self) -> TransferManager:
        try:
            return self.require_settings().require_transfers()
        except Refused as err:
            raise HTTPError(err.status, str(err)) from err

    async def require_transfer_rights(self, direction: object) -> None:
        for action, resource in transfer_rights(direction):
            await self.require(action, resource)

    @contextlib.asynccontextmanager
    async def refusals(self):
        """Refusals of the logic modules and failures of S3 as HTTP errors with their human
        message; a 409 also carries the plan, so that the UI can ask about clashes. Any other
        exception is a bug, and a 500."""
        try:
            yield
        except Refused as err:
            if err.plan is None:
                raise HTTPError(err.status, str(err)) from err
            await self.reply({"message": str(err), "plan": err.plan}, status=err.status)
        except LakeError as err:
            message = f"{err.connection.message} {err.connection.hint}".strip()
            raise HTTPError(503, message) from err


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
            transfer = await self.datalake.plan_transfer(body)
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
            if transfer.items[0].exists and transfer.conflict == "ask":
                self.transfers.start(transfer)  # raises the 409 with the plan
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


class ObjectsHandler(TransferHandlerBase):
    """One page of one folder level of an area."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
            objects = self.require_settings().require_objects()
            try:
                limit = int(self.get_query_argument("limit", "500"))
            except ValueError as err:
                raise HTTPError(400, "limit must be a whole number") from err
            page = await self.datalake.in_lake_thread(
                objects.list,
                self.get_query_argument("area", "shared"),
                self.get_query_argument("prefix", ""),
                # Not "token": Jupyter reads ?token= as its own login token.
                self.get_query_argument("cursor", None),
                limit,
            )
        await self.reply(page)


class ObjectsInfoHandler(TransferHandlerBase):
    """Metadata of a few keys, and whether the user may delete each: {area, keys}."""

    @tornado.web.authenticated
    @authorized("read")  # a question about keys, asked with a POST body
    async def post(self) -> None:
        body = await self.json_body()
        async with self.refusals():
            objects = self.require_settings().require_objects()
            infos = await self.datalake.in_lake_thread(
                objects.info, body.get("area", "shared"), body.get("keys")
            )
        await self.reply({"objects": infos})


class ObjectsDeleteHandler(TransferHandlerBase):
    """Delete objects and folders: {area, keys}."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        body = await self.json_body()
        check_count(body.get("keys"), MAX_DELETE_KEYS, "keys")
        async with self.refusals():
            objects = self.require_settings().require_objects()
            result = await self.datalake.in_lake_thread(
                objects.delete, body.get("area", "shared"), body.get("keys")
            )
        await self.reply(result)


class ObjectDownloadHandler(TransferHandlerBase):
    """An object streamed to the user's computer, a chunk at a time."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        async with self.refusals():
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
        await self.finish()


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
