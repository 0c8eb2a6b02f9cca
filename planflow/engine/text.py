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
_WORD_CHAR = re.compile(r"[^\W\d_]")
_LOWER_START = re.compile(r"[a-zà-ỹđ]")
# A list item: "- …", "• …", "a) …", "3.8. …"/"3.17.Thành", "2) …" — not a wrapped "2025 của xã".
_LIST_START = re.compile(
    r"^\s*(?:[-–•+*]\s|\d{1,3}(?:\.\d{1,3})+\.?(?![\d,%])|\d{1,2}[.)]\s|[a-zđ]\)\s)"
)


def clean(text: str) -> str:
    """NFC, legacy glyphs, invisible characters, stray spaces; keeps line breaks.

    Repeated to a fixed point (at most a few rounds) so that clean(clean(x)) == clean(x)
    even where NFC and the legacy-glyph fix interact.
    """
    if not text:
        return ""
    for _ in range(8):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def _clean_once(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_LEGACY).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        last = lines[-1] if lines else ""
        if len(last) > 1 and last.endswith("-") and not last[-2].isspace():
            # "ngh-\niệp" was one word; "HĐND-\nUBND", "12-\nNQ" keep their hyphen.
            word = _WORD_CHAR.match(last[-2]) and _LOWER_START.match(line)
            lines[-1] = (last[:-1] if word else last) + line
        else:
            lines.append(line)
    return unicodedata.normalize("NFC", "\n".join(lines))


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


def split_pieces(text: str, separators: re.Pattern[str], edge: str) -> list[tuple[str, str]]:
    """Pieces of a lead/partner cell split on `separators` (a pattern with one capturing
    group), each with the separators written before it, stripped of `edge` characters.
    An empty piece ("và , ") adds its text to the next separator, so joining the pieces
    gives back the words of the cell."""
    parts = separators.split(text)
    out: list[tuple[str, str]] = []
    sep = ""
    for k, part in enumerate(parts):
        if k % 2:
            sep += part
            continue
        piece = part.strip(edge)
        if fold(piece):
            out.append((sep if out else "", piece))
            sep = ""
        else:
            sep += part
    return out


def one_line(text: str) -> str:
    """A cell's text on one line (for tables and e-mail subjects)."""
    return " ".join(clean(text).split())


# An address as it may go into a To:/Cc: header: a dot-atom local part and a domain of
# letter/digit/hyphen labels (IDN letters allowed). Quoted local parts and IP literals are
# legal in RFC 5322 but no commune mailbox uses them, and they are where injection hides.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?", re.UNICODE)


def address_problem(text: str) -> tuple[str, str] | None:
    """Why `text` is not a usable e-mail address ((vi, en) reasons), or None when it is.

    Checked where an address enters (person add, plan files, config) so that no outbox row
    is ever rendered for an address a message cannot be built for."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        return (
            "chứa ký tự điều khiển (xuống dòng, tab …)",
            "contains control characters (line breaks, tabs …)",
        )
    if any(ch.isspace() for ch in text):
        return ("chứa dấu cách", "contains a space")
    if text.count("@") != 1:
        return (
            "cần đúng một dấu @ (ví dụ: ten@xa.gov.vn)",
            "needs exactly one @ (for example: name@xa.gov.vn)",
        )
    local, _, domain = text.partition("@")
    if len(text) > 254 or len(local) > 64:
        return ("quá dài", "too long")
    if not _LOCAL.fullmatch(local):
        return (f"phần trước @ không hợp lệ: '{local}'", f"invalid part before the @: '{local}'")
    labels = domain.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return (f"tên miền không hợp lệ: '{domain}'", f"invalid domain: '{domain}'")
    return None


# What a terminal obeys rather than shows: CSI (colours, cursor moves, screen clears), OSC
# (window titles, hyperlinks), other ESC sequences, their 8-bit C1 forms, and the bidi
# overrides that make a line read differently from its bytes.
_TERMINAL_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI … final byte
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC … BEL or ST (or cut off)
    r"|\x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, PM, APC, SOS strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def for_terminal(text: str) -> str:
    """`text` safe to print: escape sequences removed, other control characters dropped.

    A note or an evidence line is typed or pasted by a user; printed as it is, ESC[2J clears
    the coordinator's screen and an OSC 8 sequence hides a link behind innocent words.
    Line breaks and tabs stay; a vertical tab or form feed (Word's manual line break) and
    a lone carriage return (which would overwrite the line) become line breaks."""
    if not text:
        return text
    text = _TERMINAL_SEQUENCE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").replace("\f", "\n")
    return _TERMINAL_CONTROL.sub("", text)


MAX_ID = 2**63 - 1  # the largest id a database column holds (BIGINT, SQLite INTEGER)


def parse_id(text: str) -> int | None:
    """The record id `text` names (ASCII digits only, 1 … MAX_ID), or None when it names none.

    str.isdigit() also accepts "²" and "٣", which int() refuses or reads differently, and
    a 23-digit number overflows the database's integer: both are simply no id."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


MAX_TEXT = 4000  # characters of evidence, a note or a reason: a long decision title is ~300


def too_long(text: str, limit: int = MAX_TEXT) -> bool:
    """Whether a user's free text is over the bound every report, e-mail and cell can hold."""
    return len(text) > limit
