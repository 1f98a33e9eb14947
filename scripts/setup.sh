#!/usr/bin/env bash
# Install everything the demo and the tests need, from a clean clone on a fresh Debian machine:
# Debian packages (when root), a virtualenv in .venv, and this package built as a real wheel,
# so that what the tests exercise is what `pip install jupyterlab-datalake` would give a user.
#
#   scripts/setup.sh            # Python side: venv, wheel, extras
#   scripts/setup.sh --system   # also the Debian packages the test suites need
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
cd "$ROOT"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "${1:-}" = "--system" ]; then
  # chromium drives the UI tests; the Ceph packages are installed by scripts/rgw.sh itself.
  apt_install chromium fonts-dejavu-core
fi
command -v node >/dev/null || apt_install nodejs npm

if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install -q --upgrade pip build

# Build the wheel exactly as a release would (isolated build env, hatch-jupyter-builder runs
# jlpm), then install it; a stale wheel from an earlier run is never reused.
log "building the wheel"
rm -rf "$ROOT/dist"
"$PY" -m build --wheel --outdir "$ROOT/dist" "$ROOT" >"$ROOT/dist.log" 2>&1 || {
  tail -40 "$ROOT/dist.log" >&2
  exit 1
}
WHEEL="$(ls "$ROOT"/dist/jupyterlab_datalake-*.whl)"
log "installing $(basename "$WHEEL") with its test and demo extras"
"$PY" -m pip install -q --force-reinstall --no-deps "$WHEEL"
"$PY" -m pip install -q "${WHEEL}[test,demo]"
# jlpm comes with jupyterlab; jest, the linters and Galata run through it.
export PATH="$VENV/bin:$PATH"
log "installing JavaScript dependencies"
jlpm install >/dev/null
log "ready: $("$PY" -c 'import jupyterlab_datalake as m; print(m.__name__, m.__version__)')"
