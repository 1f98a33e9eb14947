"""The Python that "Copy Python snippet" puts on the clipboard, run in a real Jupyter kernel
(this environment's ipykernel) against the S3 server, with the environment a single-user
server gives its kernels: the endpoint and the keys as AWS_* variables, nothing else.

The snippets are written by the frontend (src/logic/snippets.ts). Node transpiles that very
file with the repository's TypeScript and prints what it writes for the keys below, so a change
there is what runs here.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS_TS = ROOT / "src" / "logic" / "snippets.ts"

# Loads the .ts modules through typescript.transpileModule (their imports too), then prints
# pythonSnippet (what is copied) and pythonSnippets (each form) for each [bucket, key] read
# from stdin.
PRINT_SNIPPETS_JS = r"""
const fs = require('fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    fileName: filename
  });
  module._compile(outputText, filename);
};
const snippets = require(process.argv[1]);
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(([bucket, key]) => ({
  copied: snippets.pythonSnippet(bucket, key),
  forms: Object.fromEntries(
    snippets.pythonSnippets(bucket, key).map(form => [form.kind, form.code])
  )
}))));
"""


def generated(cases: list[tuple[str, str]]) -> list[dict]:
    result = subprocess.run(
        ["node", "-e", PRINT_SNIPPETS_JS, str(SNIPPETS_TS)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=ROOT,  # where node_modules/typescript is
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def kernel(s3_server) -> Iterator[object]:
    from jupyter_client.manager import start_new_kernel

    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update({name: v for name, v in s3_server.items() if name.startswith("AWS_")})
    # Nothing of the developer's ~/.aws may stand in for what the server gives.
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    manager, client = start_new_kernel(kernel_name="python3", env=env, startup_timeout=120)
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code: str) -> tuple[str, dict]:
    """Run a cell; its printed text and its result's data. A failing cell fails the test."""
    printed: list[str] = []
    result: dict = {}

    def output(message: dict) -> None:
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            printed.append(content["text"])
        elif kind == "execute_result":
            result.update(content["data"])
        elif kind == "error":
            printed.append("\n".join(content["traceback"]))

    reply = client.execute_interactive(code, output_hook=output, timeout=120)
    assert reply["content"]["status"] == "ok", "".join(printed)
    return "".join(printed), result


def run_fresh(client, code: str) -> tuple[str, dict]:
    """Run a snippet in a namespace emptied first, so that nothing left by another counts."""
    run(client, "%reset -f")
    return run(client, code)


ROWS = [{"id": i, "city": f"City {i}", "visits": i * 7} for i in range(50)]


def csv_bytes() -> bytes:
    lines = ["id,city,visits"] + [f"{r['id']},{r['city']},{r['visits']}" for r in ROWS]
    return ("\n".join(lines) + "\n").encode()


def parquet_bytes() -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(ROWS), buffer)
    return buffer.getvalue()


@pytest.fixture
def objects(s3_client, s3_server, folder) -> dict[str, bytes]:
    """Objects of each kind the snippets read, under a folder of the shared area."""
    bodies = {
        f"shared/{folder}/visits 2026.csv": csv_bytes(),
        f"shared/{folder}/visits.parquet": parquet_bytes(),
        f"shared/{folder}/visits.JSON": json.dumps(ROWS).encode(),
        f'shared/{folder}/model "v2" naïve.bin': os.urandom(70_000),
    }
    for key, body in bodies.items():
        s3_client.put_object(Bucket=s3_server["DATALAKE_BUCKET"], Key=key, Body=body)
    return bodies


def test_each_snippet_kind_reads_the_object_in_a_kernel(kernel, objects, s3_server, folder):
    bucket = s3_server["DATALAKE_BUCKET"]
    keys = list(objects)
    folder_key = f"shared/{folder}/"
    snippets = generated([(bucket, key) for key in keys] + [(bucket, folder_key)])
    by_key = dict(zip([*keys, folder_key], snippets))

    # A table: pandas through s3fs gives the rows, and boto3 alone the very bytes.
    for key in keys[:3]:
        forms = by_key[key]["forms"]
        assert set(forms) == {"pandas", "boto3"}, key
        _, shown = run_fresh(kernel, forms["pandas"])
        assert "text/html" in shown, f"{key}: df.head() shows no table"
        rows, _ = run(kernel, "import json; print(json.dumps(df.to_dict('records')))")
        assert json.loads(rows) == ROWS, key
        run_fresh(kernel, forms["boto3"])
        digest, _ = run(kernel, "import hashlib; print(hashlib.sha256(data).hexdigest())")
        assert digest.strip() == hashlib.sha256(objects[key]).hexdigest(), key

    # What is copied runs as pasted: the pandas form, the boto3 one being a comment.
    _, shown = run_fresh(kernel, by_key[keys[0]]["copied"])
    assert "text/html" in shown
    names, _ = run(kernel, "print(sorted(n for n in dir() if not n.startswith('_')))")
    assert "df" in names and "data" not in names

    # Any other file: its bytes through boto3, which is all that is copied.
    other = by_key[keys[3]]
    assert list(other["forms"]) == ["boto3"] and other["copied"] == other["forms"]["boto3"]
    run_fresh(kernel, other["copied"])
    digest, _ = run(kernel, "import hashlib; print(hashlib.sha256(data).hexdigest())")
    assert digest.strip() == hashlib.sha256(objects[keys[3]]).hexdigest()

    # A folder: the listing prints each key with its size.
    listing = by_key[folder_key]
    assert list(listing["forms"]) == ["listing"]
    printed, _ = run_fresh(kernel, listing["copied"])
    assert sorted(printed.splitlines()) == sorted(f"{k} {len(v)}" for k, v in objects.items())
