"""Server-side configuration: the ``c.DataLake.*`` traitlets and their environment fallbacks.

A hub admin usually configures single-user servers through environment variables
(``singleuser.extraEnv`` in zero-to-jupyterhub), so every setting that an admin is likely to
change falls back to an environment variable, and the AWS ones honour the names that every S3
tool already understands.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from traitlets import Integer, List, TraitError, Unicode, Union, default
from traitlets.config import Configurable

_UNITS = {
    "": 1,
    "k": 1000,
    "m": 1000**2,
    "g": 1000**3,
    "t": 1000**4,
    "ki": 1024,
    "mi": 1024**2,
    "gi": 1024**3,
    "ti": 1024**4,
}
# Kubernetes quantities (5Gi, 500Mi, 5G) are what admins copy from the PVC spec; a trailing
# "B" is tolerated because people write "5GiB" when they mean the same thing.
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?)?b?\s*$", re.IGNORECASE)


class ConfigError(ValueError):
    """A setting has a value the extension cannot use; the message names the setting."""


def parse_size(value: str | int) -> int:
    """Bytes from ``5368709120``, ``5Gi``, ``500Mi`` or ``5G``; ValueError on anything else."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a size")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"{value!r} is not a positive size")
        return value
    match = _SIZE_RE.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a size (use bytes, or a quantity like 5Gi or 500Mi)")
    number, unit = match.groups()
    size = int(float(number) * _UNITS[(unit or "").lower()])
    if size <= 0:
        raise ValueError(f"{value!r} is not a positive size")
    return size


def validate_endpoint(value: str) -> str:
    """An S3 endpoint must be an absolute http(s) URL; boto3's own error for a typo is obscure."""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"{value!r} is not an http:// or https:// URL")
    try:
        parsed.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as err:
        raise ValueError(f"{value!r} has an invalid port") from err
    return value.rstrip("/")


def _relative_folder(value: str) -> str:
    parts = value.strip("/").split("/")
    if not value.strip("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"{value!r} is not a folder name inside home")
    return "/".join(parts)


# S3 refuses parts below 5 MiB (but the last) and above 5 GiB.
_MIN_PART = 5 * 1024**2
_MAX_PART = 5 * 1024**3


def _part_size(value: str | int) -> int:
    size = parse_size(value)
    if not _MIN_PART <= size <= _MAX_PART:
        raise ValueError(f"{value!r} is not between 5Mi and 5Gi, the part sizes S3 accepts")
    return size


def validate_bucket(value: str) -> str:
    value = value.strip()
    # The S3 bucket naming rules, short form: 3-63 chars of lowercase letters, digits, . and -.
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", value):
        raise ValueError(f"{value!r} is not a valid bucket name")
    return value


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


# What an area may allow; the two delete rules exclude each other.
_RIGHTS = ("read", "write", "delete-own", "delete-any")
_AREA_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")


@dataclass(frozen=True)
class Area:
    """A part of the lake a user works in: a bucket, a key prefix (the user's name filled in),
    and what the extension lets a user do there. S3's own policy is the first line; these
    rights are the second, and say what the UI offers."""

    id: str
    title: str
    bucket: str
    prefix: str
    read: bool
    write: bool
    delete: str  # "any", "own" or "none"

    @property
    def uri(self) -> str:
        return f"s3a://{self.bucket}/{self.prefix}"


def default_areas(user_prefix: str, shared_prefix: str) -> list[dict]:
    """Today's two areas: the user's own, where everything is theirs, and one shared by all,
    where a user deletes only what they uploaded."""
    return [
        {"id": "mine", "title": "My area", "prefix": user_prefix,
         "allow": ["read", "write", "delete-any"]},
        {"id": "shared", "title": "Shared", "prefix": shared_prefix,
         "allow": ["read", "write", "delete-own"]},
    ]  # fmt: skip


def parse_areas(value: object, bucket: str, username: str) -> tuple[Area, ...]:
    """Areas from ``c.DataLake.areas`` or ``$DATALAKE_AREAS`` (the same list as JSON); a
    ValueError names the first wrong entry and field."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as err:
            raise ValueError(f"is not JSON: {err}") from err
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of areas")
    areas: list[Area] = []
    for n, entry in enumerate(value, 1):
        where = f"area {n}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where} is not an object with id, title, prefix and allow")
        unknown = set(entry) - {"id", "title", "prefix", "bucket", "allow"}
        if unknown:
            raise ValueError(f"{where} has unknown fields: {', '.join(sorted(unknown))}")
        area_id = entry.get("id")
        if not isinstance(area_id, str) or not _AREA_ID.fullmatch(area_id):
            raise ValueError(f"{where}: id must be 1-32 of a-z, 0-9 and -, not {area_id!r}")
        where = f"area {area_id!r}"
        if any(a.id == area_id for a in areas):
            raise ValueError(f"{where} is listed twice")
        prefix = entry.get("prefix")
        if not isinstance(prefix, str):
            raise ValueError(f"{where}: prefix must be text, such as 'raw/'")
        try:
            prefix = _prefix(prefix.replace("{username}", username))
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from err
        if not prefix:
            raise ValueError(f"{where}: the prefix may not be empty (the whole bucket)")
        allow = entry.get("allow", ["read"])
        if not isinstance(allow, list) or not set(allow) <= set(_RIGHTS):
            raise ValueError(f"{where}: allow must list some of {', '.join(_RIGHTS)}")
        if {"delete-own", "delete-any"} <= set(allow):
            raise ValueError(f"{where}: allow delete-own or delete-any, not both")
        if "read" not in allow:
            raise ValueError(f"{where}: an area the user may not read cannot be browsed")
        title = entry.get("title", area_id)
        if not isinstance(title, str) or not title.strip():
            raise ValueError(f"{where}: title must be text")
        area_bucket = entry.get("bucket") or bucket  # "" while the bucket is not configured
        if area_bucket:
            try:
                area_bucket = validate_bucket(str(area_bucket))
            except ValueError as err:
                raise ValueError(f"{where}: {err}") from err
        areas.append(
            Area(
                id=area_id,
                title=title.strip(),
                bucket=area_bucket,
                prefix=prefix,
                read=True,
                write="write" in allow,
                delete="any"
                if "delete-any" in allow
                else "own"
                if "delete-own" in allow
                else "none",
            )
        )
    _refuse_nested(areas)
    return tuple(areas)


def _refuse_nested(areas: list[Area]) -> None:
    # An object in two areas would obey two sets of rights; the stricter could be bypassed.
    for a in areas:
        for b in areas:
            if a is not b and a.bucket == b.bucket and b.prefix.startswith(a.prefix):
                raise ValueError(
                    f"area {b.id!r} ({b.prefix}) lies inside area {a.id!r} ({a.prefix})"
                )


@dataclass(frozen=True)
class Settings:
    """The resolved, validated configuration that the rest of the server part works from."""

    endpoint_url: str | None
    access_key_id: str | None
    secret_access_key: str | None
    session_token: str | None
    region: str
    bucket: str | None
    areas: tuple[Area, ...]
    username: str
    home_dir: str
    home_quota: int | None
    connect_timeout: float
    scan_interval: float = 600.0
    usage_top: int = 10
    scan_processes: int = 0
    persistent_paths: tuple[str, ...] = ()
    watched_paths: tuple[str, ...] = ("/tmp", "/var/tmp", "/dev/shm")
    rescue_folder: str = "rescued"
    part_size: int = 8 * 1024**2
    transfer_concurrency: int = 8
    transfer_bandwidth: int | None = None
    state_dir: str = ""
    public_endpoint_url: str | None = None
    open_limit: int = 64 * 1024**2
    trino_catalog: str = "hive"
    trino_schema: str = "default"

    @property
    def endpoint_host(self) -> str | None:
        return urlparse(self.endpoint_url).netloc if self.endpoint_url else None

    def missing(self) -> list[str]:
        """Names of the settings without which the data lake cannot be reached. Keys are not
        among them: without any, boto3's credential chain is asked (lake/credentials.py), and
        only half a key pair is a setting missing."""
        wanted = {
            "endpoint (AWS_ENDPOINT_URL_S3)": self.endpoint_url,
            "bucket (DATALAKE_BUCKET)": self.bucket,
        }
        if self.access_key_id or self.secret_access_key:
            wanted["access key (AWS_ACCESS_KEY_ID)"] = self.access_key_id
            wanted["secret key (AWS_SECRET_ACCESS_KEY)"] = self.secret_access_key
        return [name for name, value in wanted.items() if not value]


def _prefix(value: str) -> str:
    value = value.strip().lstrip("/")
    parts = value.rstrip("/").split("/") if value else []
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{value!r} has an empty, '.' or '..' folder name")
    return value if not value or value.endswith("/") else value + "/"


class DataLake(Configurable):
    """Settings of the jupyterlab-datalake server extension."""

    endpoint_url = Unicode(
        None,
        allow_none=True,
        config=True,
        help="S3 endpoint URL, such as http://minio.datalake.svc:9000. "
        "Default: $AWS_ENDPOINT_URL_S3, then $AWS_ENDPOINT_URL.",
    )
    access_key_id = Unicode(
        None,
        allow_none=True,
        config=True,
        help="S3 access key; with secret_access_key it wins over every other source. "
        "Default: $AWS_ACCESS_KEY_ID. Without either, boto3's default credential chain is "
        "used: a profile (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, "
        "credential_process), AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (set "
        "AWS_ENDPOINT_URL_STS for MinIO or Ceph), or container credentials; temporary "
        "credentials are refreshed before they expire.",
    )
    secret_access_key = Unicode(
        None,
        allow_none=True,
        config=True,
        help="S3 secret key, with access_key_id. Default: $AWS_SECRET_ACCESS_KEY.",
    )
    session_token = Unicode(
        None,
        allow_none=True,
        config=True,
        help="Optional S3 session token for static temporary keys, which are not refreshed. "
        "Default: $AWS_SESSION_TOKEN.",
    )
    region = Unicode(config=True, help="S3 region. Default: $AWS_REGION, else us-east-1.")
    bucket = Unicode(
        config=True, help="The data lake bucket. Default: $DATALAKE_BUCKET, else datalake."
    )
    shared_prefix = Unicode(
        "shared/", config=True, help="Key prefix of the default shared area (without `areas`)."
    )
    user_prefix = Unicode(
        "users/{username}/",
        config=True,
        help="Key prefix of the default own area (without `areas`); {username} is replaced by "
        "the user's name.",
    )
    areas = Union(
        [List(), Unicode()],
        default_value=None,
        allow_none=True,
        config=True,
        help="The areas of the lake users work in, in the order shown: a list of "
        '{"id", "title", "prefix", "bucket", "allow"}, where prefix may hold {username}, '
        "bucket defaults to `bucket`, and allow lists read, write, and delete-own or "
        "delete-any. Default: $DATALAKE_AREAS (the same list as JSON), else the user's own "
        "area (users/{username}/) and shared/.",
    )
    username = Unicode(
        config=True, help="The user's name. Default: $JUPYTERHUB_USER, else the OS user."
    )
    home_dir = Unicode(
        config=True,
        help="The user's persistent home. Default: $DATALAKE_HOME, else the OS home directory.",
    )
    home_quota = Union(
        [Integer(), Unicode()],
        default_value=None,
        allow_none=True,
        config=True,
        help="Size of the home volume's claim, in bytes or as a quantity such as 5Gi. "
        "Default: $DATALAKE_HOME_QUOTA; without one, the volume's own size is used.",
    )
    scan_interval = Integer(
        600,
        config=True,
        help="Seconds after which the home usage figure is rescanned when next asked for. "
        "Saves through JupyterLab keep it current in between.",
    )
    usage_top = Integer(10, config=True, help="How many largest folders and files to report.")
    scan_processes = Integer(
        0,
        config=True,
        help="Processes a usage scan of a large home may use: 0 picks from the CPUs the "
        "server may use (up to 4), 1 scans in the server process only, without forking.",
    )
    persistent_paths = List(
        Unicode(),
        config=True,
        help="Paths outside home that survive a restart, such as a shared PVC mounted at "
        "/home/jovyan/shared. Default: $DATALAKE_PERSISTENT_PATHS, separated by ':'.",
    )
    watched_paths = List(
        Unicode(),
        config=True,
        help="Places whose contents the Storage panel lists when they are lost at restart. "
        "Default: $DATALAKE_WATCHED_PATHS, separated by ':', else /tmp, /var/tmp, /dev/shm.",
    )
    rescue_folder = Unicode(
        "rescued", config=True, help="Folder in home that 'Move into home' moves entries to."
    )
    part_size = Union(
        [Integer(), Unicode()],
        default_value="8Mi",
        config=True,
        help="Size of the parts of a multipart upload (at least 5Mi, as S3 requires). It grows "
        "for files that would need more than S3's 10,000 parts.",
    )
    transfer_concurrency = Integer(
        8, config=True, help="Parts of one file sent to S3 at the same time."
    )
    transfer_bandwidth = Union(
        [Integer(), Unicode()],
        default_value=None,
        allow_none=True,
        config=True,
        help="Bytes per second all transfers of this server may use together, such as 50Mi; "
        "unlimited by default. Default: $DATALAKE_TRANSFER_BANDWIDTH.",
    )
    state_dir = Unicode(
        config=True,
        help="Folder where the list of transfers is kept, so that it survives a restart. "
        "Default: ~/.local/share/jupyterlab-datalake in home.",
    )
    public_endpoint_url = Unicode(
        None,
        allow_none=True,
        config=True,
        help="The S3 endpoint as seen from outside the cluster, such as https://s3.example.org: "
        "share links are signed for it. Unset, they are signed for endpoint_url and work only "
        "inside the cluster. Default: $DATALAKE_PUBLIC_ENDPOINT_URL.",
    )
    open_limit = Union(
        [Integer(), Unicode()],
        default_value=None,
        allow_none=True,
        config=True,
        help="The largest lake object JupyterLab opens whole (the `datalake:` drive), in bytes "
        "or as a quantity such as 64Mi; larger ones offer preview and download instead. "
        "Default: $DATALAKE_OPEN_LIMIT, else 64Mi.",
    )
    trino_catalog = Unicode(
        config=True,
        help="The Trino catalog of the Hive connector that 'Copy Trino table' names. "
        "Default: $DATALAKE_TRINO_CATALOG, else hive.",
    )
    trino_schema = Unicode(
        config=True,
        help="The schema 'Copy Trino table' creates tables in. "
        "Default: $DATALAKE_TRINO_SCHEMA, else default.",
    )
    connect_timeout = Integer(
        5, config=True, help="Seconds to wait for the S3 endpoint before calling it unreachable."
    )

    @default("endpoint_url")
    def _endpoint_default(self) -> str | None:
        return _env("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")

    @default("access_key_id")
    def _access_key_default(self) -> str | None:
        return _env("AWS_ACCESS_KEY_ID")

    @default("secret_access_key")
    def _secret_default(self) -> str | None:
        return _env("AWS_SECRET_ACCESS_KEY")

    @default("session_token")
    def _token_default(self) -> str | None:
        return _env("AWS_SESSION_TOKEN")

    @default("region")
    def _region_default(self) -> str:
        return _env("AWS_REGION", "AWS_DEFAULT_REGION") or "us-east-1"

    @default("bucket")
    def _bucket_default(self) -> str:
        return _env("DATALAKE_BUCKET") or "datalake"

    @default("persistent_paths")
    def _persistent_default(self) -> list[str]:
        return [p for p in (_env("DATALAKE_PERSISTENT_PATHS") or "").split(":") if p]

    @default("watched_paths")
    def _watched_default(self) -> list[str]:
        value = _env("DATALAKE_WATCHED_PATHS")
        return [p for p in value.split(":") if p] if value else ["/tmp", "/var/tmp", "/dev/shm"]

    @default("username")
    def _username_default(self) -> str:
        return _env("JUPYTERHUB_USER") or getpass.getuser()

    @default("home_dir")
    def _home_default(self) -> str:
        return _env("DATALAKE_HOME") or os.path.expanduser("~")

    @default("transfer_bandwidth")
    def _bandwidth_default(self) -> str | None:
        return _env("DATALAKE_TRANSFER_BANDWIDTH")

    @default("areas")
    def _areas_default(self) -> str | None:
        return _env("DATALAKE_AREAS")

    @default("public_endpoint_url")
    def _public_endpoint_default(self) -> str | None:
        return _env("DATALAKE_PUBLIC_ENDPOINT_URL")

    @default("open_limit")
    def _open_limit_default(self) -> str:
        return _env("DATALAKE_OPEN_LIMIT") or "64Mi"

    @default("trino_catalog")
    def _trino_catalog_default(self) -> str:
        return _env("DATALAKE_TRINO_CATALOG") or "hive"

    @default("trino_schema")
    def _trino_schema_default(self) -> str:
        return _env("DATALAKE_TRINO_SCHEMA") or "default"

    @default("home_quota")
    def _quota_default(self) -> str | None:
        return _env("DATALAKE_HOME_QUOTA")

    def resolve(self) -> Settings:
        """Read every setting once, so that a bad value fails now rather than mid-request.

        Raises ConfigError whose message names the setting and its environment variable.
        """
        try:
            username = self.username
            quota = self.home_quota
            home = os.path.realpath(os.path.expanduser(self.home_dir))
            bucket = _checked("bucket", validate_bucket, self.bucket)
            areas = _checked(
                "areas",
                lambda v: parse_areas(v, bucket or "", username),
                default_areas(self.user_prefix, self.shared_prefix)
                if self.areas is None
                else self.areas,
            )
            return Settings(
                endpoint_url=_checked("endpoint_url", validate_endpoint, self.endpoint_url),
                public_endpoint_url=_checked(
                    "public_endpoint_url", validate_endpoint, self.public_endpoint_url
                ),
                access_key_id=self.access_key_id,
                secret_access_key=self.secret_access_key,
                session_token=self.session_token,
                region=self.region,
                bucket=bucket,
                areas=areas,
                username=username,
                home_dir=home,
                home_quota=_checked("home_quota", parse_size, quota),
                connect_timeout=float(self.connect_timeout),
                scan_interval=float(self.scan_interval),
                usage_top=self.usage_top,
                scan_processes=self.scan_processes,
                persistent_paths=tuple(os.path.abspath(p) for p in self.persistent_paths),
                watched_paths=tuple(os.path.abspath(p) for p in self.watched_paths),
                rescue_folder=_checked("rescue_folder", _relative_folder, self.rescue_folder),
                part_size=_checked("part_size", _part_size, self.part_size),
                transfer_concurrency=max(1, self.transfer_concurrency),
                transfer_bandwidth=_checked(
                    "transfer_bandwidth", parse_size, self.transfer_bandwidth
                ),
                open_limit=_checked("open_limit", parse_size, self.open_limit),
                state_dir=os.path.abspath(
                    os.path.expanduser(self.state_dir)
                    or os.path.join(home, ".local", "share", "jupyterlab-datalake")
                ),
                trino_catalog=_checked("trino_catalog", _identifier, self.trino_catalog) or "hive",
                trino_schema=_checked("trino_schema", _identifier, self.trino_schema) or "default",
            )
        except (TraitError, KeyError) as err:
            raise ConfigError(str(err)) from err


_ENV_NAMES = {
    "endpoint_url": "AWS_ENDPOINT_URL_S3",
    "public_endpoint_url": "DATALAKE_PUBLIC_ENDPOINT_URL",
    "home_quota": "DATALAKE_HOME_QUOTA",
    "bucket": "DATALAKE_BUCKET",
    "areas": "DATALAKE_AREAS",
    "rescue_folder": "c.DataLake.rescue_folder",
    "part_size": "c.DataLake.part_size",
    "transfer_bandwidth": "DATALAKE_TRANSFER_BANDWIDTH",
    "open_limit": "DATALAKE_OPEN_LIMIT",
    "trino_catalog": "DATALAKE_TRINO_CATALOG",
    "trino_schema": "DATALAKE_TRINO_SCHEMA",
}


def _identifier(value: str) -> str:
    # Quoted in the statement, so any name works; a line break or a control character is a typo.
    value = value.strip()
    if not value or not value.isprintable():
        raise ValueError(f"{value!r} is not a Trino name")
    return value


def _checked(trait: str, check, value):
    """Validate whichever source the value came from; defaults from the environment are not
    validated by traitlets, and admins mostly configure through the environment."""
    if value in (None, ""):
        return None
    try:
        return check(value)
    except ValueError as err:
        raise TraitError(f"DataLake.{trait} ({_ENV_NAMES[trait]}): {err}") from err
