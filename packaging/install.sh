#!/usr/bin/env bash
# Installs pos-app for the current user, no root needed:
#   the app      ~/.local/opt/pos-app/            (replaced whole on an upgrade)
#   a command    ~/.local/bin/pos-app             (a link, for the terminal)
#   the menu     ~/.local/share/applications/pos-app.desktop
#   the icon     ~/.local/share/icons/hicolor/{48x48,128x128,256x256,scalable}/apps/
# The store's data (~/.local/share/pos-app: sales, settings, receipts) is never touched.
#
#   ./install.sh              install or upgrade
#   ./install.sh --uninstall  remove the app, the command, the menu entry and the icons
# PREFIX=/some/dir ./install.sh installs under that folder instead of ~/.local.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${PREFIX:-${HOME:?}/.local}"
APP="$PREFIX/opt/pos-app"
BIN="$PREFIX/bin/pos-app"
DESKTOP="$PREFIX/share/applications/pos-app.desktop"
ICONS="$PREFIX/share/icons/hicolor"

# No update-desktop-database or gtk-update-icon-cache: desktops watch these folders, and a
# per-user icon cache goes stale for every other app that installs icons there without one.

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$APP"
  rm -f "$BIN" "$DESKTOP" "$ICONS"/{48x48,128x128,256x256}/apps/pos-app.png "$ICONS/scalable/apps/pos-app.svg"
  echo "pos-app removed (its data in ${XDG_DATA_HOME:-$HOME/.local/share}/pos-app is kept)"
  exit 0
fi

# Copy next to the old install, then swap: an interrupted upgrade leaves the old app working.
mkdir -p "$PREFIX/opt"
rm -rf "$APP.new"
cp -a "$HERE/pos-app" "$APP.new"
rm -rf "$APP"
mv "$APP.new" "$APP"

mkdir -p "$(dirname "$BIN")"
ln -sfn "$APP/pos-app" "$BIN"

for size in 48 128 256; do
  install -D -m 644 "$HERE/icons/pos-app-$size.png" "$ICONS/${size}x$size/apps/pos-app.png"
done
install -D -m 644 "$HERE/icons/pos-app.svg" "$ICONS/scalable/apps/pos-app.svg"

# The menu entry runs the installed executable by its full path: the desktop's PATH may not
# include ~/.local/bin.
mkdir -p "$(dirname "$DESKTOP")"
sed -e "s|^Exec=.*|Exec=\"$APP/pos-app\"|" -e "s|^TryExec=.*|TryExec=$APP/pos-app|" \
  "$HERE/pos-app.desktop" >"$DESKTOP"
chmod 644 "$DESKTOP"

echo "$("$APP/pos-app" --version) installed in $APP"
echo "Start it from the applications menu (Office), or run: $BIN"
