"""The store's settings in `<data dir>/settings.json`, the secrets in `secrets.json` (mode 0600).

This adapter stores plain JSON objects; what they mean is declared once in
`pos_app.services.settings`, which bootstrap uses to convert.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pos_app.adapters.config.json_files import read_json, write_json

SETTINGS_FILE = "settings.json"
SECRETS_FILE = "secrets.json"
_SECRET_KEYS = ("api_token", "client_secret", "invoiced_key")


class SettingsFile:
    def __init__(self, data_dir: Path):
        self.settings_path = data_dir / SETTINGS_FILE
        self.secrets_path = data_dir / SECRETS_FILE

    def load(self) -> dict[str, Any]:
        return read_json(self.settings_path) or {}

    def save(self, data: dict[str, Any]) -> None:
        write_json(self.settings_path, data)

    def load_secrets(self) -> dict[str, str]:
        data = read_json(self.secrets_path) or {}
        return {k: str(v) for k, v in data.items() if k in _SECRET_KEYS and v}

    def save_secrets(self, secrets: dict[str, str | None]) -> None:
        write_json(
            self.secrets_path,
            {k: v for k, v in secrets.items() if k in _SECRET_KEYS and v},
            mode=0o600,
        )
