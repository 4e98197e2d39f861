"""Where pos-app's bundled files are: fonts, gettext catalogs, the sample catalog, icons.

One function for every way the app runs (source checkout, installed wheel, PyInstaller
bundle): the files travel as package data of `pos_app.resources`, and importlib.resources
finds them wherever the package was loaded from.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """The path of a bundled file, e.g. resource_path("fonts", "DejaVuSans.ttf")."""
    path = Path(str(files(__name__).joinpath(*parts)))
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {'/'.join(parts)}")
    return path
