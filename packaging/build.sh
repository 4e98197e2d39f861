#!/usr/bin/env bash
# Builds pos-app's Linux bundle and the tarball store owners install:
#   dist/pos-app/pos-app                               the one-folder PyInstaller bundle
#   dist/pos-app-<version>-linux-<arch>.tar.gz         bundle + desktop entry + icons + install.sh
#
# PYTHON=/path/to/python uses that interpreter's environment (it must have pos-app's
# dependencies; PyInstaller is added to it if missing). By default: this checkout's .venv,
# created with `pip install -e ".[packaging]"` when it does not exist.
#
# Safe to run again: dist/pos-app, the tarball and build/pyinstaller are rebuilt from scratch.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
started=$(date +%s%N)

NAME=pos-app
OWN_VENV="$ROOT/.venv"
PYTHON="${PYTHON:-$OWN_VENV/bin/python}"

if [ ! -x "$PYTHON" ]; then
  if [ "$PYTHON" != "$OWN_VENV/bin/python" ]; then
    echo "build: PYTHON=$PYTHON is not an executable" >&2
    exit 1
  fi
  echo "build: creating .venv with $(python3 --version)"
  python3 -m venv "$OWN_VENV"
  "$PYTHON" -m pip install -q -e ".[packaging]"
fi

# PyInstaller at the version pinned in pyproject.toml's `packaging` extra. Into a foreign
# environment only the extra's requirements go: `pip install -e .` there would point that
# environment's pos-app at this checkout (the spec bundles this checkout's code regardless).
packaging_requirements() {
  "$PYTHON" - <<'EOF'
import tomllib

with open("pyproject.toml", "rb") as file:
    print("\n".join(tomllib.load(file)["project"]["optional-dependencies"]["packaging"]))
EOF
}
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  if [ "$PYTHON" = "$OWN_VENV/bin/python" ]; then
    echo "build: installing PyInstaller into .venv (pip install -e \".[packaging]\")"
    "$PYTHON" -m pip install -q -e ".[packaging]"
  else
    mapfile -t requirements < <(packaging_requirements)
    echo "build: installing ${requirements[*]} into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    "$PYTHON" -m pip install -q "${requirements[@]}"
  fi
fi
echo "build: PyInstaller $("$PYTHON" -c 'import PyInstaller; print(PyInstaller.__version__)')," \
  "$("$PYTHON" --version)"

# -- the bundle ----------------------------------------------------------------------------
rm -rf "dist/$NAME" build/pyinstaller
pyinstaller_started=$(date +%s%N)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/pos-app.spec
pyinstaller_ms=$((($(date +%s%N) - pyinstaller_started) / 1000000))

BUNDLE="dist/$NAME"
VERSION="$(cat "$BUNDLE/VERSION")"
# The bundle must run on its own before it is shipped: its version, then the whole app
# offscreen (window, totals, receipt PDF, sync to the built-in sandbox) in a temp folder.
reported="$("$BUNDLE/$NAME" --version)"
if [ "$reported" != "$NAME $VERSION" ]; then
  echo "build: the bundle says '$reported', expected '$NAME $VERSION'" >&2
  exit 1
fi
"$BUNDLE/$NAME" --self-test || {
  echo "build: the bundle's self-test failed (output above)" >&2
  exit 1
}

# -- the tarball ---------------------------------------------------------------------------
ARCH="$(uname -m)"
STEM="$NAME-$VERSION"
STAGE="build/tarball/$STEM"
TARBALL="dist/$STEM-linux-$ARCH.tar.gz"
rm -rf build/tarball "$TARBALL"
mkdir -p "$STAGE/icons"
cp -a "$BUNDLE" "$STAGE/$NAME"
cp packaging/pos-app.desktop packaging/install.sh "$STAGE/"
cp resources/icons/pos-app.svg resources/icons/pos-app-*.png "$STAGE/icons/"
chmod 755 "$STAGE/install.sh"
# Sorted entries, fixed owner: the same bundle gives the same archive listing.
tar --sort=name --owner=0 --group=0 --numeric-owner -C build/tarball -czf "$TARBALL" "$STEM"
rm -rf build/tarball

total_ms=$((($(date +%s%N) - started) / 1000000))
printf 'build: %s %s\n' "$NAME" "$VERSION"
printf 'build: bundle   %s  %s (%s files)\n' "$BUNDLE" "$(du -sh "$BUNDLE" | cut -f1)" \
  "$(find "$BUNDLE" -type f | wc -l)"
printf 'build: tarball  %s  %s\n' "$TARBALL" "$(du -h "$TARBALL" | cut -f1)"
printf 'build: time     %d.%d s (PyInstaller %d.%d s)\n' $((total_ms / 1000)) $((total_ms % 1000 / 100)) \
  $((pyinstaller_ms / 1000)) $((pyinstaller_ms % 1000 / 100))
