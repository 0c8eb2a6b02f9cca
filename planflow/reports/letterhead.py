"""The administrative-document frame of Nghị định 30/2020/NĐ-CP around a Word report.

Top of page 1: the issuing agency (superior agency optional, then "ỦY BAN NHÂN DÂN" /
"XÃ KỲ LẠC" in bold, a short ruled line, "Số: …/BC-UBND") on the left; the national name
and motto, ruled, then the italic place-and-date line on the right. At the end: "Nơi nhận:"
on the left and the signer on the right. Both blocks are borderless two-cell tables, as
Word's own templates for Nghị định 30 lay them out.

What a unit writes there lives in `unit.settings["document"]` (plan file `unit.document`,
`planflow unit edit`); anything not set is derived from the unit's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from planflow.i18n import fmt_date
from planflow.reports.rows import t
from planflow.reports.wml import BODY_PT, borderless, para, rule

AGENCY = "ỦY BAN NHÂN DÂN"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_PREFIX = "BC-UBND"
BLANK_NUMBER = "     "  # the number is written by hand when the report is registered
LEFT_MM, RIGHT_MM = 100.0, 152.0  # 252 mm: A4 landscape less 30 + 15 mm margins

_COMMITTEE = re.compile(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)
_LEVEL = re.compile(r"^(?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)\s+",
                    re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Letterhead:
    """What the frame prints; `letterhead()` fills it from the unit's settings."""

    agency: tuple[str, ...]  # bold lines, e.g. ("ỦY BAN NHÂN DÂN", "XÃ KỲ LẠC")
    issuer: str  # "UBND xã Kỳ Lạc", as "… của UBND xã Kỳ Lạc" names it
    place: str  # "Kỳ Lạc"
    superior: str = ""
    number_prefix: str = NUMBER_PREFIX
    number: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: tuple[str, ...] = ()

    @property
    def number_text(self) -> str:
        """ "12/BC-UBND", or "     /BC-UBND" while the number is not given yet."""
        return f"{self.number or BLANK_NUMBER}/{self.number_prefix}"


def agency_lines(agency: str) -> tuple[str, ...]:
    """ "ỦY BAN NHÂN DÂN XÃ KỲ LẠC" or "UBND xã Kỳ Lạc" → ("ỦY BAN NHÂN DÂN", "XÃ KỲ LẠC"):
    the committee on one line, the commune under it, as the letterhead is set."""
    if "\n" in agency.strip():  # lines as the unit wrote them
        return tuple(" ".join(x.split()).upper() for x in agency.splitlines() if x.strip())
    agency = " ".join(agency.split())
    rest = _COMMITTEE.sub("", agency)
    if rest != agency:
        return (AGENCY, rest.upper())
    return (agency.upper(),)


def place_of(name: str) -> str:
    """ "UBND xã Kỳ Lạc" → "Kỳ Lạc": the place the date line starts with."""
    return _LEVEL.sub("", _COMMITTEE.sub("", " ".join(name.split()))) or name


def letterhead(name: str, settings: dict[str, Any] | None, lang: str = "vi") -> Letterhead:
    """The unit's frame: its `document` settings, the rest derived from its name."""
    s = settings or {}
    recipients = tuple(str(r) for r in s.get("recipients") or () if str(r).strip())
    return Letterhead(
        agency=agency_lines(str(s.get("agency") or name)),
        issuer=name,
        place=str(s.get("place") or place_of(name)),
        superior=str(s.get("superior") or ""),
        number_prefix=str(s.get("number_prefix") or NUMBER_PREFIX),
        number=str(s.get("number") or ""),
        signer_title=str(s.get("signer_title") or t(lang, "CHỦ TỊCH", "CHAIRMAN")),
        signer_name=str(s.get("signer_name") or ""),
        recipients=recipients or default_recipients(lang),
    )


def default_recipients(lang: str = "vi") -> tuple[str, ...]:
    if lang == "en":
        return ("Provincial People's Committee (for report);",
                "Chairman and Vice-Chairmen of the commune;",
                "Departments of the commune;", "Archive: Office.")  # fmt: skip
    return ("UBND tỉnh (b/c);", "Chủ tịch, các Phó Chủ tịch UBND xã;",
            "Các phòng, đơn vị thuộc UBND xã;", "Lưu: VT.")  # fmt: skip


def date_line(place: str, day: date, lang: str = "vi") -> str:
    """ "Kỳ Lạc, ngày 04 tháng 12 năm 2026": Nghị định 30 pads days below 10 and months
    below 3 with a zero ("tháng 02", but "tháng 3")."""
    if lang == "en":
        return f"{place}, {fmt_date(day)}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(head: Letterhead, lang: str = "vi") -> str:
    return t(lang, "Số: ", "No. ") + head.number_text


def attached_line(head: Letterhead, day: date, lang: str = "vi") -> str:
    """The appendix's "(Kèm theo Báo cáo số     /BC-UBND ngày dd/mm/yyyy của UBND xã …)"."""
    return t(
        lang,
        f"(Kèm theo Báo cáo số {head.number_text} ngày {fmt_date(day)} của {head.issuer})",
        f"(Attached to Report No. {head.number_text} of {fmt_date(day)} of {head.issuer})",
    )


def header_xml(head: Letterhead, day: date, lang: str = "vi") -> str:
    """The top of page 1, a borderless table: agency and number | nation, motto and date."""
    left = "".join(para(line, BODY_PT, center=True) for line in [head.superior.upper()] if line)
    left += "".join(para(line, BODY_PT, bold=True, center=True) for line in head.agency)
    left += rule(30, LEFT_MM) + para(number_line(head, lang), BODY_PT, center=True, before_pt=4)
    right = (
        para(NATION, BODY_PT, bold=True, center=True)
        + para(MOTTO, BODY_PT + 1, bold=True, center=True)
        + rule(62, RIGHT_MM)
        + para(
            date_line(head.place, day, lang), BODY_PT + 1, italic=True, center=True, before_pt=4
        )  # fmt: skip
    )
    return borderless((LEFT_MM, RIGHT_MM), [left, right])


def signature_xml(head: Letterhead, lang: str = "vi") -> str:
    """The end of the report: recipients (left) and the signer (right), kept on one page."""
    lines = [r if r.lstrip().startswith("-") else f"- {r}" for r in head.recipients]
    left = para(t(lang, "Nơi nhận:", "Recipients:"), 12, bold=True, italic=True, before_pt=12)
    left += "".join(para(line, 11) for line in lines)
    right = (
        para(
            t(lang, f"TM. {AGENCY}", "ON BEHALF OF THE PEOPLE'S COMMITTEE"),
            BODY_PT + 1,
            bold=True,
            center=True,
            before_pt=12,
        )
        + para(head.signer_title.upper(), BODY_PT + 1, bold=True, center=True)
        + "".join(para(" ", BODY_PT + 1) for _ in range(4))  # room for signature and seal
        + para(head.signer_name or " ", BODY_PT + 1, bold=True, center=True)
    )
    return borderless((LEFT_MM, RIGHT_MM), [left, right])
