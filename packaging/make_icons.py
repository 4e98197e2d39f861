"""Renders pos-app's PNG icons (48, 128 and 256 px) from resources/icons/pos-app.svg.

The PNGs are committed, so neither a build nor a till needs this script; run it after editing
the SVG:

    .venv/bin/python packaging/make_icons.py

Qt's own SVG renderer (QtSvg, part of PySide6-Essentials) draws them: no other tool to install.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# No display is needed to draw into an image.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "pos-app.svg"
SIZES = (48, 128, 256)


def png_name(size: int) -> str:
    return f"pos-app-{size}.png"


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])  # QPainter needs a Gui application for fonts
    for size in SIZES:
        target = ICONS / png_name(size)
        if not render(SVG, size).save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
