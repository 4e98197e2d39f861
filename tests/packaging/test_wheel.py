"""The wheel carries the top-level resources/ folder as pos_app/resources/, and resource_path()
finds every bundled file in an installed copy, away from this checkout (issue 13: the layout
asked for). Builds the wheel with pip (setuptools from the registry): slow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.resources import resource_path, resources_root
from tests.packaging.test_bundle import BUNDLED_RESOURCES

REPO = Path(__file__).resolve().parents[2]


def test_a_checkout_reads_the_top_level_folder() -> None:
    assert resources_root() == REPO / "resources"
    for part in BUNDLED_RESOURCES:
        assert resource_path(*part.split("/")).is_file(), part
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        resource_path("no-such-file")


@pytest.mark.slow
def test_an_installed_wheel_finds_every_resource(tmp_path: Path) -> None:
    dist, site = tmp_path / "dist", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(dist), str(REPO)], check=True)
    [wheel] = dist.glob("pos_app-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    code = (
        "import sys, pos_app, pos_app.resources as r\n"
        "print(pos_app.__file__); print(r.resources_root())\n"
        f"for part in {BUNDLED_RESOURCES!r}:\n"
        "    assert r.resource_path(*part.split('/')).is_file(), part\n"
    )
    # The installed copy first on the path, run from elsewhere: this checkout is not seen.
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    package, root = done.stdout.splitlines()
    assert Path(package).parent == site / "pos_app"
    assert Path(root) == site / "pos_app" / "resources"
