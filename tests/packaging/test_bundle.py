"""The installable bundle (issue 6), built as a release is: from a clean clone of the committed
HEAD (uncommitted or untracked files cannot leak in) by packaging/build.sh, into a temporary
folder (nothing lands in this checkout's dist/ or build/).

The tarball is then unpacked elsewhere and the clone deleted, and everything runs from the
unpacked bundle with a scrubbed environment (PATH=/usr/bin:/bin, no PYTHONPATH, no virtualenv,
a fresh HOME): the bundle must carry its own Python and libraries.

build.sh runs with this test's interpreter (PYTHON=...), whose environment already holds the
app's dependencies; it adds the pinned PyInstaller there if missing. ~1 minute on 2 cores.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
# Every file of resources/ the app or its installers read (the wheel test checks them too).
BUNDLED_RESOURCES = (
    "fonts/DejaVuSans.ttf",
    "fonts/DejaVuSans-Bold.ttf",
    "i18n/fr/LC_MESSAGES/pos_app.mo",
    "i18n/en/LC_MESSAGES/pos_app.mo",
    "sample_catalog.csv",
    "icons/pos-app.svg",
    "icons/pos-app-48.png",
    "icons/pos-app-128.png",
    "icons/pos-app-256.png",
)
BUILD_TIMEOUT_S = 600

# Revenu Québec's $100 taxable sale, paid 120.00 cash.
CART = {
    "currency": "CAD",
    "items": [
        {
            "name": "Article",
            "unitPrice": "100.00",
            "quantity": "1",
            "taxes": [
                {"name": "GST", "percentage": "5"},
                {"name": "QST", "percentage": "9.975"},
            ],
        }
    ],
    "payments": [{"type": "CASH", "amount": "120.00"}],
}
# GST 5 % of 100 = 5.00; QST 9.975 % = 9.975 -> 9.98; total 114.98; cash rounds to 115.00.
TOTALS = {
    "currency": "CAD",
    "subTotal": "100.00",
    "totalDiscounts": "0.00",
    "totalTaxes": "14.98",
    "taxes": [
        {"name": "GST", "percentage": "5", "total": "5.00"},
        {"name": "QST", "percentage": "9.975", "total": "9.98"},
    ],
    "totalFees": "0.00",
    "totalTip": "0.00",
    "totalShipping": "0.00",
    "totalDuties": "0.00",
    "total": "114.98",
    "totalNet": None,
    "cashDue": "115.00",
    "cashRounding": "0.02",
    "changeDue": "5.00",
    "totalPayments": "115.00",
    "balanceDue": "0.00",
    "lines": [
        {
            "name": "Article",
            "subTotal": "100.00",
            "totalDiscounts": "0.00",
            "totalTaxes": "14.98",
            "total": "114.98",
        }
    ],
}


@dataclass
class Bundle:
    version: str
    root: Path  # the unpacked tarball's top folder: pos-app/, install.sh, icons...
    work: Path  # a scratch folder for homes, data and carts
    build_log: str
    build_seconds: float

    @property
    def executable(self) -> Path:
        return self.root / "pos-app" / "pos-app"

    def env(self, name: str, **extra: str) -> dict[str, str]:
        """A scrubbed environment with its own HOME and TMPDIR under `work/name`."""
        home, tmp = self.work / name / "home", self.work / name / "tmp"
        home.mkdir(parents=True, exist_ok=True)
        tmp.mkdir(parents=True, exist_ok=True)
        return {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "TMPDIR": str(tmp),
            "LANG": "C.UTF-8",
            **extra,
        }

    def run(
        self, *args: str, env: dict[str, str], exe: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe or self.executable), *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.work,
            env=env,
        )


def _committed_version(clone: Path) -> str:
    text = (clone / "pos_app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    assert match, "pos_app/__init__.py has no __version__"
    return match.group(1)


@pytest.fixture(scope="module")
def bundle() -> Iterator[Bundle]:
    repo_had = {name: (REPO / name).exists() for name in ("dist", "build")}
    with tempfile.TemporaryDirectory(prefix="pos-app-bundle-test-") as tmp:
        base = Path(tmp)
        clone = base / "clone"
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        subprocess.run(
            ["git", "clone", "--quiet", "--no-checkout", str(REPO), str(clone)], check=True
        )
        subprocess.run(
            ["git", "-C", str(clone), "-c", "advice.detachedHead=false", "checkout", "-q", head],
            check=True,
        )
        version = _committed_version(clone)

        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env["PYTHON"] = sys.executable
        started = time.monotonic()
        build = subprocess.run(
            ["bash", str(clone / "packaging" / "build.sh")],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            cwd=clone,
            env=env,
        )
        seconds = time.monotonic() - started
        log = build.stdout + build.stderr
        assert build.returncode == 0, log[-6000:]

        tarball = clone / "dist" / f"pos-app-{version}-linux-{platform.machine()}.tar.gz"
        assert tarball.is_file(), log[-3000:]
        unpacked = base / "unpacked"
        with tarfile.open(tarball) as archive:
            # The "tar" filter keeps the bundle's relative symlinks (3.11.4+ has filters).
            if hasattr(tarfile, "tar_filter"):
                archive.extractall(unpacked, filter="tar")
            else:
                archive.extractall(unpacked)  # our own archive, just built
        # Nothing from the source tree or its build may be reachable from now on.
        shutil.rmtree(clone)
        work = base / "work"
        work.mkdir()
        yield Bundle(version, unpacked / f"pos-app-{version}", work, log, seconds)
    for name, existed in repo_had.items():
        assert (REPO / name).exists() == existed, f"the bundle test left {name}/ in the checkout"


def test_build_reports_size_and_time(
    bundle: Bundle, record_property: Callable[[str, object], None]
) -> None:
    for what in ("bundle", "tarball", "time"):
        assert re.search(rf"^build: {what} ", bundle.build_log, re.MULTILINE), bundle.build_log
    files = [f for f in bundle.executable.parent.rglob("*") if f.is_file() and not f.is_symlink()]
    mib = sum(f.stat().st_size for f in files) / 2**20
    record_property("bundle_mib", round(mib))
    record_property("build_seconds", round(bundle.build_seconds))
    print(f"bundle {mib:.0f} MiB in {len(files)} files, build {bundle.build_seconds:.0f} s")


def test_version_from_the_bundle(bundle: Bundle) -> None:
    result = bundle.run("--version", env=bundle.env("version"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"pos-app {bundle.version}"
    assert (bundle.executable.parent / "VERSION").read_text().strip() == bundle.version


def test_totals_from_the_bundle(bundle: Bundle) -> None:
    cart = bundle.work / "cart.json"
    cart.write_text(json.dumps(CART), encoding="utf-8")
    env = bundle.env("totals")
    result = bundle.run(
        "--data-dir", str(bundle.work / "totals" / "data"), "totals", str(cart), env=env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == TOTALS


def test_self_test_from_the_bundle(bundle: Bundle) -> None:
    env = bundle.env("self-test")
    result = bundle.run("--self-test", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["ok window", "ok totals 114.98"], result.stdout
    assert re.fullmatch(r"ok receipt pdf \(\d+ bytes\)", lines[2]), result.stdout
    assert lines[3:] == ["ok sync"], result.stdout
    # Its data lived in a temporary folder, removed; the user's data folder was never made.
    assert list(Path(env["TMPDIR"]).iterdir()) == []
    assert not (Path(env["HOME"]) / ".local" / "share" / "pos-app").exists()


def test_every_resource_is_bundled(bundle: Bundle) -> None:
    # Where resource_path() finds them in the bundle (the self-test reads the catalogs, the
    # fonts and the sample catalog through it; icons are for the desktop and installers).
    resources = bundle.executable.parent / "_internal" / "pos_app" / "resources"
    for part in BUNDLED_RESOURCES:
        assert (resources / part).is_file(), part


def test_only_the_qt_plugins_and_locales_the_app_uses(bundle: Bundle) -> None:
    internal = bundle.executable.parent / "_internal"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert sorted(p.name for p in (plugins / "platforms").iterdir()) == [
        "libqoffscreen.so",
        "libqxcb.so",
    ]
    assert {p.name for p in plugins.iterdir()} <= {"platforms", "platforminputcontexts"}
    names = {p.name for p in internal.rglob("*")}
    for unused in ("libQt6WaylandClient.so.6", "libQt6Qml.so.6", "libQt6Network.so.6"):
        assert unused not in names
    locales = sorted(p.name for p in (internal / "babel" / "locale-data").iterdir())
    assert locales == ["en.dat", "en_CA.dat", "fr.dat", "fr_CA.dat", "root.dat"]
    broken = [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert broken == []


def test_install_script_puts_it_in_the_menu(bundle: Bundle) -> None:
    prefix = bundle.work / "prefix"
    env = bundle.env("install", PREFIX=str(prefix))
    result = subprocess.run(
        ["bash", str(bundle.root / "install.sh")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    installed = prefix / "opt" / "pos-app" / "pos-app"
    assert bundle.run("--version", env=env, exe=installed).stdout.strip() == (
        f"pos-app {bundle.version}"
    )
    desktop = (prefix / "share" / "applications" / "pos-app.desktop").read_text(encoding="utf-8")
    assert f'Exec="{installed}"' in desktop.splitlines()
    assert "Icon=pos-app" in desktop.splitlines()
    for size in (48, 128, 256):
        assert (
            prefix / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "pos-app.png"
        ).is_file()
    assert (prefix / "bin" / "pos-app").resolve() == installed.resolve()

    removed = subprocess.run(
        ["bash", str(bundle.root / "install.sh"), "--uninstall"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert removed.returncode == 0, removed.stderr
    assert not installed.exists()
    assert not (prefix / "share" / "applications" / "pos-app.desktop").exists()
