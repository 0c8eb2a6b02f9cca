"""Generated Word/Excel/CSV variants of one small appendix read into the same plan.

Each variant changes one thing a commune's file may do differently (wording, column
order, split tables, merges, dates, encodings); the expected plan is written by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tablegen import (
    HEADER,
    Spec,
    base_spec,
    csv_text,
    permute,
    to_cp1258,
    write_docx,
    write_xlsx,
)

from planflow.engine.plandoc import ActivityDoc, ObjectiveDoc, SectionDoc, TaskDoc
from planflow.importers import read_document, read_document_with_warnings

_SHARED = {
    "output": "- Báo cáo\n- Tích hợp",
    "lead": "Các phòng chuyên môn xã",
    "partners": "Văn phòng HĐND-UBND",
    "deadline": "Thường xuyên",
}

EXPECTED = [
    SectionDoc(
        "I",
        "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH",
        [
            ObjectiveDoc(
                "1",
                "1.1",
                "Mục tiêu một",
                [
                    TaskDoc(
                        "2.1",
                        "Nhiệm vụ một",
                        [ActivityDoc("3.1", "Soạn dự thảo"), ActivityDoc("3.2", "Trình ký")],
                        output="Kế hoạch",
                        lead="Phòng VHXH",
                        partners="Các thôn",
                        deadline="Quý III/2025",
                        budget="Theo dự toán được cấp",
                    ),
                    TaskDoc(
                        "2.2",
                        "Nhiệm vụ hai",
                        [
                            ActivityDoc("3.3", "Lập kế hoạch"),
                            ActivityDoc(
                                "3.4",
                                "Tổ chức thực hiện",
                                output="Các hình thức tuyên truyền",
                                lead="Văn phòng HĐND-UBND",
                                partners="Các thôn",
                                deadline="Thường xuyên",
                            ),
                        ],
                        output="Kế hoạch",
                        lead="Phòng VHXH",
                        deadline="Tháng 7/2025",
                    ),
                ],
            )
        ],
    ),
    SectionDoc(
        "II",
        "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
        [
            ObjectiveDoc(
                "1",
                "1.6",
                "Mục tiêu sáu",
                [
                    TaskDoc("2.6", "Nhiệm vụ sáu", [ActivityDoc("3.6", "Rà soát")], **_SHARED),
                    TaskDoc("2.7", "Nhiệm vụ bảy", [ActivityDoc("3.7", "Tuyên truyền")], **_SHARED),
                ],
            )
        ],
    ),
    SectionDoc(
        "III",
        "CHÍNH PHỦ SỐ",
        [],
        [
            SectionDoc(
                "1",
                "Ứng dụng công nghệ thông tin",
                [
                    ObjectiveDoc(
                        "1.1",
                        "1.2",
                        "Đào tạo số",
                        [
                            TaskDoc(
                                "2.1",
                                "Tham gia đào tạo",
                                output="Lớp đào tạo",
                                partners="Các Ban, phòng liên quan",
                                deadline="Năm 2025",
                            )
                        ],
                    ),
                    ObjectiveDoc(
                        "1.2",
                        "1.5",
                        "100% hồ sơ trên mạng",
                        lead="Văn phòng UBND xã",
                        partners="Phòng VHXH",
                        deadline="Năm 2025",
                    ),
                ],
            )
        ],
    ),
]

WRITERS = {"docx": write_docx, "xlsx": write_xlsx}


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_base_appendix(tmp_path: Path, kind: str) -> None:
    doc = read_document(WRITERS[kind](base_spec(), tmp_path / f"plan.{kind}"))
    assert doc.year == 2025
    assert doc.title == "KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2025"
    assert doc.source == f"plan.{kind}"
    assert doc.sections == EXPECTED


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_other_wording_column_order_and_extra_column(tmp_path: Path, kind: str) -> None:
    # new order: STT, Nhiệm vụ, Mục tiêu, Chủ trì, Ghi chú, Phối hợp, Thời hạn, Sản phẩm,
    # Hoạt động, Kinh phí  (-1 = the extra "Ghi chú" column)
    order = [0, 2, 1, 5, -1, 6, 7, 4, 3, 8]
    header = [
        "STT",
        "Nhiệm vụ",
        "Chỉ tiêu",
        "Đơn vị chủ trì",
        "Ghi chú",
        "Cơ quan phối hợp",
        "Thời hạn",
        "Sản phẩm",
        "(3) Hoạt động",
        "Kinh phí",
    ]
    spec = permute(base_spec(), order, header)
    spec.rows[2][4] = "Ghi chú không được đọc"
    doc = read_document(WRITERS[kind](spec, tmp_path / f"plan.{kind}"))
    assert doc.sections == EXPECTED


def test_tables_split_with_repeated_header(tmp_path: Path) -> None:
    path = write_docx(base_spec(), tmp_path / "plan.docx", split_at=[5, 8])
    assert read_document(path).sections == EXPECTED


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_repeated_header_number_row_and_empty_rows(tmp_path: Path, kind: str) -> None:
    spec = base_spec()
    width = len(HEADER)
    numbers = [str(i) for i in range(1, width + 1)]
    inserts = {1: numbers, 5: list(HEADER), 8: [""] * width, 11: [""] * width}
    rows: list[list[object]] = []
    shift: dict[int, int] = {}
    for index, row in enumerate(spec.rows):
        if index in inserts:
            rows.append(inserts[index])
        shift[index] = len(rows)
        rows.append(row)
    merges = [(shift[a], b, shift[c], d) for a, b, c, d in spec.merges]
    doc = read_document(WRITERS[kind](Spec(rows, merges), tmp_path / f"plan.{kind}"))
    assert doc.sections == EXPECTED


def test_title_block_in_excel_and_sheet_without_table(tmp_path: Path) -> None:
    path = write_xlsx(base_spec(), tmp_path / "plan.xlsx", sheet_before=True)
    doc = read_document(path)
    assert doc.year == 2025 and doc.sections == EXPECTED


def test_year_argument_overrides_title(tmp_path: Path) -> None:
    spec = base_spec()
    spec.title = ["PHỤ LỤC"]
    assert read_document(write_docx(spec, tmp_path / "plan.docx"), year=2026).year == 2026
    spec.title = list(base_spec().title)
    assert read_document(write_docx(spec, tmp_path / "plan2.docx"), year=2026).year == 2026


def test_excel_real_date_cells(tmp_path: Path) -> None:
    spec = base_spec()
    spec.rows[2][7] = dt.datetime(2025, 7, 25)
    spec.rows[3][7] = dt.date(2025, 12, 5)
    doc = read_document(write_xlsx(spec, tmp_path / "plan.xlsx"))
    tasks = doc.sections[0].objectives[0].tasks
    assert [t.deadline for t in tasks] == ["Ngày 25/07/2025", "Ngày 05/12/2025"]


def test_excel_date_cells_read_by_their_number_format(tmp_path: Path) -> None:
    """A date cell formatted mm/yyyy promises a month, not the 1st of it (issue 11)."""
    from openpyxl import load_workbook

    spec = base_spec()
    spec.rows[2][7] = dt.datetime(2025, 6, 1)
    spec.rows[3][7] = dt.datetime(2025, 12, 5)
    path = write_xlsx(spec, tmp_path / "plan.xlsx")
    workbook = load_workbook(path)
    sheet = workbook.active
    dates = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, dt.datetime)]
    dates[0].number_format = "mm/yyyy"
    dates[1].number_format = "dd/mm/yyyy"
    workbook.save(path)
    tasks = read_document(path).sections[0].objectives[0].tasks
    assert [t.deadline for t in tasks] == ["Tháng 06/2025", "Ngày 05/12/2025"]


def test_word_line_breaks_inside_a_paragraph_split_activities(tmp_path: Path) -> None:
    from docx import Document

    path = write_docx(base_spec(), tmp_path / "plan.docx")
    document = Document(str(path))
    cell = document.tables[0].cell(2, 3)
    for p in list(cell.paragraphs)[1:]:
        p._p.getparent().remove(p._p)
    cell.paragraphs[0].text = "3.1. Soạn dự thảo\n3.2. Trình ký"  # a w:br, not a paragraph
    document.save(str(path))
    assert read_document(path).sections == EXPECTED


def test_legacy_glyph_and_soft_hyphen_are_cleaned(tmp_path: Path) -> None:
    spec = base_spec()
    spec.rows[2][2] = "2.1. Tăng cƣờng kiểm tra\u00ad kế hoạ\u00adch"
    spec.rows[2][5] = "Phòng  VHXH\u00a0"
    doc = read_document(write_docx(spec, tmp_path / "plan.docx"))
    task = doc.sections[0].objectives[0].tasks[0]
    assert (task.text, task.lead) == ("Tăng cường kiểm tra kế hoạch", "Phòng VHXH")


def _csv_expected() -> list[SectionDoc]:
    """CSV has no merges: the cells shared by II 2.6/2.7 stay with 2.6 only."""
    import copy

    expected = copy.deepcopy(EXPECTED)
    second = expected[1].objectives[0].tasks[1]
    second.output = second.lead = second.partners = second.deadline = ""
    return expected


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1258", "\t"), ("cp1258", ";")],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    text = csv_text(base_spec(), delimiter)
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path = tmp_path / "plan.csv"
    path.write_bytes(data)
    result = read_document_with_warnings(path)
    assert result.doc.year == 2025
    assert result.doc.sections == _csv_expected()


def test_csv_cp1258_bytes_are_not_utf8() -> None:
    data = to_cp1258("Thời gian hoàn thành")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_tt_only_row_is_skipped_with_a_warning(tmp_path: Path) -> None:
    spec = base_spec()
    spec.rows.insert(5, ["4"] + [""] * (len(HEADER) - 1))
    spec.merges = [(a + (a >= 5), b, c + (c >= 5), d) for a, b, c, d in spec.merges]
    result = read_document_with_warnings(write_docx(spec, tmp_path / "plan.docx"))
    assert result.doc.sections == EXPECTED
    assert any("chỉ có số thứ tự" in w for w in result.warnings)
