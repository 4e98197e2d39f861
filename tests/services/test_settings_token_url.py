"""The token URL default is the .NET SDK's authority + connect/token (contract section 1)."""

from __future__ import annotations

from pos_app.adapters.api.auth import DEFAULT_TOKEN_URL
from pos_app.services.settings import Settings, settings_from_dict, settings_to_dict

NEW = "https://api.smartbills.io/auth/connect/token"


def test_the_default_token_url_is_the_sdk_authority_one():
    assert Settings().token_url == DEFAULT_TOKEN_URL == NEW


def test_a_saved_old_default_becomes_the_new_one_and_a_custom_url_is_kept():
    saved = settings_to_dict(Settings())
    old = {**saved, "token_url": "https://api.smartbills.io/connect/token"}
    custom = {**saved, "token_url": "https://login.example.com/token"}
    assert settings_from_dict(old).token_url == NEW
    assert settings_from_dict(custom).token_url == "https://login.example.com/token"
    assert settings_from_dict({k: v for k, v in saved.items() if k != "token_url"}).token_url == NEW
