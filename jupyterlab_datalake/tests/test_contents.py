"""The `datalake:` drive's server side against a real S3 server (Ceph RGW): lake objects and
folders as Jupyter contents models, the size limit, and saving back only over the version the
document was opened with."""

from __future__ import annotations

import base64
import json

import nbformat
import pytest

from jupyterlab_datalake.config import ConfigError, DataLake

from .test_lake_browser import call
from .test_transfers import TRICKY

AREAS = [
    {"id": "mine", "title": "My area", "prefix": "users/{username}/",
     "allow": ["read", "write", "delete-any"]},
    {"id": "shared", "title": "Shared", "prefix": "shared/", "allow": ["read", "write", "delete-own"]},
    {"id": "datasets", "title": "Datasets", "prefix": "datasets/", "allow": ["read"]},
]  # fmt: skip


@pytest.fixture
def datalake_overrides(jp_root_dir):
    return {"home_dir": str(jp_root_dir), "areas": AREAS, "open_limit": "1Mi"}


@pytest.fixture
def read_only(s3_client, folder):
    """The test's folder in the read-only area, emptied afterwards."""
    yield f"datasets/{folder}/"
    listed = s3_client.list_objects_v2(Bucket="datalake", Prefix=f"datasets/{folder}/")
    for o in listed.get("Contents", []):
        s3_client.delete_object(Bucket="datalake", Key=o["Key"])


def put(s3_client, key: str, body: bytes) -> str:
    return s3_client.put_object(Bucket="datalake", Key=key, Body=body)["ETag"].strip('"')


async def get(jp_fetch, path: str, **params) -> tuple[int, dict]:
    return await call(jp_fetch, "contents", params={"path": path, **params})


async def save(jp_fetch, path: str, etag: str, model: dict) -> tuple[int, dict]:
    body = {"path": path, "etag": etag, "model": model}
    return await call(jp_fetch, "contents", method="PUT", body=body)


def notebook_bytes(source: str) -> bytes:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    return nbformat.writes(nb).encode()


async def test_a_csv_opens_as_a_text_file_model(jp_fetch, s3_client, folder):
    etag = put(s3_client, f"shared/{folder}/countries.csv", b"code,name\nfr,France\n")
    code, model = await get(jp_fetch, f"shared/{folder}/countries.csv")
    assert code == 200, model
    assert model["type"] == "file" and model["format"] == "text"
    assert model["content"] == "code,name\nfr,France\n"
    assert model["mimetype"] == "text/csv"
    assert model["name"] == "countries.csv" and model["path"] == f"shared/{folder}/countries.csv"
    assert model["size"] == 20 and model["writable"] is True
    assert model["hash"] == etag and model["hash_algorithm"] == "etag"
    assert model["key"] == f"shared/{folder}/countries.csv"
    head = s3_client.head_object(Bucket="datalake", Key=f"shared/{folder}/countries.csv")
    assert model["last_modified"] == head["LastModified"].isoformat()

    code, bare = await get(jp_fetch, f"shared/{folder}/countries.csv", content="0")
    assert code == 200 and bare["content"] is None and bare["hash"] == etag
    assert bare["last_modified"] == model["last_modified"]


async def test_binary_content_comes_as_base64(jp_fetch, s3_client, folder):
    data = bytes(range(256))
    put(s3_client, f"shared/{folder}/blob.png", data)
    code, model = await get(jp_fetch, f"shared/{folder}/blob.png")
    assert code == 200 and model["format"] == "base64" and model["mimetype"] == "image/png"
    assert base64.b64decode(model["content"]) == data
    code, reply = await get(jp_fetch, f"shared/{folder}/blob.png", format="text")
    assert code == 400 and "not UTF-8" in reply["message"]


async def test_a_notebook_opens_as_json(jp_fetch, s3_client, folder):
    put(s3_client, f"users/tester/{folder}/analysis.ipynb", notebook_bytes("print(6 * 7)"))
    code, model = await get(jp_fetch, f"mine/{folder}/analysis.ipynb")
    assert code == 200, model
    assert model["type"] == "notebook" and model["format"] == "json"
    assert model["content"]["cells"][0]["source"] == "print(6 * 7)"
    code, raw = await get(jp_fetch, f"mine/{folder}/analysis.ipynb", type="file")
    assert code == 200 and raw["type"] == "file" and raw["format"] == "text"


async def test_a_folder_lists_its_entries(jp_fetch, s3_client, folder):
    put(s3_client, f"shared/{folder}/a.csv", b"1")
    put(s3_client, f"shared/{folder}/sub/b.txt", b"22")
    code, model = await get(jp_fetch, f"shared/{folder}")
    assert code == 200 and model["type"] == "directory", model
    entries = {e["name"]: e for e in model["content"]}
    assert (
        entries["sub"]["type"] == "directory" and entries["sub"]["path"] == f"shared/{folder}/sub"
    )
    assert entries["a.csv"]["type"] == "file" and entries["a.csv"]["size"] == 1
    assert entries["a.csv"]["content"] is None

    code, top = await get(jp_fetch, "")
    assert code == 200 and [e["name"] for e in top["content"]] == ["mine", "shared", "datasets"]


async def test_tricky_names_round_trip(jp_fetch, s3_client, folder):
    for name in TRICKY:
        put(s3_client, f"shared/{folder}/{name}", name.encode())
    for name in TRICKY:
        code, model = await get(jp_fetch, f"shared/{folder}/{name}")
        assert code == 200, (name, model)
        assert model["name"] == name and model["content"] == name


async def test_an_object_above_the_open_limit_is_refused(jp_fetch, s3_client, folder):
    put(s3_client, f"shared/{folder}/big.csv", b"x" * (1024**2 + 1))
    code, reply = await get(jp_fetch, f"shared/{folder}/big.csv")
    assert code == 413
    assert "not opened whole" in reply["message"] and "preview" in reply["message"]
    # Its model without content is still there: the UI learns the size from it.
    code, bare = await get(jp_fetch, f"shared/{folder}/big.csv", content="0")
    assert code == 200 and bare["size"] == 1024**2 + 1


async def test_missing_objects_and_bad_paths(jp_fetch, s3_client, folder):
    put(s3_client, f"shared/{folder}/gone.txt", b"soon gone")
    s3_client.delete_object(Bucket="datalake", Key=f"shared/{folder}/gone.txt")
    code, reply = await get(jp_fetch, f"shared/{folder}/gone.txt")
    assert code == 404 and "not in the data lake" in reply["message"]
    code, reply = await get(jp_fetch, "nowhere/x.txt")
    assert code == 400 and "There is no area 'nowhere'" in reply["message"]
    code, reply = await get(jp_fetch, f"shared/{folder}/../x.txt")
    assert code == 400


async def test_saving_back_over_the_version_opened(jp_fetch, s3_client, folder):
    key = f"users/tester/{folder}/notes.txt"
    put(s3_client, key, b"first")
    _, model = await get(jp_fetch, f"mine/{folder}/notes.txt")
    code, saved = await save(
        jp_fetch, model["path"], model["hash"], {"type": "file", "format": "text", "content": "2nd"}
    )
    assert code == 200, saved
    assert s3_client.get_object(Bucket="datalake", Key=key)["Body"].read() == b"2nd"
    assert saved["hash"] != model["hash"] and saved["content"] is None
    head = s3_client.head_object(Bucket="datalake", Key=key)
    assert saved["hash"] == head["ETag"].strip('"')
    assert head["Metadata"]["uploader"] == "tester"

    # Saved again with the new ETag: still the user's own version, so it goes through.
    code, again = await save(
        jp_fetch, model["path"], saved["hash"], {"type": "file", "format": "text", "content": "3"}
    )
    assert code == 200, again


async def test_a_notebook_saves_back_as_nbformat(jp_fetch, s3_client, folder):
    key = f"users/tester/{folder}/run.ipynb"
    put(s3_client, key, notebook_bytes("1 + 1"))
    _, model = await get(jp_fetch, f"mine/{folder}/run.ipynb")
    notebook = model["content"]
    notebook["cells"][0]["outputs"] = [
        {"output_type": "execute_result", "execution_count": 1, "metadata": {},
         "data": {"text/plain": "2"}}
    ]  # fmt: skip
    code, saved = await save(
        jp_fetch, model["path"], model["hash"], {"type": "notebook", "content": notebook}
    )
    assert code == 200 and saved["type"] == "notebook", saved
    stored = nbformat.reads(s3_client.get_object(Bucket="datalake", Key=key)["Body"].read(), 4)
    assert stored.cells[0].outputs[0]["data"]["text/plain"] == "2"


async def test_an_object_changed_underneath_is_not_overwritten(jp_fetch, s3_client, folder):
    key = f"shared/{folder}/table.csv"
    put(s3_client, key, b"a\n1\n")
    _, model = await get(jp_fetch, f"shared/{folder}/table.csv")
    put(s3_client, key, b"a\n1\n2\n")  # someone else's write
    code, reply = await save(
        jp_fetch, model["path"], model["hash"], {"type": "file", "format": "text", "content": "x"}
    )
    assert code == 412 and "changed in the data lake since you opened it" in reply["message"]
    assert s3_client.get_object(Bucket="datalake", Key=key)["Body"].read() == b"a\n1\n2\n"

    s3_client.delete_object(Bucket="datalake", Key=key)
    code, reply = await save(
        jp_fetch, model["path"], model["hash"], {"type": "file", "format": "text", "content": "x"}
    )
    assert code == 412 and "was deleted from the data lake" in reply["message"]
    assert "Contents" not in s3_client.list_objects_v2(Bucket="datalake", Prefix=key)


async def test_a_new_object_is_not_written_over_an_existing_one(jp_fetch, s3_client, folder):
    code, made = await save(
        jp_fetch, f"shared/{folder}/new.txt", "", {"type": "file", "format": "text", "content": "n"}
    )
    assert code == 200, made
    code, reply = await save(
        jp_fetch, f"shared/{folder}/new.txt", "", {"type": "file", "format": "text", "content": "m"}
    )
    assert code == 412, reply
    body = s3_client.get_object(Bucket="datalake", Key=f"shared/{folder}/new.txt")["Body"].read()
    assert body == b"n"


async def test_a_read_only_area_shows_and_refuses_writes(jp_fetch, s3_client, read_only):
    etag = put(s3_client, f"{read_only}ref.json", b'{"a": 1}')
    path = f"{read_only}ref.json"
    code, model = await get(jp_fetch, path)
    assert code == 200 and model["writable"] is False and json.loads(model["content"]) == {"a": 1}
    code, reply = await save(
        jp_fetch, path, etag, {"type": "file", "format": "text", "content": "{}"}
    )
    assert code == 403 and "read-only" in reply["message"]
    assert s3_client.get_object(Bucket="datalake", Key=path)["Body"].read() == b'{"a": 1}'


async def test_a_save_above_the_open_limit_is_refused(jp_fetch, s3_client, folder):
    big = base64.b64encode(b"y" * (1024**2 + 10)).decode()
    code, reply = await save(
        jp_fetch,
        f"shared/{folder}/big.bin",
        "",
        {"type": "file", "format": "base64", "content": big},
    )
    assert code == 413, reply


def test_the_open_limit_comes_from_the_environment_and_defaults_to_64_mib(monkeypatch, tmp_path):
    assert DataLake(home_dir=str(tmp_path)).resolve().open_limit == 64 * 1024**2
    monkeypatch.setenv("DATALAKE_OPEN_LIMIT", "200Mi")
    assert DataLake(home_dir=str(tmp_path)).resolve().open_limit == 200 * 1024**2
    monkeypatch.setenv("DATALAKE_OPEN_LIMIT", "lots")
    with pytest.raises(ConfigError, match="DATALAKE_OPEN_LIMIT"):
        DataLake(home_dir=str(tmp_path)).resolve()
