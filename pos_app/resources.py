"""Where pos-app's bundled files are: fonts, gettext catalogs, the sample catalog, icons.

They live in the top-level resources/ folder beside pos_app/. One function finds them however
the app runs: a source checkout or an editable install reads that folder; a wheel carries it
as pos_app/resources/ (setup.py maps it there) and the PyInstaller bundle as
_internal/pos_app/resources/ (packaging/pos-app.spec), both found through importlib.resources.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

# A source checkout: the project's root holds pyproject.toml beside pos_app/ and resources/.
_ROOT = Path(__file__).resolve().parent.parent


@cache
def resources_root() -> Path:
    if (_ROOT / "pyproject.toml").is_file() and (_ROOT / "resources").is_dir():
        return _ROOT / "resources"
    return Path(str(files("pos_app").joinpath("resources")))


def resource_path(*parts: str) -> Path:
    """The path of a bundled file, e.g. resource_path("fonts", "DejaVuSans.ttf")."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {'/'.join(parts)}")
    return path
