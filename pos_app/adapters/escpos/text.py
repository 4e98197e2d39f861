"""Text as a thermal printer prints it: one byte per character in the printer's code page, and
lines of a fixed number of columns.

Every character is made printable in the code page first: what the table has stays (é, à, ç,
«, the no-break space), a few typographic marks become their plain look-alikes, an accented
letter the table lacks loses its accent, anything else becomes "?". So one character is one
column, and wrapping counts characters.
"""

from __future__ import annotations

import functools
import unicodedata

# One character for one, so widths do not change.
_LOOK_ALIKES = {
    "\u202f": "\u00a0",  # narrow no-break space (fr-CA thousands) -> no-break space
    "\u2014": "-",
    "\u2013": "-",
    "\u2022": "*",
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00d7": "x",
    "\u2026": ".",
}


@functools.lru_cache(maxsize=2048)
def _char(char: str, codec: str) -> str:
    category = unicodedata.category(char)
    if category == "Cc":
        return " "
    if category == "Cf":
        return ""
    for candidate in (char, _LOOK_ALIKES.get(char, "")):
        if candidate:
            try:
                candidate.encode(codec)
            except UnicodeEncodeError:
                continue
            return candidate
    base = unicodedata.normalize("NFKD", char)[:1]
    if base and base != char and base.isascii() and base.isprintable():
        return base
    return "?"


@functools.lru_cache(maxsize=8192)
def printable(text: str, codec: str) -> str:
    """`text` with only characters the code page `codec` has, one per column."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_char(c, codec) for c in unicodedata.normalize("NFC", text))


def wrap(text: str, width: int) -> list[str]:
    """`text` (already printable) in lines of at most `width` columns, broken at spaces where
    possible; no-break spaces hold their words together."""
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def pair_lines(label: str, value: str, width: int, keep: str = "") -> list[str]:
    """A label and its value flush right in `width` columns. A label too long wraps before the
    value's column; `keep` ends the label, never cut, on a line of its own if it must; a value
    too long to share a line goes flush right under the label."""
    full = f"{label} {keep}" if keep else label
    if len(full) + 1 + len(value) <= width:
        return [full + " " * (width - len(full) - len(value)) + value]
    if len(value) > width // 2:
        return wrap(full, width) + [v.rjust(width) for v in wrap(value, width)]
    room = width - len(value) - 1
    apart = bool(keep) and len(keep) > room
    lines = wrap(label, room) + wrap(keep, width) if apart else wrap(full, room)
    first = lines[0]
    return [first + " " * (width - len(first) - len(value)) + value, *lines[1:]]
