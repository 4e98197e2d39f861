"""Test-wide setup. Qt must be told to draw offscreen before anything imports it: without a
display pytest would abort with a misleading xcb error (../shared/qt-facts.md)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ("tests.fixtures.sandbox",)
