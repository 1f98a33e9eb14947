"""The server's packages import each other only downwards (the contracts in pyproject.toml):
an import circle, or a package reaching up into the one that uses it, fails the suite here
rather than surfacing as an ImportError in some later order of imports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lint_imports() -> list[str]:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    return [found, "--no-cache"]


def test_import_contracts_are_kept():
    result = subprocess.run(
        lint_imports(), cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout, result.stdout


def test_a_circle_would_be_caught(tmp_path):
    # The check itself must bite: the same contracts on a copy where safefs imports the
    # transfer manager (an upward import that closes a circle) are reported broken.
    copy = tmp_path / "jupyterlab_datalake"
    shutil.copytree(ROOT / "jupyterlab_datalake", copy, ignore=shutil.ignore_patterns("tests"))
    safefs = copy / "safefs.py"
    safefs.write_text(safefs.read_text() + "\nfrom .transfers import manager  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = subprocess.run(
        lint_imports(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "jupyterlab_datalake.safefs -> jupyterlab_datalake.transfers" in result.stdout
