"""Check what `pip install` gives a user: the wheel carries the prebuilt labextension and the
server config, and Jupyter reports both halves of the extension as enabled and OK.

    python scripts/check_install.py dist/jupyterlab_datalake-*.whl
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

LABEXT = "share/jupyter/labextensions/jupyterlab-datalake/"
EXPECTED_IN_WHEEL = [
    (LABEXT + "package.json", "labextension metadata"),
    (LABEXT + "install.json", "install.json"),
    (LABEXT + "static/remoteEntry.", "prebuilt frontend bundle"),
    (LABEXT + "schemas/jupyterlab-datalake/plugin.json", "settings schema"),
    ("etc/jupyter/jupyter_server_config.d/jupyterlab_datalake.json", "server extension enabled"),
    ("jupyterlab_datalake/handlers/routes.py", "server extension code"),
]


def jupyter(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", *args], capture_output=True, text=True, check=False
    )
    # Both list commands print to stderr; strip colour codes before matching.
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)


def main(wheel: str) -> int:
    failures: list[str] = []
    names = zipfile.ZipFile(wheel).namelist()
    for prefix, what in EXPECTED_IN_WHEEL:
        matches = [n for n in names if f"/data/{prefix}" in n or n.startswith(prefix)]
        if not matches:
            failures.append(f"the wheel lacks the {what} ({prefix}…)")
    if any(n.endswith(".ts") and not n.endswith(".d.ts") for n in names):
        failures.append("the wheel carries TypeScript sources instead of only the built bundle")

    labext = jupyter("labextension", "list")
    if not re.search(r"jupyterlab-datalake v\S+ enabled OK", labext):
        failures.append("`jupyter labextension list` does not show jupyterlab-datalake enabled OK")
    server = jupyter("server", "extension", "list")
    if not re.search(r"jupyterlab_datalake enabled", server) or not re.search(
        r"jupyterlab_datalake \S+ OK", server
    ):
        failures.append("`jupyter server extension list` does not show jupyterlab_datalake OK")

    checks = len(EXPECTED_IN_WHEEL) + 3
    for failure in failures:
        print(f"FAIL: {failure}")
    print(f"install: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
