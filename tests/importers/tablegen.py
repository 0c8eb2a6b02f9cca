"""Builds appendix variants (Word, Excel, CSV) from a plain spec, so tests carry no binaries.

A spec is a list of rows (lists of cell texts; "\n" separates paragraphs) plus merges
(first row, first column, last row, last column; 0-based, inclusive) and the title lines
written above the table.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HEADER = [
    "TT",
    "1- Mục tiêu/Chỉ tiêu/nội dung",
    "2- Nhiệm vụ",
    "3- Hoạt động",
    "4- Kết quả, sản phẩm",
    "5- Chủ trì",
    "6- Phối hợp",
    "7- Thời gian hoàn thành",
    "8- Kinh phí",
]
TITLE = ["PHỤ LỤC", "KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2025"]
Merge = tuple[int, int, int, int]


@dataclass
class Spec:
    rows: list[list[Any]]
    merges: list[Merge] = field(default_factory=list)
    title: list[str] = field(default_factory=lambda: list(TITLE))


def base_spec() -> Spec:
    """A small appendix with the shapes the real one has (see EXPECTED in test_variants)."""
    w = len(HEADER)
    rows: list[list[Any]] = [
        list(HEADER),
        ["I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"] + [""] * (w - 1),
        [
            "1",
            "1.1. Mục tiêu một",
            "2.1. Nhiệm vụ một",
            "3.1. Soạn dự thảo\n3.2. Trình ký",
            "Kế hoạch",
            "Phòng VHXH",
            "Các thôn",
            "Quý III/2025",
            "Theo dự toán được cấp",
        ],
        [
            "",
            "",
            "2.2. Nhiệm vụ hai",
            "3.3. Lập kế hoạch",
            "Kế hoạch",
            "Phòng VHXH",
            "",
            "Tháng 7/2025",
            "",
        ],
        [
            "",
            "",
            "",
            "3.4. Tổ chức thực hiện",
            "Các hình thức tuyên truyền",
            "Văn phòng HĐND-UBND",
            "Các thôn",
            "Thường xuyên",
            "",
        ],
        ["II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"] + [""] * (w - 1),
        [
            "1",
            "1.6. Mục tiêu sáu",
            "2.6. Nhiệm vụ sáu",
            "3.6. Rà soát",
            "- Báo cáo\n- Tích hợp",
            "Các phòng chuyên môn xã",
            "Văn phòng HĐND-UBND",
            "Thường xuyên",
            "",
        ],
        ["", "", "2.7. Nhiệm vụ bảy", "3.7. Tuyên truyền", "", "", "", "", ""],
        ["III. CHÍNH PHỦ SỐ"] + [""] * (w - 1),
        ["1. Ứng dụng công nghệ thông tin"] + [""] * (w - 1),
        [
            "1.1",
            "1.2. Đào tạo số",
            "2.1 Tham gia đào tạo",
            "",
            "Lớp đào tạo",
            "",
            "Các Ban, phòng liên quan",
            "Năm 2025",
            "",
        ],
        [
            "1.2",
            "1.5. 100% hồ sơ trên mạng",
            "",
            "",
            "",
            "Văn phòng UBND xã",
            "Phòng VHXH",
            "Năm 2025",
            "",
        ],
    ]
    merges: list[Merge] = [
        (1, 0, 1, w - 1),
        (2, 0, 3, 0),
        (2, 1, 3, 1),
        (3, 2, 4, 2),
        (5, 0, 5, w - 1),
        (6, 0, 7, 0),
        (6, 1, 7, 1),
        *((6, c, 7, c) for c in range(4, 9)),
        (8, 0, 8, w - 1),
        (9, 0, 9, w - 1),
    ]
    return Spec(rows, merges)


def permute(spec: Spec, order: list[int], header: list[str]) -> Spec:
    """Columns in a new order (`order[i]` = old index of new column i); extra columns empty."""
    width = len(spec.rows[0])

    def pick(row: list[Any]) -> list[Any]:
        return [row[i] if 0 <= i < width else "" for i in order]

    rows = [list(header)] + [pick(r) for r in spec.rows[1:]]
    new = {old: new for new, old in enumerate(order)}
    merges = []
    for r0, c0, r1, c1 in spec.merges:
        if c0 == 0 and c1 == width - 1:
            merges.append((r0, 0, r1, len(order) - 1))
        else:
            merges.append((r0, new[c0], r1, new[c1]))
    return Spec(rows, merges, spec.title)


def write_docx(spec: Spec, path: Path, *, split_at: list[int] | None = None) -> Path:
    """A Word file; `split_at` starts a new table (header repeated) at those row indexes."""
    from docx import Document

    document = Document()
    for line in spec.title:
        document.add_paragraph(line)
    cuts = [1, *(split_at or []), len(spec.rows)]
    for start, end in zip(cuts, cuts[1:], strict=False):
        part = [spec.rows[0], *spec.rows[start:end]]
        table = document.add_table(rows=len(part), cols=len(part[0]))
        for r, row in enumerate(part):
            for c, value in enumerate(row):
                paragraphs = str(value).split("\n") if value != "" else []
                cell = table.cell(r, c)
                if paragraphs:
                    cell.paragraphs[0].text = paragraphs[0]
                    for more in paragraphs[1:]:
                        cell.add_paragraph(more)
        for r0, c0, r1, c1 in spec.merges:
            if start <= r0 and r1 < end:
                a, b = r0 - start + 1, r1 - start + 1
                table.cell(a, c0).merge(table.cell(b, c1))
        document.add_paragraph("")
    document.save(str(path))
    return path


def write_xlsx(spec: Spec, path: Path, *, sheet_before: bool = False) -> Path:
    """An Excel file with the title block in A1… above the table, merges as merged ranges."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if sheet_before:
        sheet.title = "Ghi chú"
        sheet["A1"] = "Trang bìa, không có bảng"
        sheet = workbook.create_sheet("Phụ lục")
    offset = len(spec.title) + 1 if spec.title else 0
    for i, line in enumerate(spec.title, start=1):
        sheet.cell(i, 1, line)
    for r, row in enumerate(spec.rows, start=offset + 1):
        for c, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(r, c, value)
    for r0, c0, r1, c1 in spec.merges:
        sheet.merge_cells(
            start_row=r0 + offset + 1,
            start_column=c0 + 1,
            end_row=r1 + offset + 1,
            end_column=c1 + 1,
        )
    workbook.save(str(path))
    return path


def csv_text(spec: Spec, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for line in spec.title:
        writer.writerow([line])
    for row in spec.rows:
        writer.writerow([str(v) for v in row])
    return out.getvalue()


def to_cp1258(text: str) -> bytes:
    """What Vietnamese Excel writes: base letters (â, ơ, ư…) plus combining tone marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out.append(base + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")
