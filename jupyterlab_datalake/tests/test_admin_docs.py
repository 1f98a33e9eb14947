"""The hub admins' part of the README and the policies it ships under docs/admin must work as
written: an admin copies them into MinIO and values.yaml, and a policy that does not load, a
link to a file that is not there, or an areas example the extension refuses would only show on
their hub. So each policy is checked for IAM's shape, the two policies for being one policy with
a different name variable, the areas example for parsing once KubeSpawner has formatted it, and
that example's areas against the policy: every area listable, every writable area writable.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from jupyterlab_datalake.config import parse_areas

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
ADMIN = ROOT / "docs" / "admin"
POLICIES = {
    "minio-sts-role-policy.json": "${jwt:preferred_username}",
    "minio-user-policy.json": "${aws:username}",
}
WRITE_ACTIONS = {"s3:PutObject", "s3:AbortMultipartUpload"}


def listed(value) -> list:
    return value if isinstance(value, list) else [value]


def load(name: str) -> dict:
    return json.loads((ADMIN / name).read_text())


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_policy_has_iam_shape(name):
    policy = load(name)
    assert policy["Version"] == "2012-10-17"
    assert isinstance(policy["Statement"], list) and policy["Statement"]
    for statement in policy["Statement"]:
        assert statement["Effect"] in ("Allow", "Deny")
        actions = listed(statement["Action"])
        assert actions and all(re.fullmatch(r"s3:[A-Za-z*]+", a) for a in actions), actions
        resources = listed(statement["Resource"])
        assert resources and all(r.startswith("arn:aws:s3:::") for r in resources), resources
        # A MinIO user or role policy names no principal; only bucket policies do.
        assert "Principal" not in statement


def test_policies_differ_only_in_the_name_variable():
    # The STS and the static-key variants must grant the same; only who "self" is differs.
    sts = json.dumps(load("minio-sts-role-policy.json"))
    static = json.dumps(load("minio-user-policy.json"))
    assert "${jwt:preferred_username}" in sts and "${aws:username}" not in sts
    assert "${aws:username}" in static and "${jwt:" not in static
    assert sts.replace("${jwt:preferred_username}", "${aws:username}") == static


def test_readme_links_every_admin_file_and_each_exists():
    text = README.read_text()
    linked = set(re.findall(r"\]\((docs/admin/[^)#\s]+)\)", text))
    assert {f"docs/admin/{name}" for name in POLICIES} <= linked
    for link in linked:
        assert (ROOT / link).is_file(), f"README links {link}, which does not exist"


def github_slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_readme_anchors_name_headings():
    text = README.read_text()
    slugs = {github_slug(h) for h in re.findall(r"(?m)^#{1,6} (.+)$", text)}
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in slugs, f"README links #{anchor}, which no heading is"


def readme_areas(username: str) -> str:
    """The README's DATALAKE_AREAS example as the server sees it: z2jh passes
    singleuser.extraEnv to KubeSpawner.environment, which str.format()s each value with the
    user's names, so {{ and }} become braces and {{username}} reaches the extension as
    {username}."""
    for block in re.findall(r"```yaml\n(.*?)```", README.read_text(), re.S):
        values = yaml.safe_load(textwrap.dedent(block)) or {}
        env = (values.get("singleuser") or {}).get("extraEnv") or {}
        if "DATALAKE_AREAS" in env:
            return env["DATALAKE_AREAS"].format(username=username)
    raise AssertionError("the README has no singleuser.extraEnv.DATALAKE_AREAS example")


def iam_like(pattern: str, value: str) -> bool:
    # StringLike and resource matching: * is any run of characters, ? one character.
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value) is not None


def allowed(policy: dict, username: str, actions: set[str], resource: str, prefix=None) -> bool:
    for statement in policy["Statement"]:
        if statement["Effect"] != "Allow" or not actions <= set(listed(statement["Action"])):
            continue
        subst = json.loads(json.dumps(statement).replace("${aws:username}", username))
        if not any(iam_like(r, resource) for r in listed(subst["Resource"])):
            continue
        condition = subst.get("Condition", {}).get("StringLike", {}).get("s3:prefix")
        if condition is None or (
            prefix is not None and any(iam_like(p, prefix) for p in listed(condition))
        ):
            return True
    return False


def test_readme_areas_example_parses_and_the_policy_grants_it():
    areas = parse_areas(readme_areas("alice"), "datalake", "alice")
    assert [a.id for a in areas] == ["mine", "shared", "datasets", "raw"]
    assert areas[0].prefix == "users/alice/"
    assert [a.prefix for a in areas[2:]] == ["datasets/", "raw/"]
    policy = load("minio-user-policy.json")
    for area in areas:
        bucket = f"arn:aws:s3:::{area.bucket}"
        probe = f"{bucket}/{area.prefix}.probe"
        # The extension's read probe: ListObjectsV2 with the area's prefix.
        assert allowed(policy, "alice", {"s3:ListBucket"}, bucket, prefix=area.prefix), area.id
        assert allowed(policy, "alice", {"s3:GetObject"}, probe), area.id
        # Its write probe and uploads: a multipart upload started, then completed or aborted.
        assert allowed(policy, "alice", WRITE_ACTIONS, probe) == area.write, area.id
    # Nobody else's area: bob's prefix is neither listable nor readable for alice.
    assert not allowed(policy, "alice", {"s3:ListBucket"}, "arn:aws:s3:::datalake", "users/bob/")
    assert not allowed(policy, "alice", {"s3:GetObject"}, "arn:aws:s3:::datalake/users/bob/x")
