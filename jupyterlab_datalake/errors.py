"""The one refusal type: every module that turns a request down raises ``Refused`` with the HTTP
status to answer and a message written for the user, and ``handlers.base`` maps it to the reply.

Before this module the key rules, the rescue and the filesystem primitives each had their own
exception of the same shape, and each handler had to know all of them (``safefs.Unsafe``, a
link or a file on the way, is a kind of ``Refused``). A failure of S3 is not a refusal (the
request was fine; the lake is not): it is ``LakeError``, which carries the shared connection
state (``Connection``, also what /datalake/status reports) instead of a status.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class Refused(Exception):
    """A request refused before anything changed (or, for a rescue, with what was kept said in
    the message); ``status`` is its HTTP status. ``plan`` goes with a 409 about clashes, so
    that the UI can ask what to do."""

    def __init__(self, status: int, message: str, plan: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.plan = plan

    @property
    def message(self) -> str:
        return str(self)


# ----- S3 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    """Whether the bucket can be used, and if not, why and what to do about it."""

    state: str  # ok | not-configured | invalid-config | unreachable | bad-credentials |
    #              access-denied | no-such-bucket | error
    message: str
    hint: str = ""

    def to_json(self) -> dict[str, str]:
        return asdict(self)


class LakeError(Exception):
    """An S3 failure translated into a state the user can act on; ``code`` is S3's error code
    where it sent one."""

    def __init__(self, connection: Connection, code: str = ""):
        super().__init__(connection.message)
        self.connection = connection
        self.code = code

    @property
    def not_found(self) -> bool:
        """The key (not the bucket) does not exist: HEAD answers a bare 404."""
        return self.code in ("404", "NoSuchKey", "NotFound")

    @property
    def changed(self) -> bool:
        """An If-Match precondition failed: the object is no longer the version it was
        (a HEAD or a ranged GET answers a bare 412)."""
        return self.code in ("PreconditionFailed", "412")

    @property
    def denied(self) -> bool:
        """S3 refused this to the user's identity (its policy), not the lake failing."""
        return self.connection.state == "access-denied"
