"""The local Smartbills-compatible API server, for demos and tests (contract section 5)."""

from pos_app.sandbox.server import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_TOKEN,
    SandboxServer,
)

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "DEFAULT_TOKEN", "SandboxServer"]
