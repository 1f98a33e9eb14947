"""Credentials from boto3's default chain, through a real Jupyter server and a real S3 server
(Ceph RGW): a profile in a shared credentials file, a credential_process, keys that expire and
are removed from RGW while a 100 MiB transfer runs, and RGW's own STS exchanging a web
identity token from an OIDC issuer that the test runs.

Each test's S3 identity is an RGW user of its own with a bucket of its own, so that keys made
and removed here cannot disturb any other test.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import fcntl
import hashlib
import json
import os
import shlex
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import RGW_DIR, RGW_SCRIPT

MiB = 1024**2


def radosgw_admin(*args: str, conf: Path = RGW_DIR / "ceph.conf") -> str:
    result = subprocess.run(
        ["radosgw-admin", "-c", str(conf), *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def s3_client(endpoint: str, key: str, secret: str, token: str | None = None):
    # A session of its own: boto3's default one may predate the test's AWS_CONFIG_FILE.
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


@dataclass
class LakeUser:
    uid: str
    bucket: str
    access_key: str
    secret_key: str
    s3: object  # a client with the user's first key, for checking what landed


@pytest.fixture
def lake_user(s3_server):
    """An RGW user with a bucket of its own; removed with its data afterwards."""
    uid = f"cred-{uuid.uuid4().hex[:10]}"
    key = json.loads(radosgw_admin("user", "create", f"--uid={uid}", f"--display-name={uid}"))
    key = key["keys"][0]
    s3 = s3_client(s3_server["AWS_ENDPOINT_URL_S3"], key["access_key"], key["secret_key"])
    s3.create_bucket(Bucket=uid)
    yield LakeUser(uid, uid, key["access_key"], key["secret_key"], s3)
    radosgw_admin("user", "rm", f"--uid={uid}", "--purge-data")


class AwsFiles:
    """The server's own AWS config and credentials files; nothing of the machine's leaks in."""

    def __init__(self, folder: Path, monkeypatch):
        self.config = folder / "aws-config"
        self.credentials = folder / "aws-credentials"
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("AWS_CONFIG_FILE", str(self.config))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(self.credentials))
        # Off a cloud, an instance metadata lookup only costs time.
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    def use_profile(
        self, name: str, *, credentials: dict | None = None, config: dict | None = None
    ):
        for path, section, values in (
            (self.credentials, name, credentials),
            (self.config, f"profile {name}", config),
        ):
            if values:
                lines = [f"[{section}]", *(f"{k} = {v}" for k, v in values.items())]
                with path.open("a") as f:
                    f.write("\n".join(lines) + "\n")
        self.monkeypatch.setenv("AWS_PROFILE", name)


@pytest.fixture
def aws_files(tmp_path, monkeypatch):
    return AwsFiles(tmp_path, monkeypatch)


@pytest.fixture
def datalake_overrides(request, jp_root_dir, aws_files):
    # No keys in the server's configuration, so that the credential chain is what answers.
    # A test's parameter may add settings, and "lake" says whose bucket: a user of its own
    # on the shared RGW (the default), the STS-enabled RGW, or none.
    extra = dict(getattr(request, "param", {}))
    lake = extra.pop("lake", "user")
    config = {"access_key_id": None, "secret_access_key": None, "home_dir": str(jp_root_dir)}
    if lake == "user":
        config["bucket"] = request.getfixturevalue("lake_user").bucket
    elif lake == "sts":
        sts = request.getfixturevalue("sts_lake")
        config.update(endpoint_url=sts.endpoint, bucket=sts.bucket)
    return {**config, **extra}


async def get_status(jp_fetch) -> dict:
    response = await jp_fetch("datalake", "status")
    return json.loads(response.body)


async def transfer(jp_fetch, **body) -> dict:
    """Start a transfer and wait for it to end."""
    response = await jp_fetch("datalake", "transfers", method="POST", body=json.dumps(body))
    started = json.loads(response.body)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        response = await jp_fetch("datalake", "transfers", started["id"])
        current = json.loads(response.body)
        if current["state"] in ("done", "failed", "cancelled"):
            return current
        await asyncio.sleep(0.2)
    raise AssertionError(f"transfer still {current['state']}: {current}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            digest.update(block)
    return digest.hexdigest()


# ----- static sources ------------------------------------------------------------------------


async def test_profile_in_a_shared_credentials_file(jp_fetch, jp_root_dir, aws_files, lake_user):
    aws_files.use_profile(
        "lake",
        credentials={
            "aws_access_key_id": lake_user.access_key,
            "aws_secret_access_key": lake_user.secret_key,
        },
    )
    status = await get_status(jp_fetch)
    assert status["connection"]["state"] == "ok", status
    assert lake_user.secret_key not in json.dumps(status)

    (jp_root_dir / "notes.txt").write_bytes(b"from a profile\n")
    done = await transfer(jp_fetch, sources=["notes.txt"], area="mine", prefix="p")
    assert done["state"] == "done", done
    body = lake_user.s3.get_object(Bucket=lake_user.bucket, Key="users/tester/p/notes.txt")["Body"]
    assert body.read() == b"from a profile\n"


@pytest.fixture
def keys_in_environment(aws_files, lake_user, monkeypatch):
    # Set before the server starts, as a pod's environment is.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", lake_user.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", lake_user.secret_key)


async def test_keys_in_the_environment_win_over_a_profile(keys_in_environment, jp_fetch, aws_files):
    aws_files.use_profile(
        "stale", credentials={"aws_access_key_id": "old", "aws_secret_access_key": "old-secret"}
    )
    status = await get_status(jp_fetch)
    assert status["connection"]["state"] == "ok", status


async def test_credential_process(jp_fetch, aws_files, lake_user, tmp_path):
    script = tmp_path / "keys.py"
    reply = {
        "Version": 1,
        "AccessKeyId": lake_user.access_key,
        "SecretAccessKey": lake_user.secret_key,
    }
    script.write_text(f"import json\nprint(json.dumps({reply!r}))\n")
    aws_files.use_profile("proc", config={"credential_process": f"{sys.executable} {script}"})
    status = await get_status(jp_fetch)
    assert status["connection"]["state"] == "ok", status


@pytest.mark.parametrize("datalake_overrides", [{"lake": None}], indirect=True)
async def test_no_credentials_anywhere_says_how_to_give_them(jp_fetch, aws_files):
    connection = (await get_status(jp_fetch))["connection"]
    assert connection["state"] == "not-configured", connection
    assert "credentials" in connection["message"]
    for way in (
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "credential_process",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        assert way in connection["hint"]


@pytest.mark.parametrize("datalake_overrides", [{"lake": None}], indirect=True)
async def test_a_profile_that_does_not_exist_is_named(jp_fetch, aws_files, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "nowhere")
    connection = (await get_status(jp_fetch))["connection"]
    assert connection["state"] == "invalid-config", connection
    assert "nowhere" in connection["message"]


@pytest.mark.parametrize("datalake_overrides", [{"lake": None}], indirect=True)
async def test_a_failing_credential_process_is_reported(jp_fetch, aws_files, tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("import sys\nsys.exit('the vault is sealed')\n")
    aws_files.use_profile("broken", config={"credential_process": f"{sys.executable} {script}"})
    connection = (await get_status(jp_fetch))["connection"]
    assert connection["state"] == "bad-credentials", connection
    assert "the vault is sealed" in connection["message"]


@pytest.mark.parametrize("datalake_overrides", [{"lake": None}], indirect=True)
async def test_web_identity_with_sts_unreachable_names_the_sts_setting(
    jp_fetch, aws_files, tmp_path, monkeypatch
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    token = tmp_path / "token"
    token.write_text("not.a.token")
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ROLE_ARN", "arn:aws:iam:::role/lake")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", f"http://127.0.0.1:{closed}")
    connection = (await get_status(jp_fetch))["connection"]
    assert connection["state"] == "unreachable", connection
    assert f"127.0.0.1:{closed}" in connection["message"]
    assert "AWS_ENDPOINT_URL_STS" in connection["hint"]


# ----- credentials that expire during a transfer ---------------------------------------------

# A credential_process that makes a new RGW key at each call and says it expires LIFETIME
# seconds later; the ledger is how the reaper knows what to remove, and when. Both hold the
# ledger's lock while they change the user: RGW refuses one of two concurrent changes to a
# user ("unable to store user info").
ISSUER = textwrap.dedent(
    """
    import datetime, fcntl, json, secrets, subprocess, sys, time
    uid, conf, ledger, lifetime = sys.argv[1:5]
    access = "EXP" + secrets.token_hex(8).upper()
    with open(ledger + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        out = subprocess.run(
            ["radosgw-admin", "-c", conf, "key", "create", "--uid=" + uid, "--key-type=s3",
             "--access-key=" + access, "--gen-secret"],
            capture_output=True, text=True, check=True,
        ).stdout
        secret = next(k["secret_key"] for k in json.loads(out)["keys"] if k["access_key"] == access)
        expires = time.time() + float(lifetime)
        with open(ledger, "a") as f:
            f.write(json.dumps({"access": access, "secret": secret, "expires": expires}) + "\\n")
    when = datetime.datetime.fromtimestamp(expires, datetime.timezone.utc).isoformat()
    print(json.dumps({"Version": 1, "AccessKeyId": access, "SecretAccessKey": secret,
                      "Expiration": when}))
    """
)
LIFETIME = 5  # seconds; the 100 MiB transfer below takes about 17 s each way


class Reaper(threading.Thread):
    """Removes each issued key from RGW once its expiration has passed, as STS would let it
    lapse: from then on S3 refuses it."""

    def __init__(self, uid: str, ledger: Path):
        super().__init__(daemon=True)
        self.uid, self.ledger = uid, ledger
        self.removed: list[dict] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()

    def issued(self) -> list[dict]:
        if not self.ledger.exists():
            return []
        return [json.loads(line) for line in self.ledger.read_text().splitlines() if line]

    def run(self) -> None:
        while not self.stopping.wait(0.25):
            gone = {k["access"] for k in self.removed}
            for key in self.issued():
                if key["access"] not in gone and key["expires"] <= time.time():
                    self.remove(key)

    def remove(self, key: dict) -> None:
        with open(f"{self.ledger}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                radosgw_admin("key", "rm", f"--uid={self.uid}", f"--access-key={key['access']}")
            except AssertionError as err:
                self.errors.append(str(err))
            else:
                self.removed.append(key)


@pytest.fixture
def reaper(lake_user, tmp_path):
    thread = Reaper(lake_user.uid, tmp_path / "issued.jsonl")
    thread.start()
    yield thread
    thread.stopping.set()
    thread.join()


# Slow enough for several expiries in one transfer; 8 MiB parts make 13 requests of 101 MiB.
SLOW = {"transfer_bandwidth": "6Mi", "part_size": "8Mi"}


@pytest.mark.parametrize("datalake_overrides", [SLOW], indirect=True)
async def test_keys_expiring_during_a_100_mib_transfer_do_not_fail_it(
    jp_fetch, jp_root_dir, aws_files, lake_user, reaper, s3_server
):
    command = [sys.executable, str(reaper.ledger.with_name("issuer.py"))]
    Path(command[1]).write_text(ISSUER)
    args = [lake_user.uid, str(RGW_DIR / "ceph.conf"), str(reaper.ledger), str(LIFETIME)]
    aws_files.use_profile("expiring", config={"credential_process": shlex.join(command + args)})
    source = jp_root_dir / "big.bin"
    with source.open("wb") as f:
        for _ in range(101):
            f.write(os.urandom(MiB))
    assert (await get_status(jp_fetch))["connection"]["state"] == "ok"

    started = time.time()
    up = await transfer(jp_fetch, sources=["big.bin"], area="mine", prefix="x")
    up_ended = time.time()
    assert up["state"] == "done", up
    key = "users/tester/x/big.bin"
    head = lake_user.s3.head_object(Bucket=lake_user.bucket, Key=key)
    assert head["ContentLength"] == source.stat().st_size
    assert head["Metadata"]["sha256"] == sha256(source)

    (jp_root_dir / "back").mkdir()
    down = await transfer(
        jp_fetch, direction="download", sources=[key], area="mine", destination="back"
    )
    assert down["state"] == "done", json.dumps(down)
    assert sha256(jp_root_dir / "back" / "big.bin") == sha256(source)

    issued = reaper.issued()
    lapsed_during_upload = [k for k in reaper.removed if started < k["expires"] < up_ended]
    print(
        f"\ncredential_process ran {len(issued)} times: a {LIFETIME} s credential is within "
        f"botocore's 10-minute refresh window at once, so nearly every request refreshes; "
        f"{len(lapsed_during_upload)} keys expired and were removed during the upload "
        f"({up_ended - started:.0f} s), {len(reaper.removed)} in all"
    )
    assert reaper.errors == []
    assert len(lapsed_during_upload) >= 2, "the upload should outlive several credentials"
    # The expiry is real: S3 refuses a key once it has lapsed.
    lapsed = reaper.removed[0]
    with pytest.raises(ClientError) as refused:
        s3_client(
            s3_server["AWS_ENDPOINT_URL_S3"], lapsed["access"], lapsed["secret"]
        ).list_objects_v2(Bucket=lake_user.bucket, MaxKeys=1)
    assert refused.value.response["Error"]["Code"] == "InvalidAccessKeyId"


# ----- RGW's STS with a web identity -------------------------------------------------------
# RGW 16.2 validates a web identity token by fetching <iss>/.well-known/openid-configuration,
# then its jwks_uri, whose key must carry the signing certificate (x5c); the OIDC provider
# registered at RGW's IAM API names the issuer (without scheme) and the token's audience.
# STS needs two settings at gateway start, so it runs on an RGW of its own.
STS_SETTINGS = "rgw s3 auth use sts = true\nrgw sts key = datalake-stskey16\n"
AUDIENCE = "datalake"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_env(path: Path) -> dict[str, str]:
    pairs = (line[len("export ") :].partition("=") for line in path.read_text().splitlines())
    return {key: shlex.split(value)[0] for key, _, value in pairs if value}


@pytest.fixture(scope="session")
def sts_rgw():
    """An RGW with STS enabled, on ports of its own: its endpoint and admin keys."""
    pytest.importorskip("cryptography")
    folder = Path(os.environ.get("DATALAKE_STS_RGW_DIR", "/tmp/datalake-rgw-sts"))
    env = {
        **os.environ,
        "RGW_DIR": str(folder),
        "RGW_PORT": str(free_port()),
        "RGW_MON_PORT": str(free_port()),
        "PYTHON": sys.executable,
    }

    def rgw(*args: str) -> None:
        result = subprocess.run(
            ["bash", str(RGW_SCRIPT), *args], env=env, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            pytest.fail(f"rgw.sh {args[0]} for STS failed:\n{result.stdout}\n{result.stderr}")

    # A cluster left in this folder by an earlier run holds other ports: stop it first.
    rgw("stop")
    rgw("start")
    conf = folder / "ceph.conf"
    conf.write_text(conf.read_text().replace("[client.rgw.a]\n", "[client.rgw.a]\n" + STS_SETTINGS))
    rgw("gateway-stop")
    rgw("gateway-start")
    radosgw_admin("caps", "add", "--uid=datalake-test", "--caps=oidc-provider=*;roles=*", conf=conf)
    yield read_env(folder / "env")
    if not os.environ.get("DATALAKE_KEEP_RGW"):
        rgw("stop")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OidcIssuer:
    """A minimal OpenID Connect issuer on the loopback: discovery, keys, signed tokens."""

    def __init__(self):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
        from cryptography.x509.oid import NameOID

        self._sign = lambda data: self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "datalake test issuer")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(self._key, hashes.SHA256())
        )
        der = cert.public_bytes(serialization.Encoding.DER)
        self.thumbprint = hashlib.sha1(der).hexdigest()
        numbers = self._key.public_key().public_numbers()

        def raw(n: int) -> str:
            return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))

        jwk = {"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256"}
        jwk.update(n=raw(numbers.n), e=raw(numbers.e), x5c=[base64.b64encode(der).decode()])
        self.fetched: list[str] = []
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                issuer.fetched.append(self.path)
                documents = {
                    "/.well-known/openid-configuration": {
                        "issuer": issuer.url,
                        "jwks_uri": issuer.url + "/jwks",
                    },
                    "/jwks": {"keys": [jwk]},
                }
                body = json.dumps(documents.get(self.path, {})).encode()
                self.send_response(200 if self.path in documents else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self._server.server_address[1]}"
        self.url = f"http://{self.host}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def token(self, subject: str, lifetime: int = 600) -> str:
        now = int(time.time())
        header = {"alg": "RS256", "kid": "k1", "typ": "JWT"}
        claims = {"iss": self.url, "sub": subject, "aud": AUDIENCE, "iat": now}
        claims.update(exp=now + lifetime, preferred_username=subject)
        signed = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
        return f"{signed}.{b64url(self._sign(signed.encode()))}"

    def close(self) -> None:
        self._server.shutdown()


@dataclass
class StsLake:
    endpoint: str
    bucket: str
    role_arn: str
    issuer: OidcIssuer

    def role_client(self, subject: str):
        """S3 as the role, for checking what landed: RGW gives a role session's objects to
        the role, so not even the bucket owner may read them."""
        sts = boto3.session.Session().client(
            "sts",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            config=Config(signature_version=UNSIGNED),
        )
        granted = sts.assume_role_with_web_identity(
            RoleArn=self.role_arn,
            RoleSessionName="check",
            WebIdentityToken=self.issuer.token(subject),
        )["Credentials"]
        return s3_client(
            self.endpoint,
            granted["AccessKeyId"],
            granted["SecretAccessKey"],
            granted["SessionToken"],
        )


def compact(document: dict) -> str:
    # RGW 16.2 refuses a role's trust policy with spaces after the separators ("failed to
    # parse policy: Invalid value").
    return json.dumps(document, separators=(",", ":"))


@pytest.fixture
def sts_lake(sts_rgw):
    """The issuer registered as an OIDC provider of the STS RGW, and a role its users may
    assume that may use the bucket."""
    endpoint = sts_rgw["AWS_ENDPOINT_URL_S3"]
    admin = {
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": sts_rgw["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": sts_rgw["AWS_SECRET_ACCESS_KEY"],
    }
    iam = boto3.session.Session().client("iam", **admin)
    issuer = OidcIssuer()
    provider = iam.create_open_id_connect_provider(
        Url=issuer.url, ClientIDList=[AUDIENCE], ThumbprintList=[issuer.thumbprint]
    )["OpenIDConnectProviderArn"]
    role = f"lake-{uuid.uuid4().hex[:8]}"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": [f"arn:aws:iam:::oidc-provider/{issuer.host}"]},
                "Action": ["sts:AssumeRoleWithWebIdentity"],
            }
        ],
    }
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=compact(trust))["Role"]["Arn"]
    grant = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::*"]}],
    }
    iam.put_role_policy(RoleName=role, PolicyName="lake", PolicyDocument=compact(grant))
    yield StsLake(endpoint, sts_rgw["DATALAKE_BUCKET"], arn, issuer)
    iam.delete_role_policy(RoleName=role, PolicyName="lake")
    iam.delete_role(RoleName=role)
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=provider)
    issuer.close()


@pytest.mark.parametrize("datalake_overrides", [{"lake": "sts"}], indirect=True)
async def test_web_identity_through_rgw_sts(
    jp_fetch, jp_root_dir, aws_files, sts_lake, tmp_path, monkeypatch
):
    token = tmp_path / "token"
    token.write_text(sts_lake.issuer.token("alice"))
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ROLE_ARN", sts_lake.role_arn)
    # MinIO and RGW serve STS at the S3 endpoint; botocore would ask AWS's otherwise.
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", sts_lake.endpoint)

    status = await get_status(jp_fetch)
    assert status["connection"]["state"] == "ok", status
    # RGW checked the token's signature against the issuer's published key.
    assert "/jwks" in sts_lake.issuer.fetched

    name = f"w-{uuid.uuid4().hex[:8]}"
    (jp_root_dir / "from-sts.txt").write_bytes(b"through a web identity\n")
    done = await transfer(jp_fetch, sources=["from-sts.txt"], area="mine", prefix=name)
    assert done["state"] == "done", done
    key = f"users/tester/{name}/from-sts.txt"
    as_role = sts_lake.role_client("alice")
    assert as_role.get_object(Bucket=sts_lake.bucket, Key=key)["Body"].read() == (
        b"through a web identity\n"
    )
    as_role.delete_object(Bucket=sts_lake.bucket, Key=key)
