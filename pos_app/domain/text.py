"""Text fit to store, show and print: without control characters or bidirectional overrides.

An ESC or a NUL in a product name can drive a receipt printer or cut a line short; a
right-to-left override makes a screen or a receipt show other characters than were stored
("1.99" read backwards). Names are cleaned before they are stored and again before printing.
"""

from __future__ import annotations

import unicodedata

# Explicit direction marks, embeddings, overrides and isolates (Unicode's bidi controls).
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Breaks inside a name become a space rather than joining two words.
_BREAKS = frozenset("\t\n\r\v\f\x85\u2028\u2029")


def printable(text: str) -> str:
    """`text` without control characters (C0, C1) and bidi controls; breaks become spaces."""
    if text.isprintable():  # the usual case: nothing to look at one by one
        return text
    return "".join(
        " " if ch in _BREAKS else ch
        for ch in text
        if ch in _BREAKS or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    )
