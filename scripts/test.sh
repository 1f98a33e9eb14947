#!/usr/bin/env bash
# Run every test suite: linters, jest, pytest against a real S3 server (Ceph RGW), and the
# Galata UI tests in Debian's Chromium. Installs what it needs first (apt, pip, jlpm), because
# CI starts from a clean clone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
cd "$ROOT"
export PATH="$VENV/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "setup"
bash scripts/setup.sh --system

step "the installed package"
python scripts/check_install.py dist/jupyterlab_datalake-*.whl

step "lint"
ruff check .
ruff format --check .
jlpm lint:check

step "jest"
jlpm test

step "start the S3 test server (Ceph RGW)"
export RGW_DIR="${RGW_DIR:-/tmp/datalake-rgw}" PYTHON="$VENV/bin/python"
bash scripts/rgw.sh start
trap 'bash scripts/rgw.sh stop >/dev/null 2>&1 || true' EXIT
# The UI tests' Jupyter server reads the S3 settings from the environment.
# shellcheck disable=SC1091
source "$RGW_DIR/env"

step "pytest"
# The suite may stop and restart the gateway; it leaves the cluster to the trap above.
DATALAKE_KEEP_RGW=1 python -m pytest

step "demo check (the README's first command, with its own S3 server)"
# Against moto, as the demo runs: a status, a listing, and a file to the lake and back.
python demo/demo.py --check --port 8897 --home "$(mktemp -d)/home"

step "UI tests (Galata, Chromium)"
(cd ui-tests && jlpm install >/dev/null && jlpm playwright test)

step "all test suites passed"
