"""Agency names as plans write them: where a list of names splits, which names stand for a
collective ("Các sở, ngành"), and when an abbreviation ("Cục DLQGVN") is a full name
("Cục Du lịch Quốc gia Việt Nam") written short.

`names.Directory` resolves a cell against the names a unit already knows; what is left over
comes here when `plan import --create-departments` has to make new entries. A cell such as
"Sở Khoa học và Công nghệ, Công an Thành phố" is two agencies, but "Văn phòng HĐND và UBND
xã" and "Sở Văn hóa, Thể thao và Du lịch" are one each: a piece starts a new name only when
it starts with an agency word (Sở, Phòng, Công an …) and names something after that word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planflow.engine.text import clean, fold, split_pieces

# Folded words a name of an agency starts with, longest first so "trung tam" beats "tt".
AGENCY_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            "so", "phong", "ban", "bo", "cuc", "vu", "vien", "truong", "trung tam", "tt",
            "van phong", "vp", "ubnd", "uy ban", "hdnd", "hoi dong", "cong an", "hoi", "doan",
            "lien hiep", "lien doan", "cong ty", "ngan hang", "tong cuc", "toa an", "tand",
            "vien kiem sat", "vks", "vksnd", "chi cuc", "kho bac", "thanh tra", "bao hiem",
            "bhxh", "dang uy", "mat tran", "mttq", "cong doan", "hop tac xa", "htx", "quy",
            "chi nhanh", "benh vien", "hoc vien", "dai hoc", "tap doan", "tong cong ty",
            "bch", "ban chi huy", "bo chi huy", "dai", "bao", "thanh doan", "tinh doan",
            "tram", "hat", "doi", "chi bo", "cang vu", "buu dien", "cuc thue", "chi cuc thue",
        },
        key=lambda w: -len(w),
    )
)  # fmt: skip

# Words that, alone after an agency word, name no one agency: "Sở, ban, ngành", "UBND xã, phường".
_GENERIC = frozenset(
    {
        "so", "ban", "nganh", "phong", "bo", "cuc", "vu", "co", "quan", "don", "vi", "dia",
        "phuong", "doan", "the", "cap", "xa", "thi", "tran", "tinh", "thanh", "pho", "huyen",
        "tp", "lien", "duoc", "giao", "chuyen", "mon", "hoi", "truong", "ubnd", "hdnd", "cac",
        "nhung", "toan",
    }
)  # fmt: skip
_PLURAL_START = re.compile(r"^(cac|nhung|toan the)\b")
_PLURAL_INSIDE = re.compile(r"\b(cac|nhung)\b")
_RELATED_END = re.compile(r"\b(lien quan|duoc giao|tham gia|tren dia ban)$")
# Bodies whose names sit beside each other inside one name ("Văn phòng HĐND và UBND xã").
_COUNCILS = frozenset({"hdnd", "ubnd", "dang uy", "mttq"})

_HARD = re.compile(r"\s*(?:[;\n]|^\s*[-–•+*]\s+)\s*", re.MULTILINE)
_SOFT = re.compile(r"(\s*,\s*|\s+và\s+|\s+&\s+|\s+[-–]\s+)", re.IGNORECASE)
_EDGE = " \t-–•+*;.,:"


@dataclass(frozen=True)
class Agency:
    """One name found in a cell: a single agency, or a collective (a group of them)."""

    name: str
    collective: bool = False


def agency_word(name: str) -> str:
    """The folded agency word `name` starts with ("so", "trung tam"), or ""."""
    key = fold(name)
    for word in AGENCY_WORDS:
        if key == word or key.startswith(word + " "):
            return word
    return ""


def is_collective(name: str) -> bool:
    """True for a name that stands for several agencies rather than one: "Các phòng chuyên
    môn", "Sở, ban, ngành có liên quan", "UBND các xã, phường", "các địa phương"."""
    key = fold(name)
    if not key:
        return False
    if _PLURAL_START.match(key) or _PLURAL_INSIDE.search(key) or _RELATED_END.search(key):
        return True
    return len(_pieces(clean(name))) > 1 and _generic(name)  # "Sở, ban, ngành"


def _generic(name: str) -> bool:
    """Only generic words: "Sở, ban, ngành", "UBND xã, phường", "ban" — no one agency."""
    return all(word in _GENERIC for word in fold(name).split())


def _starts_name(piece: str) -> bool:
    """A piece that begins a name of its own: an agency word followed by what it names
    ("Công an xã"), not a bare agency word ("ban" in "Sở, ban, ngành")."""
    word = agency_word(piece)
    if not word:
        return bool(_PLURAL_START.match(fold(piece)))
    return fold(piece) != word


def _office_of_councils(text: str) -> bool:
    """ "Văn phòng HĐND" (and "VP Đảng ủy"): the office of bodies named side by side."""
    key = fold(text)
    return agency_word(text) in ("van phong", "vp") and any(
        key.endswith(" " + c) for c in _COUNCILS
    )


def split_agencies(text: str) -> list[Agency]:
    """The names a cell lists, in order, each marked collective or not.

    Hard separators (";", a line break, a "- " list item) always split. Soft ones (",",
    "và", "&", " - ") split only before a piece that starts a name of its own; the office of
    councils keeps the next council ("Văn phòng HĐND | và UBND xã" is one name). A collective
    absorbs the generic pieces after it ("Các sở, ngành, | UBND xã, phường" is one collective).
    """
    found: list[Agency] = []
    for chunk in _HARD.split(clean(text)):
        chunk = chunk.strip(_EDGE)
        if not fold(chunk):
            continue
        names: list[str] = []
        for sep, piece in _pieces(chunk):
            if not names:
                names.append(piece)
            elif _starts_name(piece) and not _office_of_councils(names[-1]):
                if is_collective(names[-1]) and _generic(piece):
                    names[-1] += sep + piece
                else:
                    names.append(piece)
            else:
                names[-1] += sep + piece
        for name in names:
            _add(found, Agency(name, is_collective(name)))
    return found


def _pieces(chunk: str) -> list[tuple[str, str]]:
    return split_pieces(chunk, _SOFT, _EDGE)


def _add(found: list[Agency], agency: Agency) -> None:
    if all(fold(a.name) != fold(agency.name) for a in found):
        found.append(agency)


# Abbreviation tokens planflow knows even where a name is written in capitals throughout.
_KNOWN_SHORT = frozenset({"ubnd", "hdnd", "vp", "vhxh", "vh", "xh", "kt", "tt", "hcc", "mttq"})
# Trailing words an abbreviation may leave out ("VP HĐND-UBND" = "… UBND xã").
_TRAILING = ("thanh pho", "thi tran", "thi xa", "xa", "phuong", "tinh", "huyen", "quan", "tp")
_CONNECTORS = frozenset({"va", "cua"})
_TOKEN = re.compile(r"[^\W_]+")


def _place_split(name: str) -> tuple[list[str], list[str], str]:
    """Tokens as written and folded, without a trailing place word, and that word."""
    tokens = _TOKEN.findall(clean(name))
    folded = [fold(t) for t in tokens]
    for word in _TRAILING:
        size = len(word.split())
        if len(folded) > size and " ".join(folded[-size:]) == word:
            place = "thanh pho" if word == "tp" else word
            return tokens[:-size], folded[:-size], place
    return tokens, folded, ""


def short_key(name: str) -> str:
    """Initials of a name, an abbreviation's letters kept whole: "Cục DLQGVN" and "Cục Du
    lịch Quốc gia Việt Nam" both give "cdlqgvn"; "VP HĐND-UBND" and "Văn phòng HĐND và UBND
    xã" both "vphdndubnd". Connectors ("và") and a trailing place word ("xã") are left out."""
    shouting = not any(ch.islower() for ch in clean(name))
    tokens, folded, _ = _place_split(name)
    parts = []
    for token, key in zip(tokens, folded, strict=True):
        if key in _CONNECTORS:
            continue
        short = len(token) > 1 and token.isupper() and (not shouting or key in _KNOWN_SHORT)
        parts.append(key if short or key.isdigit() else key[:1])
    return "".join(parts)


def has_short_form(name: str) -> bool:
    """True when `name` holds an abbreviation token ("DLQGVN", "VP", "VH-XH")."""
    text = clean(name)
    shouting = not any(ch.islower() for ch in text)
    return any(
        len(t) > 1 and t.isupper() and (not shouting or fold(t) in _KNOWN_SHORT)
        for t in _TOKEN.findall(text)
    )


def same_agency(a: str, b: str) -> bool:
    """True when two names are one agency: equal once folded, or one is written short and
    their initials agree. Two names both written out in full are never matched by initials
    ("Phòng Kinh tế" is not "Phòng Kế toán")."""
    if fold(a) == fold(b):
        return True
    if not (has_short_form(a) or has_short_form(b)):
        return False
    place_a, place_b = _place_split(a)[2], _place_split(b)[2]
    if place_a and place_b and place_a != place_b:
        return False  # "CA xã" is not "Công an tỉnh"
    return bool(short_key(a)) and short_key(a) == short_key(b)


def match_known(name: str, known: dict[str, list[str]]) -> str | None:
    """The code among `known` (code → its names and aliases) that `name` is the same agency
    as, or None when none is, or when several are (an abbreviation that could be either)."""
    hits = [code for code, names in known.items() if any(same_agency(name, n) for n in names)]
    return hits[0] if len(hits) == 1 else None
