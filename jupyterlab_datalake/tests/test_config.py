"""Configuration: sizes, environment fallbacks and errors that name the setting."""

import logging

import pytest

from jupyterlab_datalake.config import ConfigError, DataLake, parse_size
from jupyterlab_datalake.service import DataLakeService

GiB = 1024**3


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
    assert s.shared_prefix == "shared/"
    assert s.user_prefix == "users/ada/"
    assert s.missing() == []


def test_defaults_without_environment(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "jovyan")
    s = DataLake().resolve()
    assert s.endpoint_url is None
    assert s.region == "us-east-1"
    assert s.bucket == "datalake"
    assert s.home_quota is None
    assert s.username == "jovyan"
    assert s.user_prefix == "users/jovyan/"
    assert len(s.missing()) == 3  # endpoint, access key, secret key


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
    assert s.user_prefix == "home-areas/grace/"


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
