"""The composition root loads the sandbox (and uvicorn, starlette) only in demo mode: a till
with an API never imports them. Each check runs in a fresh interpreter, whose sys.modules says
what was loaded."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SANDBOX_MODULES = ("pos_app.sandbox", "uvicorn", "starlette")


def _loaded_after(code: str, tmp_path: Path) -> set[str]:
    script = (
        f"SANDBOX_MODULES = {SANDBOX_MODULES!r}\n"
        + textwrap.dedent(code)
        + textwrap.dedent(
            """
        import json, sys
        print(json.dumps([m for m in sys.modules if m.startswith(SANDBOX_MODULES)]))
        """
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _opens_services(api_url: str | None) -> str:
    return f"""
        import asyncio, sys
        from pathlib import Path
        from pos_app.bootstrap import Bootstrap
        from pos_app.services.runtime import RuntimeOptions

        async def main():
            options = RuntimeOptions(data_dir=Path(sys.argv[1]) / "till", api_url={api_url!r})
            async with Bootstrap(options).open_services():
                pass

        asyncio.run(main())
    """


def test_importing_bootstrap_loads_no_sandbox(tmp_path: Path) -> None:
    assert _loaded_after("import pos_app.bootstrap\n", tmp_path) == set()


def test_a_till_with_an_api_never_loads_the_sandbox(tmp_path: Path) -> None:
    assert _loaded_after(_opens_services("http://127.0.0.1:9"), tmp_path) == set()


def test_demo_mode_loads_it(tmp_path: Path) -> None:
    assert set(SANDBOX_MODULES) <= _loaded_after(_opens_services(None), tmp_path)
