"""Where the server's S3 credentials come from, and the one boto3 session that keeps them fresh.

Platforms give a single-user server its S3 identity in many ways: static keys in the
environment, a profile in a mounted credentials file, a service-account token exchanged at STS
(AssumeRoleWithWebIdentity, which MinIO and Ceph RGW implement), container credentials, or a
``credential_process``. boto3's default chain knows all of them, and for the temporary ones it
returns credentials that refresh themselves before they expire, on the next request that signs
with them. That holds only while the client is built from the session without keys of its own
and nothing copies the keys out, so this module builds the session (with keys only where the
admin gave them), keeps botocore's credential object as it is, and says which source answered,
in words for the status: never the keys themselves.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    InvalidConfigError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    TokenRetrievalError,
    UnknownCredentialError,
)

from ..config import Settings
from ..errors import Connection

log = logging.getLogger(__name__)

# Every way the server can be given credentials, for the hint of a server that has none.
HOW = (
    "Give the server S3 credentials in one of the standard ways: AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY (or c.DataLake.access_key_id and secret_access_key); a profile "
    "(AWS_PROFILE) in AWS_SHARED_CREDENTIALS_FILE, or in AWS_CONFIG_FILE with a "
    "credential_process; AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (for MinIO or Ceph, "
    "also AWS_ENDPOINT_URL_STS set to the S3 endpoint); or container credentials "
    "(AWS_CONTAINER_CREDENTIALS_FULL_URI)."
)

# botocore's name of each source (``Credentials.method``), as the status says it.
_SOURCES = {
    "env": "keys in the environment (AWS_ACCESS_KEY_ID)",
    "shared-credentials-file": "profile {profile} in the shared credentials file",
    "config-file": "profile {profile} in the AWS config file",
    "custom-process": "the credential_process of profile {profile}",
    "assume-role-with-web-identity": "web identity (AssumeRoleWithWebIdentity)",
    "assume-role": "an assumed role of profile {profile} (AssumeRole)",
    "container-role": "container credentials",
    "iam-role": "the instance metadata service",
    "sso": "IAM Identity Center (SSO) of profile {profile}",
}

# Operations botocore calls to obtain credentials: their refusal is about the identity, not
# about the bucket.
_CREDENTIAL_OPERATIONS = {"AssumeRoleWithWebIdentity", "AssumeRole", "GetRoleCredentials"}
_FETCH_ERRORS = (
    CredentialRetrievalError,
    PartialCredentialsError,
    UnknownCredentialError,
    InvalidConfigError,
    TokenRetrievalError,
)
_UNREACHABLE = (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)

# After the chain found nothing, seconds before it is walked again: a status poll should not
# wait for the instance metadata service every few seconds, yet a credentials file mounted
# late is picked up without a restart.
RETRY_AFTER = 30.0


class CredentialSource:
    """The server's boto3 session and the credentials its default chain found."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._session: boto3.Session | None = None
        self._found: Any = None  # botocore's Credentials (Refreshable ones refresh themselves)
        self._retry_at = 0.0

    @property
    def explicit(self) -> bool:
        """Whether the admin gave keys, which then win over every other source."""
        return bool(self.settings.access_key_id and self.settings.secret_access_key)

    @property
    def session(self) -> boto3.Session:
        """The session every client is built from; ProfileNotFound if AWS_PROFILE names no
        profile."""
        with self._lock:
            if self._session is None:
                s = self.settings
                if self.explicit:
                    self._session = boto3.session.Session(
                        aws_access_key_id=s.access_key_id,
                        aws_secret_access_key=s.secret_access_key,
                        aws_session_token=s.session_token,
                        region_name=s.region,
                    )
                else:
                    # No keys: botocore resolves the default chain on first use, and a client
                    # made from this session signs with what it found, refreshing it in time.
                    self._session = boto3.session.Session(region_name=s.region)
                # Clients that botocore makes for itself, STS's for a web identity above all,
                # take this config. Its own default (legacy retries, 5 attempts, backoff up
                # to 8 s) kept a status request waiting ~15 s on an STS endpoint that refuses
                # connections, long enough to time out before saying which setting is wrong.
                self._session._session.set_default_client_config(
                    Config(
                        connect_timeout=s.connect_timeout,
                        retries={"max_attempts": 2, "mode": "standard"},
                    )
                )
            return self._session

    def resolve(self) -> Any:
        """botocore's credentials object, or None when no source has any. A credential process
        or container endpoint is asked here, once; a web identity only at the first request."""
        with self._lock:
            if self._found is not None:
                return self._found
            if time.monotonic() < self._retry_at:
                return None
        session = self.session
        with self._lock:
            if self._found is None:
                # get_credentials() caches what it finds, but walks the chain again each time
                # it found nothing.
                self._found = session.get_credentials()
                if self._found is None:
                    self._retry_at = time.monotonic() + RETRY_AFTER
                    log.warning("jupyterlab-datalake: no S3 credentials found. %s", HOW)
                else:
                    # The source only, for the pod log: which of the ways is in use.
                    log.info("jupyterlab-datalake: S3 credentials from %s", self.label)
            return self._found

    @property
    def label(self) -> str | None:
        """Where the credentials come from, in words, or None before they are found."""
        found = self._found
        if found is None:
            return None
        method = getattr(found, "method", "")
        if method == "explicit":
            if self.settings.access_key_id == os.environ.get("AWS_ACCESS_KEY_ID"):
                return _SOURCES["env"]
            return "keys in the server configuration (c.DataLake.access_key_id)"
        profile = self._session.profile_name if self._session else "default"
        return _SOURCES.get(method, method or "an unknown source").format(profile=repr(profile))

    def problem(self) -> Connection | None:
        """Why the server has no usable credentials, without asking S3; None when it has."""
        try:
            found = self.resolve()
        except (BotoCoreError, ClientError) as err:
            return failure(err, self.settings.endpoint_url) or fetch_failed(str(err))
        if found is None:
            return no_credentials()
        if getattr(found, "method", "") == "assume-role-with-web-identity":
            token_file = os.environ.get("AWS_WEB_IDENTITY_TOKEN_FILE")
            if token_file and not os.access(token_file, os.R_OK):
                # botocore would only fail at the first request, with a bare OSError.
                return Connection(
                    "not-configured",
                    f"The web identity token file {token_file} (AWS_WEB_IDENTITY_TOKEN_FILE) "
                    "cannot be read.",
                    "Check that the token is mounted into the server's pod at that path.",
                )
        return None

    def bad_credentials_hint(self) -> str:
        if self.explicit or self.label is None:
            return (
                "Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; ask your hub admin for "
                "valid keys."
            )
        return f"The credentials come from {self.label}; ask your hub admin to check them."


def no_credentials() -> Connection:
    return Connection(
        "not-configured",
        "The data lake is not configured: no S3 credentials were found (no keys are set, and "
        "no profile, web identity, container endpoint or credential process provides any).",
        HOW,
    )


def fetch_failed(reason: str) -> Connection:
    return Connection(
        "bad-credentials",
        f"The S3 credentials could not be obtained: {reason}",
        "Check the server's credential source (profile, credential_process, web identity or "
        "container endpoint); ask your hub admin.",
    )


def failure(err: Exception, endpoint_url: str | None) -> Connection | None:
    """The Connection for an error that came from obtaining credentials rather than from S3
    itself (a refresh happens inside the request that needs it), or None."""
    if isinstance(err, NoCredentialsError):
        return no_credentials()
    if isinstance(err, ProfileNotFound):
        return Connection(
            "invalid-config",
            f"{err} (AWS_PROFILE).",
            "Set AWS_PROFILE to a profile of AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE, "
            "then restart the server.",
        )
    if isinstance(err, _FETCH_ERRORS):
        return fetch_failed(str(err))
    if isinstance(err, ClientError) and err.operation_name in _CREDENTIAL_OPERATIONS:
        code = err.response.get("Error", {}).get("Code", "") or "an error"
        return Connection(
            "bad-credentials",
            f"The security token service refused to give credentials ({err.operation_name}: "
            f"{code}).",
            "Check AWS_ROLE_ARN, the token in AWS_WEB_IDENTITY_TOKEN_FILE and the role's trust "
            "policy; ask your hub admin.",
        )
    if isinstance(err, _UNREACHABLE):
        url = getattr(err, "kwargs", {}).get("endpoint_url") or ""
        host = urlparse(url).netloc
        if host and host != urlparse(endpoint_url or "").netloc:
            return Connection(
                "unreachable",
                f"The credentials service at {host} does not answer.",
                "For MinIO or Ceph RGW, set AWS_ENDPOINT_URL_STS to the S3 endpoint; otherwise "
                "check that the service is running.",
            )
    return None
