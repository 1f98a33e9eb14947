"""Access to the data lake bucket.

boto3 is synchronous, so every call runs on a small dedicated thread pool: the Jupyter server's
event loop must keep serving the notebook while S3 is slow or down, and a pool of our own keeps
S3 stalls from starving the default executor that jupyter_server itself uses.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from ..config import Settings
from ..errors import Connection, LakeError
from . import timestamps
from .credentials import CredentialSource, failure

T = TypeVar("T")

_UNREACHABLE = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
)
_BAD_CREDENTIALS_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "InvalidClientTokenId",
}
_ACCESS_DENIED_CODES = {"AccessDenied", "403", "Forbidden"}
_NO_BUCKET_CODES = {"NoSuchBucket", "404", "NotFound"}


# How much of an object's body is read at a time, by a download into home and by a download to
# the user's computer: one chunk is what either holds in memory per file.
CHUNK = 4 * 1024 * 1024


# Small S3 requests one call may make in parallel; within the client's connection pool (32).
HEAD_CONCURRENCY = 16


class Lake:
    """The configured bucket, reached through one boto3 client shared by all requests."""

    def __init__(self, settings: Settings, max_workers: int = 8):
        self.settings = settings
        self._executor = ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix="datalake-s3"
        )
        self._client = None
        # The one session of the server: what the credential chain found lives here.
        self.credentials = CredentialSource(settings)

    @property
    def configured(self) -> bool:
        return not self.settings.missing()

    @property
    def client(self):
        # Built on first use: boto3 client creation costs ~100 ms, which server start-up should
        # not pay when the panel is never opened.
        if self._client is None:
            s = self.settings
            try:
                found = self.credentials.resolve() is not None
                session = self.credentials.session
            except (BotoCoreError, ClientError) as err:
                raise LakeError(self.classify(err)) from err
            # Listings' timestamps without dateutil (timestamps.py): most of a page's cost.
            timestamps.use_in(session)
            # No keys here: the client signs with the session's credentials object, which
            # refreshes temporary credentials itself before they expire.
            client = session.client(
                "s3",
                endpoint_url=s.endpoint_url,
                region_name=s.region,
                config=Config(
                    signature_version="s3v4",
                    # MinIO and RGW behind a cluster-internal service name are addressed by path;
                    # virtual-host style would need wildcard DNS that these setups lack.
                    # Over http, botocore would otherwise SHA-256 every body to sign it, and the
                    # gateway would hash it again to check: two more passes over each byte of an
                    # upload on the server's CPU. Every part and file sent carries a Content-MD5,
                    # a signed header that S3 checks, which is what botocore relies on over https;
                    # the assembled object is checked by its ETag, size and SHA-256 afterwards.
                    s3={"addressing_style": "path", "payload_signing_enabled": False},
                    connect_timeout=s.connect_timeout,
                    read_timeout=60,
                    retries={"max_attempts": 2, "mode": "standard"},
                    max_pool_connections=32,
                    # Every part already carries a Content-MD5 that S3 checks, and transfers
                    # verify size, ETag and SHA-256 afterwards; botocore's own CRC32 of each
                    # body would be a third pass over the data on the server's CPU.
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                ),
            )
            if not found:
                # Its requests fail with NoCredentialsError; the next access tries the chain
                # again, so that credentials that appear later are used without a restart.
                return client
            self._client = client
        return self._client

    async def run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking S3 call off the event loop, translating failures into LakeError."""
        loop = asyncio.get_running_loop()
        call = functools.partial(self.translated, func, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    def translated(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call an S3 operation on this thread, translating failures into LakeError."""
        try:
            return func(*args, **kwargs)
        except (ClientError, BotoCoreError) as err:
            code = (
                str(err.response.get("Error", {}).get("Code", ""))
                if isinstance(err, ClientError)
                else ""
            )
            raise LakeError(self.classify(err), code) from err
        except (OSError, RuntimeError) as err:
            # Raised by botocore while refreshing temporary credentials: a web-identity token
            # file gone, or credentials that came back expired. Not a bug of the request.
            raise LakeError(
                Connection(
                    "bad-credentials",
                    f"The S3 credentials could not be renewed: {err}",
                    "Ask your hub admin to check how this server gets its S3 credentials.",
                )
            ) from err

    def each(self, func: Callable[[Any], T], values: list[Any]) -> list[T]:
        """``func`` of every value, HEAD_CONCURRENCY at a time, in order. For one small request
        per value (HeadObject): their time is the round trip, so in series 10,000 of them would
        take a minute where in parallel they take seconds."""
        if len(values) <= 1:
            return [func(value) for value in values]
        workers = min(HEAD_CONCURRENCY, len(values))
        with ThreadPoolExecutor(workers, thread_name_prefix="datalake-head") as pool:
            return list(pool.map(func, values))

    def exists(self, key: str, bucket: str | None = None) -> bool:
        """Whether an object has this key in ``bucket``, else the configured bucket."""
        bucket = bucket or self.settings.bucket
        try:
            self.translated(self.client.head_object, Bucket=bucket, Key=key)
        except LakeError as err:
            if err.not_found:
                return False
            if not err.denied:
                raise
            # S3 answers 403, not 404, for a missing key to whoever lacks ListBucket, and a
            # per-user policy grants ListBucket only with an s3:prefix, which a HEAD lacks.
            # A listing of that prefix is what such a policy allows.
            page = self.translated(
                self.client.list_objects_v2, Bucket=bucket, Prefix=key, MaxKeys=1
            )
            return any(o["Key"] == key for o in page.get("Contents", []))
        return True

    def objects_under(self, prefix: str, bucket: str | None = None) -> Iterator[dict[str, Any]]:
        """Every object whose key starts with ``prefix`` (in ``bucket``, else the configured
        one), page after page of ListObjectsV2, so that no more than one page is held at a
        time; failures as LakeError."""
        request = {"Bucket": bucket or self.settings.bucket, "Prefix": prefix}
        while True:
            page = self.translated(self.client.list_objects_v2, **request)
            yield from page.get("Contents", [])
            if not page.get("IsTruncated"):
                return
            request["ContinuationToken"] = page["NextContinuationToken"]

    def check_configured(self) -> Connection | None:
        """Why the bucket cannot be used without asking it, or None when settings are complete
        and the credential chain found credentials. The first call may run a credential_process
        or ask a container endpoint (once); a web identity is exchanged at the first request."""
        missing = self.settings.missing()
        if missing:
            return Connection(
                "not-configured",
                "The data lake is not configured: " + ", ".join(missing) + " not set.",
                "Ask your hub admin to set AWS_ENDPOINT_URL_S3 and S3 credentials (such as "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_WEB_IDENTITY_TOKEN_FILE "
                "with AWS_ROLE_ARN) for single-user servers (singleuser.extraEnv), "
                "or set c.DataLake.* in jupyter_server_config.py.",
            )
        return self.credentials.problem()

    def classify(self, err: Exception) -> Connection:
        s = self.settings
        host = s.endpoint_host or "the S3 endpoint"
        # A refresh of temporary credentials happens inside the request that needs them.
        credential_failure = failure(err, s.endpoint_url)
        if credential_failure:
            return credential_failure
        if isinstance(err, _UNREACHABLE):
            return Connection(
                "unreachable",
                f"The data lake at {host} does not answer.",
                "Check that the S3 service is running and that AWS_ENDPOINT_URL_S3 is right; "
                "if it is, try again in a minute.",
            )
        if isinstance(err, ClientError):
            error = err.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code in _BAD_CREDENTIALS_CODES:
                return Connection(
                    "bad-credentials",
                    f"The data lake at {host} rejected the credentials ({code}).",
                    self.credentials.bad_credentials_hint(),
                )
            if code in _ACCESS_DENIED_CODES:
                return Connection(
                    "access-denied",
                    f"The data lake refused this to your account ({code}).",
                    "Ask your hub admin to grant your S3 identity access if you need it.",
                )
            if code in _NO_BUCKET_CODES:
                return Connection(
                    "no-such-bucket",
                    f"The bucket {s.bucket} does not exist at {host}.",
                    "Check DATALAKE_BUCKET, or ask your hub admin to create the bucket.",
                )
            return Connection("error", f"The data lake answered with an error: {code or err}.")
        return Connection("error", f"The data lake could not be used: {err}")


MAX_PARTS = 10_000
# The largest object S3 stores (MinIO and Ceph take the same limit).
MAX_OBJECT_SIZE = 5 * 1024**4


def part_size_for(size: int, base: int) -> int:
    """The part size for a file of ``size`` bytes: ``base``, doubled until the file fits in
    S3's 10,000 parts (a 5 TiB object then takes 1 GiB parts)."""
    part = base
    while -(-size // part) > MAX_PARTS:
        part *= 2
    return part


def invalid_config(message: str) -> Connection:
    return Connection(
        "invalid-config",
        message,
        "Fix the setting in jupyter_server_config.py or the environment, then restart the server.",
    )


__all__ = [
    "Connection",
    "Lake",
    "LakeError",
    "invalid_config",
    "part_size_for",
]
