"""Text clean-up before matching: what PDFs, old fonts and Word leave in Vietnamese text.

`clean` is idempotent and total (never raises); `fold` is the matching key used for
department names, aliases and header cells (case-, diacritic-, spacing-insensitive).
"""

from __future__ import annotations

import re
import unicodedata

# Legacy glyphs from PDFs and pre-Unicode fonts: the Latin "oi/OI" letter stands for ư/Ư.
_LEGACY = str.maketrans({"ƣ": "ư", "Ƣ": "Ư"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# "ngh-\niệp" (a word broken by hyphenation) but not "12-\nNQ/TU" or "HĐND-\nUBND".
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\n(?=[a-zà-ỹđ])")
_HYPHEN_KEEP = re.compile(r"(?<=\S)-\n(?=\S)")
_LIST_START = re.compile(r"^\s*(?:[-–•+*]\s|\d+(?:\.\d+)*\.?\s|[a-zđ]\)\s)")


def clean(text: str) -> str:
    """NFC, legacy glyphs, invisible characters, stray spaces; keeps line breaks."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_LEGACY).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    text = _HYPHEN_BREAK.sub("", text)
    text = _HYPHEN_KEEP.sub("-", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    return unicodedata.normalize("NFC", text)


def unwrap(text: str) -> str:
    """Join lines that a PDF wrapped inside one cell; keep breaks before list items."""
    out: list[str] = []
    for line in clean(text).split("\n"):
        if out and not _LIST_START.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def fold(text: str) -> str:
    """Matching key: no case, no diacritics, punctuation and spacing collapsed."""
    text = unicodedata.normalize("NFD", clean(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("đ", "d").replace("Đ", "D").casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def one_line(text: str) -> str:
    """A cell's text on one line (for tables and e-mail subjects)."""
    return " ".join(clean(text).split())
