"""Object names for widgets: they let tests, accessibility tools and style sheets find a
widget by what it is ("scanField", "payButton"). Set through one helper because the Qt
type stubs do not declare `objectName=` as a constructor keyword."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

T = TypeVar("T", bound=QObject)


def named(obj: T, name: str) -> T:
    obj.setObjectName(name)
    return obj
