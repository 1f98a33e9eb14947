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

import tornado
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler
from jupyter_server.log import _scrub_uri
from jupyter_server.services.contents.handlers import AUTH_RESOURCE
from tornado.log import app_log, gen_log
from tornado.web import HTTPError

from ..errors import LakeError, Refused
from ..home.usage import UsageMonitor
from ..paths import human_bytes
from ..service import DataLakeService, in_thread

# The Authorizer's resources: the data lake is the extension's own, and home is jupyter_server's
# "contents", so that a hub's grant on the Contents API holds here too.
LAKE_RESOURCE = "datalake"
HOME_RESOURCE = AUTH_RESOURCE

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

    @property
    def acting_user(self) -> str:
        """Who is acting, as the lake records it (`uploader`) and the delete-own rule checks
        it. Behind JupyterHub, the hub user of the request: with server sharing, someone
        other than the owner may be working on this server. Elsewhere the identity is an
        anonymous name per browser, so the server's owner is the one known person."""
        user = self.current_user
        if user is not None and getattr(user, "hub_user", None):
            return str(user.username)
        return self.require_settings().settings.username

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

    # ----- refusals -------------------------------------------------------------------------

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
            # The user's S3 policy said no: the request is refused, the lake is not down.
            raise HTTPError(403 if err.denied else 503, message) from err

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


class LakeHandler(DataLakeHandler):
    """A handler of the data lake resource: what is in the bucket, and what moves to or from it."""

    auth_resource = LAKE_RESOURCE
