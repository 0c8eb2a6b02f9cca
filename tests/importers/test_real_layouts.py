"""Real appendix tables of other issuers (tests/fixtures/real/, typed as offices type them),
each checked against its answer key, and one test per layout feature they exercise.

The keys were written by hand from the printed documents; the literal values below were
read off the keys and the README of the corpus, not off planflow's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import REAL
from tablegen import HEADER, Spec, write_xlsx

from planflow.engine.plandoc import iter_tasks
from planflow.errors import ImportError_
from planflow.importers import read_document, read_document_with_warnings
from planflow.importers.grid import Cell, Row
from planflow.importers.headers import header_field, is_column_numbers, parse_columns

KEYS = sorted((REAL / "keys").glob("*.json"))
FIELDS = ("text", "lead", "partners", "deadline", "output", "section")


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _read(name: str):  # noqa: ANN202 - a ReadResult
    # The year is given: finding it in the title block is tested on its own.
    return read_document_with_warnings(REAL / name, year=2026)


@pytest.mark.parametrize("key_path", KEYS, ids=lambda p: p.stem)
def test_real_table_matches_its_key(key_path: Path) -> None:
    """Every task of the key, in order, with its text, lead, partners, deadline, output and
    section as printed: at least 95% of tasks and of fields (each file reads 100% today)."""
    key = json.loads(key_path.read_text(encoding="utf-8"))
    got = list(iter_tasks(_read(key["file"]).doc))
    assert len(got) == key["n_tasks"]
    fields = tasks = 0
    wrong = []
    for expected, ref in zip(key["tasks"], got, strict=True):
        values = {
            "text": ref.task.text,
            "lead": ref.task.lead,
            "partners": ref.task.partners,
            "deadline": ref.task.deadline,
            "output": ref.task.output,
            "section": ref.section,
        }
        same = 0
        for name in FIELDS:
            want = (expected.get(name) or "").rstrip(".") if name == "section" else expected[name]
            if _norm(values[name]) == _norm(want):
                same += 1
            else:
                wrong.append(f"#{expected['n']} {name}: {values[name]!r} ≠ {want!r}")
        fields += same
        tasks += same == len(FIELDS)
    n = len(key["tasks"])
    assert fields >= 0.95 * n * len(FIELDS), wrong[:10]
    assert tasks >= 0.95 * n, wrong[:10]


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Nhiệm vụ", "task"),
        ("Tên nhiệm vụ", "task"),
        ("Nội dung nhiệm vụ", "task"),
        ("Nội dung công việc", "task"),
        ("Nhiệm vụ, giải pháp", "task"),
        ("NHIỆM VỤ VÀ GIẢI PHÁP", "task"),
        ("Tên dự án, nhiệm vụ", "task"),
        ("Tên nhiệm vụ/dự án", "task"),
        ("Các nhiệm vụ, giải pháp", "task"),
        ("Thời điểm hoàn thành", "deadline"),
        ("Chủ trì", "lead"),
        ("Cơ quan chủ trì[1]", "lead"),
        ("Đơn vị chủ trì", "lead"),
        ("Đơn vị thực hiện", "lead"),
        ("Cơ quan thực hiện", "lead"),
        ("Đơn vị chịu trách nhiệm phổ biến", "lead"),
        ("Phối hợp", "partners"),
        ("Cơ quan phối hợp", "partners"),
        ("6- Đơn vị phối hợp", "partners"),
        ("Thời gian thực hiện", "deadline"),
        ("Thời gian hoàn thành", "deadline"),
        ("Thời gian dự kiến hoàn thành", "deadline"),
        ("Thời hạn", "deadline"),
        ("Tiến độ hoàn thành", "deadline"),
        ("(7) Thời hạn hoàn thành", "deadline"),
        ("Kết quả", "output"),
        ("Sản phẩm", "output"),
        ("Sản phẩm dự kiến", "output"),
        ("Sản phẩm đầu ra", "output"),
        ("Kết quả dự kiến", "output"),
        ("Chỉ tiêu đạt được", "output"),
        ("Kinh phí", "budget"),
        ("Nguồn kinh phí", "budget"),
        ("Tiến độ", "status"),
        ("Tình trạng", "status"),
        ("Kết quả thực hiện", "result"),
        ("Tình hình thực hiện", "result"),
        ("STT", "tt"),
        ("Thuộc nhóm nhiệm vụ, hành động[1]", "objective"),
        ("1- Mục tiêu/Chỉ tiêu/nội dung", "objective"),
        # Columns that are not plan fields are kept with the task, never taken for the lead.
        ("Người đứng đầu chịu trách nhiệm", None),
        ("Ghi chú", None),
        ("Mức độ hoàn chỉnh của thông tin", None),
        ("Thời gian bắt đầu", None),
    ],
)
def test_header_wordings_by_meaning(label: str, field: str | None) -> None:
    assert header_field(label) == field


def test_column_number_rows() -> None:
    def row(*texts: str) -> Row:
        return Row(5, [Cell(t) for t in texts])

    assert is_column_numbers(row("(1)", "(2)", "(3)", "(4)"))
    assert is_column_numbers(row("A", "B", "1", "2", "3", "4"))
    assert not is_column_numbers(row("1", "Rà soát văn bản", "Phòng VHXH"))
    assert not is_column_numbers(row("A", "B", "C"))


def test_two_row_header_under_a_merged_group_label() -> None:
    """QĐ 2597: "Cơ quan" merged over "chủ trì | phối hợp" (rows 4-5); task I.1's lead and
    partners come from the second row's columns."""
    (first, *_) = iter_tasks(_read("ttg2597-phu-luc.xlsx").doc)
    assert first.code == "I.1"
    assert first.task.lead == "Bộ Xây dựng"
    assert first.task.partners == "Các bộ, ngành liên quan"
    assert first.task.output == "Các Văn bản quy phạm pháp luật được sửa đổi, bổ sung"
    assert first.task.deadline == "2026"  # an Excel number cell, read as the year


def test_two_row_start_and_end_columns(tmp_path: Path) -> None:
    """ "Thời gian" over "bắt đầu | hoàn thành": the deadline is the "hoàn thành" column."""
    head1 = ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian", ""]
    head2 = ["", "", "", "Bắt đầu", "Hoàn thành"]
    rows = [head1, head2, ["1", "Rà soát quy chế", "Văn phòng", "Tháng 3/2026", "Tháng 6/2026"]]
    merges = [(0, 3, 0, 4), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2)]
    spec = Spec(rows, merges, title=["KẾ HOẠCH NĂM 2026"])
    for path in (write_xlsx(spec, tmp_path / "a.xlsx"), _docx(spec, tmp_path / "a.docx")):
        (task,) = iter_tasks(read_document(path))
        assert (task.code, task.task.deadline) == ("1", "Tháng 6/2026"), path.suffix
        assert task.task.extras == {"Thời gian Bắt đầu": "Tháng 3/2026"}


def _docx(spec: Spec, path: Path) -> Path:
    """One Word table with the spec's merges, header rows included (tablegen merges only
    body rows)."""
    from docx import Document

    document = Document()
    for line in spec.title:
        document.add_paragraph(line)
    table = document.add_table(rows=len(spec.rows), cols=len(spec.rows[0]))
    for r, row in enumerate(spec.rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for r0, c0, r1, c1 in spec.merges:
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        merged.text = spec.rows[r0][c0]
    document.save(str(path))
    return path


def test_column_that_is_not_a_plan_field_is_kept_and_not_the_lead(tmp_path: Path) -> None:
    rows = [
        ["TT", "Người đứng đầu chịu trách nhiệm", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Ghi chú"],
        ["1", "Chủ tịch UBND xã", "Rà soát thủ tục", "Văn phòng", "Quý II/2026", "Ưu tiên"],
    ]
    spec = Spec(rows, title=["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"])
    (task,) = iter_tasks(read_document(write_xlsx(spec, tmp_path / "a.xlsx")))
    assert task.task.lead == "Văn phòng"
    assert task.task.extras == {
        "Người đứng đầu chịu trách nhiệm": "Chủ tịch UBND xã",
        "Ghi chú": "Ưu tiên",
    }


def test_plain_columns_of_a_small_table(tmp_path: Path) -> None:
    """No "Nhiệm vụ", "Chủ trì" or "Thời gian": "Nội dung" is the task, the bare "Đơn vị"
    the lead and "Tiến độ thực hiện" the schedule."""
    rows = [
        ["STT", "Nội dung", "Đơn vị", "Tiến độ thực hiện", "Ghi chú"],
        ["1", "Cập nhật danh mục TTHC", "Văn phòng", "Quý II/2026", ""],
    ]
    spec = Spec(rows, title=["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"])
    (task,) = iter_tasks(read_document(write_xlsx(spec, tmp_path / "a.xlsx")))
    assert (task.code, task.task.text, task.task.lead, task.task.deadline) == (
        "1",
        "Cập nhật danh mục TTHC",
        "Văn phòng",
        "Quý II/2026",
    )


def test_number_in_tt_restarting_in_every_section_table() -> None:
    """Kế hoạch 552 Đồng Tháp: one Word table per section, its heading a paragraph above,
    STT restarting at 1; sections I-IV hold 4, 5, 5 and 5 tasks."""
    doc = _read("dongthap552-phu-luc.docx").doc
    assert [(s.code, s.title) for s in doc.sections] == [
        ("I", "NHÓM GIẢI PHÁP VỀ CƠ CHẾ CHÍNH SÁCH"),
        ("II", "HỖ TRỢ VÀ PHÁT TRIỂN CÔNG NGHỆ"),
        ("III", "GIẢI PHÁP TRONG CHUYỂN ĐỔI CÔNG NGHỆ TRONG CÁC NGÀNH"),
        ("IV", "PHÁT TRIỂN NGUỒN NHÂN LỰC"),
    ]
    codes = [ref.code for ref in iter_tasks(doc)]
    assert codes == [f"I.{i}" for i in range(1, 5)] + [
        f"{s}.{i}" for s in ("II", "III", "IV") for i in range(1, 6)
    ]


def test_motto_table_above_the_appendix_is_skipped() -> None:
    """The borderless 2 × 2 national-motto table of 552 has no header: no task comes from
    it, and none of its cells ("Số: 552/KH-UBND") is read as a task."""
    refs = list(iter_tasks(_read("dongthap552-phu-luc.docx").doc))
    assert refs[0].task.text.startswith("Rà soát, kịp thời cụ thể hoá")
    assert not any("552/KH-UBND" in ref.task.text for ref in refs)


def test_part_letters_and_unnumbered_lines_of_a_merged_number() -> None:
    """QĐ 2530 Phụ lục I: parts A-E; number 1 of part A is one cell over five lines, each a
    task (A.1.1 … A.1.5); parts D and E print an empty STT over three lines."""
    doc = _read("ttg2530-phu-luc-i.docx").doc
    assert [(s.code, s.title) for s in doc.sections] == [
        ("A", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"),
        ("B", "BỘ XÂY DỰNG"),
        ("C", "BỘ CÔNG THƯƠNG"),
        ("D", "BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
        ("E", "BỘ Y TẾ"),
    ]
    refs = list(iter_tasks(doc))
    assert [r.code for r in refs[:6]] == ["A.1.1", "A.1.2", "A.1.3", "A.1.4", "A.1.5", "A.2.1"]
    assert [r.code for r in refs if r.section == "D"] == ["D.1.1", "D.1.2", "D.1.3"]
    group = "Hoàn thiện hệ thống chính sách pháp luật về kiểm soát, quản lý chất lượng môi "
    assert all(r.objective.text.startswith(group) for r in refs[:5])
    assert refs[1].task.lead == "Bộ Nông nghiệp và Môi trường"  # merged over the lines
    assert refs[1].task.deadline.startswith("Giai đoạn 2026 - 2027.")  # its own cell


def test_hierarchical_group_rows_with_numbering_running_across_them() -> None:
    """QĐ 2629 Phụ lục II: group rows III.1, III.1.1 … III.2 keep their titles; tasks are
    numbered 1-32 across them, so codes are III.1 … III.32, each under its innermost group."""
    doc = _read("ttg2629-phu-luc-ii.pdf").doc
    section = doc.sections[1]
    assert section.code == "III"
    assert [o.tt for o in section.objectives] == ["III.1", "III.1.1", "III.1.2", "III.1.3", "III.2"]
    assert [len(o.tasks) for o in section.objectives] == [0, 4, 5, 17, 6]
    refs = [r for r in iter_tasks(doc) if r.section == "III"]
    assert [r.code for r in refs] == [f"III.{i}" for i in range(1, 33)]
    assert refs[4].objective.text == "Nhóm các nền tảng phục vụ quản trị và chỉ đạo, điều hành"


def test_group_title_rows_between_tasks(tmp_path: Path) -> None:
    rows = [
        ["STT", "Nội dung công việc", "Đơn vị thực hiện", "Thời gian hoàn thành"],
        ["I", "CẢI CÁCH THỂ CHẾ", "", ""],
        ["", "Nhiệm vụ giao theo Kế hoạch của tỉnh", "", ""],
        ["1", "Rà soát văn bản", "Văn phòng", "Quý II/2026"],
        ["", "Nhiệm vụ giao thêm", "", ""],
        ["2", "Kiểm tra công vụ", "Phòng Nội vụ", "Quý III/2026"],
    ]
    doc = read_document(write_xlsx(Spec(rows, title=["KẾ HOẠCH NĂM 2026"]), tmp_path / "a.xlsx"))
    (section,) = doc.sections
    assert [(o.text, [t.code for t in o.tasks]) for o in section.objectives] == [
        ("Nhiệm vụ giao theo Kế hoạch của tỉnh", ["1"]),
        ("Nhiệm vụ giao thêm", ["2"]),
    ]


def test_roman_numeral_in_its_own_cell_and_status_column() -> None:
    """QĐ 2530 Phụ lục II (CSV): "I" in STT, the title in the next cell; the "Tình trạng"
    column is each task's status as written; "Nội dung chính" is kept with the task."""
    result = _read("ttg2530-phu-luc-ii.csv")
    assert [s.code for s in result.doc.sections] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    refs = list(iter_tasks(result.doc))
    assert (refs[0].code, refs[0].task.status) == ("I.1", "Thực hiện mới")
    assert (refs[2].code, refs[2].task.status) == ("I.3", "Đang thực hiện")
    assert refs[0].task.budget == "I, II, IV"  # "Nguồn lực thực hiện[2]"
    assert refs[0].task.extras["Nội dung chính"].startswith("- Xây dựng trung tâm dữ liệu")
    # The four footnotes under the table are notes, not tasks.
    assert sum("ghi chú ngoài bảng" in w for w in result.warnings) == 4


def test_utf16_tab_export_reads_as_the_utf8_one() -> None:
    utf8 = _read("ttg2530-phu-luc-ii.csv").doc
    utf16 = _read("ttg2530-phu-luc-ii-utf16.csv").doc
    assert utf16.sections == utf8.sections


def test_column_number_row_merged_cells_and_month_date_cells() -> None:
    """Lịch phổ biến 1383: row 5 numbers the columns; "Cục Việc làm" is one cell over STT
    11-16; deadlines are date cells formatted "Tháng "m/yyyy."""
    result = _read("bnv1383-lich-pho-bien.xlsx")
    refs = list(iter_tasks(result.doc))
    assert [r.code for r in refs] == [str(i) for i in range(1, 30)]
    assert {r.task.lead for r in refs[10:16]} == {"Cục Việc làm"}
    assert refs[0].task.deadline == "Tháng 6/2025"
    assert refs[0].task.extras["Mức độ hoàn chỉnh của thông tin"] == "Chính thức"
    assert any("Ghi chú: số liệu" in w for w in result.warnings)


def test_columns_mapped_by_hand(tmp_path: Path) -> None:
    rows = [
        ["Số", "Việc", "Người làm", "Khi nào"],
        ["1", "Rà soát văn bản", "Văn phòng", "Quý II/2026"],
    ]
    path = write_xlsx(Spec(rows, title=["KẾ HOẠCH NĂM 2026"]), tmp_path / "a.xlsx")
    with pytest.raises(ImportError_) as info:
        read_document(path)
    message = info.value.vi
    assert "A: Số | B: Việc | C: Người làm | D: Khi nào" in message
    assert "--columns task=B,lead=C,deadline=E" in message
    (task,) = iter_tasks(read_document(path, columns="tt=A,task=B,lead=C,deadline=D"))
    assert (task.code, task.task.text, task.task.lead) == ("1", "Rà soát văn bản", "Văn phòng")
    assert parse_columns("task=B, lead=AA") == {"task": 1, "lead": 26}
    with pytest.raises(ImportError_) as bad:
        parse_columns("task=2")
    assert "'task=2'" in bad.value.vi and "tên=cột" in bad.value.vi


def test_kylac_split_into_one_table_per_section(tmp_path: Path) -> None:
    """The same rows in two Word tables, each with its header and its section heading as a
    paragraph above: codes as in one table, no refusal for 2.1 appearing in both sections."""
    from docx import Document

    first = [
        "1",
        "1.1. Mục tiêu",
        "2.1. Ban hành kế hoạch",
        "",
        "Kế hoạch",
        "Phòng VHXH",
        "",
        "Quý III/2025",
        "",
    ]
    second = ["1", "1.1. Mục tiêu", "2.1. Rà soát TTHC", "", "", "Văn phòng", "", "Năm 2025", ""]
    document = Document()
    document.add_paragraph("KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2025")
    for heading, row in (("I. CÔNG TÁC CHỈ ĐẠO", first), ("II. CẢI CÁCH TTHC", second)):
        document.add_paragraph(heading)
        table = document.add_table(rows=2, cols=len(HEADER))
        for c, text in enumerate(HEADER):
            table.cell(0, c).text = text
        for c, text in enumerate(row):
            table.cell(1, c).text = text
    path = tmp_path / "tach-bang.docx"
    document.save(str(path))
    result = read_document_with_warnings(path)
    assert [r.code for r in iter_tasks(result.doc)] == ["I.2.1", "II.2.1"]
    assert [s.title for s in result.doc.sections] == ["CÔNG TÁC CHỈ ĐẠO", "CẢI CÁCH TTHC"]
    assert result.warnings == []


PROGRESS_ROWS = [
    [
        "STT",
        "Nội dung nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
        "Sản phẩm",
        "Kết quả thực hiện",
        "Tiến độ",
    ],
    ["I", "CẢI CÁCH THỂ CHẾ", "", "", "", "", "", ""],
    [
        "1",
        "Ban hành kế hoạch CCHC năm 2026",
        "Phòng VHXH",
        "Văn phòng HĐND-UBND",
        "Quý I/2026",
        "Kế hoạch",
        "Kế hoạch số 12/KH-UBND",
        "Đã hoàn thành",
    ],
    ["2", "Rà soát văn bản", "Phòng VHXH", "", "Quý II/2026", "Báo cáo", "", "Đang thực hiện"],
    ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", "", "", "", ""],
    ["1", "Niêm yết TTHC", "Phòng VHXH", "", "Tháng 6/2026", "", "", "Chưa thực hiện"],
]


def test_status_and_result_columns_are_read_apart_from_the_output(tmp_path: Path) -> None:
    spec = Spec(PROGRESS_ROWS, title=["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"])
    refs = list(iter_tasks(read_document(write_xlsx(spec, tmp_path / "tien-do.xlsx"))))
    assert [(r.code, r.task.status) for r in refs] == [
        ("I.1", "Đã hoàn thành"),
        ("I.2", "Đang thực hiện"),
        ("II.1", "Chưa thực hiện"),
    ]
    assert (refs[0].task.output, refs[0].task.result) == ("Kế hoạch", "Kế hoạch số 12/KH-UBND")


def test_status_column_starts_each_task_in_its_state(kylac, tmp_path: Path) -> None:  # noqa: ANN001
    """Imported on 10/03/2026: I.1 done by its due day (31/03) with the reported result as
    evidence, by an event that quotes the cell; I.2 in progress; II.1 not started."""
    spec = Spec(PROGRESS_ROWS, title=["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"])
    path = write_xlsx(spec, tmp_path / "tien-do.xlsx")
    env = {"PLANFLOW_TODAY": "2026-03-10"}
    kylac.ok("plan", "import", str(path), "--unit", "ky-lac", "--year", "2026", env=env)
    shown = {
        code: kylac.ok("task", "show", code, "--json", env=env).json
        for code in ("I.1", "I.2", "II.1")
    }
    assert [shown[c]["status"] for c in ("I.1", "I.2", "II.1")] == [
        "done",
        "in_progress",
        "not_started",
    ]
    assert shown["I.1"]["completed_on"] == "2026-03-10"
    assert shown["I.1"]["evidence"] == "Kế hoạch số 12/KH-UBND"
    history = kylac.ok("history", "I.1", "--json", env=env).json
    quoted = [e for e in history["events"] if "“Đã hoàn thành”" in e["note"]]
    assert len(quoted) == 1 and quoted[0]["to"] == "done"


# The year to give where the appendix's own title has none (552 and 2629 print it only in
# the decision they are attached to; the refusal says to add --year).
_YEAR_GIVEN = {"dongthap552-phu-luc.docx": "2026", "ttg2629-phu-luc-ii.pdf": "2025"}


@pytest.mark.parametrize("key_path", KEYS, ids=lambda p: p.stem)
def test_real_table_imports_on_a_fresh_database_in_one_command(cli, key_path: Path) -> None:  # noqa: ANN001
    key = json.loads(key_path.read_text(encoding="utf-8"))
    year = _YEAR_GIVEN.get(key["file"])
    args = ["plan", "import", str(REAL / key["file"]), "--unit", "moi", "--create-departments"]
    report = cli.ok(*args, *(["--year", year] if year else []), "--json").json
    assert (report["unit_created"], report["tasks"]) == (True, key["n_tasks"])
    listed = cli.ok("tasks", "--json").json
    assert len(listed) == key["n_tasks"]
    assert [t["text"] for t in listed][:3] == [t["text"] for t in key["tasks"][:3]]


def test_extra_columns_and_result_are_kept_with_the_task(cli, tmp_path: Path) -> None:  # noqa: ANN001
    spec = Spec(PROGRESS_ROWS, title=["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"])
    path = write_xlsx(spec, tmp_path / "tien-do.xlsx")
    cli.ok("plan", "import", str(path), "--unit", "moi", "--create-departments")
    shown = cli.ok("task", "show", "I.1", "--json").json
    assert shown["extras"] == {"Kết quả thực hiện": "Kế hoạch số 12/KH-UBND"}
    assert shown["output"] == "Kế hoạch"
    text = cli.ok("task", "show", "I.1").out
    assert "Kết quả thực hiện: Kế hoạch số 12/KH-UBND" in text
