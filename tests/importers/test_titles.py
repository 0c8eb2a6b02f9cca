"""The title block above an appendix (planflow.importers.titles), on its own.

Expected values are read by hand off each file's printed title and attachment line (see
tests/fixtures/real/README.md for each document's number, date and issuer): the plan's
years come from the title, never from the date the document was signed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support import FIXTURES, REAL

from planflow.importers import read_grid
from planflow.importers.titles import TitleBlock, plan_start, read_title_block

TTG = "Thủ tướng Chính phủ"


def title_lines(path: Path) -> list[str]:
    """What is printed above the table: the text before the table plus every cell above
    the header row (the row that starts with STT/TT), across the tables before it."""
    grid = read_grid(path)
    lines = list(grid.preamble)
    for table in grid.tables:
        for row in table.rows:
            first = row.cells[0].text.strip().upper() if row.cells else ""
            if first in ("STT", "TT"):
                return lines
            lines.extend(c.text for c in row.cells if c.text and not c.continued)
    return lines


# file, year, until, dated, starts, agency, title (or its start)
REAL_FILES = [
    (
        REAL / "bnv1383-lich-pho-bien.xlsx",
        2026,
        None,
        date(2025, 11, 26),  # "ngày 26 tháng 11 năm 2025" in the attachment line
        None,  # signed before the plan's year: all of 2026 is owed
        "Bộ Nội vụ",  # "của Bộ trưởng Bộ Nội vụ": the ministry, not the minister
        "LỊCH PHỔ BIẾN THÔNG TIN THỐNG KÊ NĂM 2026 CỦA BỘ NỘI VỤ",
    ),
    (
        # Only the motto table is above the first table: no title year at all, and the
        # header's "Đồng Tháp, ngày 19 tháng 11 năm 2025" must not become one.
        REAL / "dongthap552-phu-luc.docx",
        None,
        None,
        date(2025, 11, 19),
        None,
        "UBND tỉnh Đồng Tháp",
        "",
    ),
    (
        # "GIAI ĐOẠN 2026 - 2030, TẦM NHÌN ĐẾN NĂM 2045": 2045 is a horizon, not the span.
        REAL / "ttg2530-phu-luc-i.docx",
        2026,
        2030,
        date(2025, 11, 19),
        None,
        TTG,
        "BẢNG PHÂN CÔNG THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP TẠI KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA",
    ),
    (
        REAL / "ttg2530-phu-luc-ii.csv",
        2026,
        2030,
        date(2025, 11, 19),
        None,
        TTG,
        "DANH MỤC CÁC NHIỆM VỤ, DỰ ÁN ƯU TIÊN THỰC HIỆN KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA",
    ),
    (
        # "(GIAI ĐOẠN 2025-2030)", signed 27/11/2025: inside the span, so it is the start.
        REAL / "ttg2597-phu-luc.xlsx",
        2025,
        2030,
        date(2025, 11, 27),
        date(2025, 11, 27),
        TTG,
        "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM VỀ CHUYỂN ĐỔI SỐ",
    ),
    (
        # The PDF wraps the title over two lines ("… CHÍNH" / "PHỦ SỐ"); it names no year.
        REAL / "ttg2629-phu-luc-ii.pdf",
        None,
        None,
        date(2025, 12, 1),
        None,
        TTG,
        "DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỰC HIỆN CHƯƠNG TRÌNH PHÁT TRIỂN CHÍNH PHỦ SỐ",
    ),
]
KYLAC = [FIXTURES / f"ky-lac-2025-phu-luc.{kind}" for kind in ("docx", "xlsx", "pdf")]


@pytest.mark.parametrize(
    ("path", "year", "until", "dated", "starts", "agency", "title"),
    REAL_FILES,
    ids=[c[0].name for c in REAL_FILES],
)
def test_real_title_blocks(
    path: Path,
    year: int | None,
    until: int | None,
    dated: date,
    starts: date | None,
    agency: str,
    title: str,
) -> None:
    block = read_title_block(title_lines(path))
    assert (block.year, block.until) == (year, until)
    assert (block.dated, block.starts) == (dated, starts)
    assert block.agency == agency
    assert block.title.startswith(title) and (title or not block.title)


@pytest.mark.parametrize("path", KYLAC, ids=[p.suffix for p in KYLAC])
def test_ky_lac_title_block(path: Path) -> None:
    # "(Kèm theo Kế hoạch số: /KH-UBND ngày /7/2025 của UBND xã Kỳ Lạc)": the day is
    # left blank for the signature, so the plan counts from 01/07/2025, as plans/ says.
    assert read_title_block(title_lines(path)) == TitleBlock(
        year=2025,
        until=None,
        starts=date(2025, 7, 1),
        agency="UBND xã Kỳ Lạc",
        title="KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2025",
        dated=date(2025, 7, 1),
    )


DONG_THAP_PRINTED = [
    "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\n--------",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------",
    "Số: 552/KH-UBND",
    "Đồng Tháp, ngày 19 tháng 11 năm 2025",
    "PHỤ LỤC",
    "NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN",
    "(Ban hành kèm theo Kế hoạch số 552/KH-UBND ngày 19/11/2025 của Ủy ban nhân dân tỉnh)",
]


def test_dong_thap_as_printed_names_no_year() -> None:
    """The whole block as the plan prints it (the paragraphs under the motto table too):
    "Số: 552/KH-UBND" and the signing date are not years; the header names the body
    fully where the attachment line only says "Ủy ban nhân dân tỉnh"."""
    block = read_title_block(DONG_THAP_PRINTED)
    assert (block.year, block.until, block.starts) == (None, None, None)
    assert block.dated == date(2025, 11, 19)
    assert block.agency == "UBND tỉnh Đồng Tháp"
    assert block.title == "NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN"


def test_a_plan_over_years_signed_the_year_before() -> None:
    lines = [
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP",
        "Số: 552/KH-UBND",
        "Đồng Tháp, ngày 19 tháng 11 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện lộ trình đổi mới công nghệ giai đoạn 2026–2035",
    ]
    block = read_title_block(lines)
    assert (block.year, block.until) == (2026, 2035)  # the en dash is read as a range
    assert block.starts is None and block.dated == date(2025, 11, 19)


@pytest.mark.parametrize(
    ("line", "year", "until"),
    [
        ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025", 2025, None),
        ("Kế hoạch cải cách hành chính năm 2026 của xã", 2026, None),
        ("KẾ HOẠCH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030", 2026, 2030),
        ("KẾ HOẠCH 2026 - 2030", 2026, 2030),
        ("CHƯƠNG TRÌNH HÀNH ĐỘNG TỪ NĂM 2026 ĐẾN NĂM 2030", 2026, 2030),
        ("ĐỀ ÁN GIAI ĐOẠN 2026-2030, TẦM NHÌN ĐẾN NĂM 2045", 2026, 2030),
        ("LỘ TRÌNH ĐỔI MỚI CÔNG NGHỆ ĐẾN NĂM 2035", None, 2035),  # an end, no first year
        ("DANH MỤC NHIỆM VỤ TRỌNG TÂM", None, None),
    ],
)
def test_years_from_the_title(line: str, year: int | None, until: int | None) -> None:
    block = read_title_block(["PHỤ LỤC", line])
    assert (block.year, block.until) == (year, until)


def test_the_attachment_date_is_the_start_inside_the_plan_year() -> None:
    block = read_title_block(
        [
            "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025",
            "(Kèm theo Kế hoạch số 123/KH-UBND ngày 15/01/2025 của UBND xã Kỳ Lạc)",
        ]
    )
    assert block.starts == date(2025, 1, 15)
    assert block.agency == "UBND xã Kỳ Lạc"


def test_a_cover_letter_date_is_not_the_plan_date() -> None:
    """ "Kèm theo Công văn …" sends the plan; its date is not the plan's own."""
    block = read_title_block(
        ["KẾ HOẠCH NĂM 2025", "(Kèm theo Công văn số 45/UBND ngày 20/03/2025 của UBND xã)"]
    )
    assert block.dated is None and block.starts is None


def test_the_header_date_is_the_plan_date_when_nothing_else_is_printed() -> None:
    block = read_title_block(["Kỳ Lạc, ngày 10 tháng 03 năm 2025", "KẾ HOẠCH NĂM 2025"])
    assert (block.year, block.dated, block.starts) == (2025, date(2025, 3, 10), date(2025, 3, 10))


@pytest.mark.parametrize(
    ("lines", "agency"),
    [
        (["ỦY BAN NHÂN DÂN", "XÃ KỲ LẠC", "KẾ HOẠCH NĂM 2025"], "UBND xã Kỳ Lạc"),
        (["UBND XÃ KỲ LẠC", "KẾ HOẠCH NĂM 2025"], "UBND xã Kỳ Lạc"),
        (["ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI", "KẾ HOẠCH NĂM 2025"], "UBND thành phố Hà Nội"),
        (["ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "KẾ HOẠCH NĂM 2026"], "UBND tỉnh Đồng Tháp"),
        (["HỘI ĐỒNG NHÂN DÂN\nXÃ KỲ LẠC", "KẾ HOẠCH NĂM 2026"], "HĐND xã Kỳ Lạc"),
        (["UBND TỈNH ĐỒNG THÁP\nSỞ TÀI CHÍNH", "KẾ HOẠCH NĂM 2026"], "Sở Tài chính"),
        # "QUẢN LÝ …" under a header is a title, not a district ("quận") of the header.
        (["BỘ XÂY DỰNG", "QUẢN LÝ HẠ TẦNG NĂM 2026"], "Bộ Xây dựng"),
        (["THỦ TƯỚNG CHÍNH PHỦ", "QUYẾT ĐỊNH NĂM 2025"], TTG),
        (["BỘ NỘI VỤ", "KẾ HOẠCH NĂM 2026"], "Bộ Nội vụ"),
        (["BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "KẾ HOẠCH NĂM 2026"], "Bộ Nông nghiệp và Môi trường"),
        (["VĂN PHÒNG CHÍNH PHỦ", "KẾ HOẠCH NĂM 2026"], "Văn phòng Chính phủ"),
        # No header, no attachment line: the title is what names the plan.
        (
            ["PHỤ LỤC", "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025"],
            "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025",
        ),
        ([], ""),
    ],
)
def test_agency(lines: list[str], agency: str) -> None:
    assert read_title_block(lines).agency == agency


def test_empty_block() -> None:
    assert read_title_block([]) == TitleBlock()
    assert read_title_block(["", "-----", "   "]) == TitleBlock()


@pytest.mark.parametrize(
    ("dated", "year", "until", "starts"),
    [
        (date(2025, 7, 1), 2025, None, date(2025, 7, 1)),
        (date(2025, 11, 19), 2026, 2030, None),  # before the plan: nothing to drop
        (date(2027, 3, 1), 2026, 2030, date(2027, 3, 1)),
        (date(2031, 1, 1), 2026, 2030, None),  # after the plan: cannot start it
        (date(2025, 7, 1), None, None, None),
        (None, 2025, None, None),
    ],
)
def test_plan_start(
    dated: date | None, year: int | None, until: int | None, starts: date | None
) -> None:
    assert plan_start(dated, year, until) == starts


# --------------------------------------------------------------------------- in the reader


def _appendix(tmp_path: Path, title: list[str]) -> Path:
    from tablegen import HEADER, Spec, write_docx

    width = len(HEADER)
    rows = [
        list(HEADER),
        ["I. CHUYỂN ĐỔI SỐ"] + [""] * (width - 1),
        ["1", "1.1. Mục tiêu", "2.1. Báo cáo", "", "Báo cáo", "Phòng VHXH", "", "Hằng năm", ""],
    ]
    return write_docx(Spec(rows, [(1, 0, 1, width - 1)], title), tmp_path / "phu-luc.docx")


def test_the_reader_takes_the_title_block(tmp_path: Path) -> None:
    from planflow.importers import read_document

    path = _appendix(
        tmp_path,
        [
            "ỦY BAN NHÂN DÂN",
            "XÃ KỲ LẠC",
            "Kỳ Lạc, ngày 19 tháng 11 năm 2025",
            "PHỤ LỤC",
            "KẾ HOẠCH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030",
            "(Kèm theo Kế hoạch số 123/KH-UBND ngày 19/11/2025 của UBND xã Kỳ Lạc)",
        ],
    )
    doc = read_document(path)
    assert (doc.year, doc.until, doc.starts) == (2026, 2030, None)
    assert (doc.agency, doc.title) == (
        "UBND xã Kỳ Lạc",
        "KẾ HOẠCH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030",
    )
    # --year inside the span keeps its end; at or after the end the plan is one year.
    assert (read_document(path, year=2027).until, read_document(path, year=2030).until) == (
        2030,
        None,
    )


def test_a_title_that_only_says_until_takes_its_first_year_from_year(tmp_path: Path) -> None:
    from planflow.errors import ImportError_
    from planflow.importers import read_document

    path = _appendix(
        tmp_path,
        [
            "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP",
            "Số: 552/KH-UBND",
            "Đồng Tháp, ngày 19 tháng 11 năm 2025",
            "KẾ HOẠCH THỰC HIỆN LỘ TRÌNH ĐỔI MỚI CÔNG NGHỆ ĐẾN NĂM 2035",
        ],
    )
    with pytest.raises(ImportError_) as refused:
        read_document(path)
    assert "--year" in refused.value.vi and "19/11/2025" in refused.value.vi
    doc = read_document(path, year=2026)
    assert (doc.year, doc.until, doc.agency) == (2026, 2035, "UBND tỉnh Đồng Tháp")
