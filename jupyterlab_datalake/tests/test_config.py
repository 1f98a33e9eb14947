"""Configuration: sizes, environment fallbacks and errors that name the setting."""

import logging

import pytest
from traitlets.config import Config

from jupyterlab_datalake.config import ConfigError, DataLake, parse_size
from jupyterlab_datalake.service import DataLakeService

GiB = 1024**3


def prefixes(settings) -> dict[str, str]:
    return {area.id: area.prefix for area in settings.areas}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5Gi", 5 * GiB),
        ("500Mi", 500 * 1024**2),
        ("5368709120", 5368709120),
        (5368709120, 5368709120),
        ("5G", 5 * 1000**3),
        ("5GiB", 5 * GiB),
        (" 1.5Gi ", int(1.5 * GiB)),
        ("20mi", 20 * 1024**2),
    ],
)
def test_sizes_accept_bytes_and_kubernetes_quantities(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["5Gx", "", "Gi", "-1", "0", "5 Gi Gi", "five"])
def test_sizes_refuse_what_is_not_a_size(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_environment_fallbacks(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://generic:9000")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://minio.datalake.svc:9000/")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AK")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SK")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "TOKEN")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("DATALAKE_BUCKET", "lake-prod")
    monkeypatch.setenv("DATALAKE_HOME_QUOTA", "5Gi")
    monkeypatch.setenv("DATALAKE_HOME", str(tmp_path))
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")

    s = DataLake().resolve()

    # The S3-specific endpoint wins over the generic one, as in the AWS CLI.
    assert s.endpoint_url == "http://minio.datalake.svc:9000"
    assert s.endpoint_host == "minio.datalake.svc:9000"
    assert (s.access_key_id, s.secret_access_key, s.session_token) == ("AK", "SK", "TOKEN")
    assert s.region == "eu-west-3"
    assert s.bucket == "lake-prod"
    assert s.home_quota == 5 * GiB
    assert s.home_dir == str(tmp_path.resolve())
    assert s.username == "ada"
    assert prefixes(s) == {"mine": "users/ada/", "shared": "shared/"}
    assert s.missing() == []


def test_defaults_without_environment(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "jovyan")
    s = DataLake().resolve()
    assert s.endpoint_url is None
    assert s.region == "us-east-1"
    assert s.bucket == "datalake"
    assert s.home_quota is None
    assert s.username == "jovyan"
    assert prefixes(s)["mine"] == "users/jovyan/"
    # Credentials may come from boto3's chain; without an endpoint nothing can be asked.
    assert s.missing() == ["endpoint (AWS_ENDPOINT_URL_S3)"]


def test_traitlets_config_wins_over_environment(monkeypatch):
    from traitlets.config import Config

    monkeypatch.setenv("DATALAKE_BUCKET", "from-env")
    monkeypatch.setenv("DATALAKE_HOME_QUOTA", "1Gi")
    config = Config()
    config.DataLake.bucket = "from-config"
    config.DataLake.home_quota = "500Mi"
    config.DataLake.user_prefix = "/home-areas/{username}"
    config.DataLake.username = "grace"
    s = DataLake(config=config).resolve()
    assert s.bucket == "from-config"
    assert s.home_quota == 500 * 1024**2
    assert prefixes(s)["mine"] == "home-areas/grace/"


@pytest.mark.parametrize(
    ("env", "value", "names"),
    [
        ("DATALAKE_HOME_QUOTA", "5Gx", ("home_quota", "DATALAKE_HOME_QUOTA", "5Gx")),
        ("AWS_ENDPOINT_URL_S3", "minio:9000", ("endpoint_url", "AWS_ENDPOINT_URL_S3")),
        ("AWS_ENDPOINT_URL_S3", "http://minio:port", ("endpoint_url", "port")),
        ("DATALAKE_BUCKET", "Not_A_Bucket", ("bucket", "DATALAKE_BUCKET")),
    ],
)
def test_bad_values_fail_with_a_message_naming_the_setting(monkeypatch, env, value, names):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as info:
        DataLake().resolve()
    for name in names:
        assert name in str(info.value)


def test_bad_value_is_one_log_line_and_disables_the_lake(monkeypatch, caplog):
    monkeypatch.setenv("DATALAKE_HOME_QUOTA", "5Gx")
    log = logging.getLogger("test-datalake")
    with caplog.at_level(logging.ERROR, logger="test-datalake"):
        service = DataLakeService.from_config(None, log)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = errors[0].getMessage()
    assert "home_quota" in line and "DATALAKE_HOME_QUOTA" in line
    assert "\n" not in line and errors[0].exc_info is None
    assert service.lake is None


# ----- areas ---------------------------------------------------------------------------------

GUIDE_AREAS = [
    {"id": "mine", "title": "My area", "prefix": "users/{username}/",
     "allow": ["read", "write", "delete-any"]},
    {"id": "shared", "title": "Shared", "prefix": "shared", "allow": ["read", "write", "delete-own"]},
    {"id": "datasets", "title": "Datasets", "prefix": "datasets/", "allow": ["read"]},
    {"id": "raw", "title": "Raw (Hive)", "prefix": "raw/", "bucket": "landing", "allow": ["read"]},
]  # fmt: skip


def test_areas_from_the_environment_as_json(monkeypatch):
    import json

    monkeypatch.setenv("DATALAKE_AREAS", json.dumps(GUIDE_AREAS))
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    s = DataLake().resolve()
    assert [(a.id, a.bucket, a.prefix, a.write, a.delete) for a in s.areas] == [
        ("mine", "datalake", "users/ada/", True, "any"),
        ("shared", "datalake", "shared/", True, "own"),
        ("datasets", "datalake", "datasets/", False, "none"),
        ("raw", "landing", "raw/", False, "none"),
    ]
    assert s.areas[3].uri == "s3a://landing/raw/"


@pytest.mark.parametrize(
    "areas, names",
    [
        ("not json", "not JSON"),
        ([], "non-empty list"),
        ([{"id": "Bad Id", "prefix": "x/"}], "id must be"),
        ([{"id": "a", "prefix": "x/"}, {"id": "a", "prefix": "y/"}], "listed twice"),
        ([{"id": "a", "prefix": "../x"}], "'..'"),
        ([{"id": "a", "prefix": ""}], "may not be empty"),
        ([{"id": "a", "prefix": "x/", "allow": ["write"]}], "may not read"),
        ([{"id": "a", "prefix": "x/", "allow": ["read", "delete-own", "delete-any"]}], "not both"),
        ([{"id": "a", "prefix": "x/", "allow": ["read", "admin"]}], "allow must list"),
        ([{"id": "a", "prefix": "x/", "color": "red"}], "unknown fields: color"),
        ([{"id": "a", "prefix": "x/"}, {"id": "b", "prefix": "x/y/"}], "lies inside area 'a'"),
    ],
)
def test_bad_areas_fail_naming_the_setting_and_the_area(monkeypatch, areas, names):
    config = Config()
    config.DataLake.areas = areas
    with pytest.raises(ConfigError) as info:
        DataLake(config=config).resolve()
    assert "DataLake.areas (DATALAKE_AREAS)" in str(info.value) and names in str(info.value)
