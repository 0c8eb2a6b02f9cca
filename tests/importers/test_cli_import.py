"""`planflow plan import` and `plan convert` through the real entry point, on SQLite and PostgreSQL.

Every broken file of the corpus is given to the command on a database that already holds
the Kỳ Lạc plan with some progress (a task done with evidence, a note): the command must
exit non-zero with one line naming the file (and table/row/column where that applies) and
what was expected, and every table must hold exactly the rows it held before.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from support import FIXTURES, KYLAC_PLAN, Cli, DbFactory, Result, _base_env
from tablegen import HEADER, Spec, base_spec, write_docx, write_xlsx
from test_broken import _pdf

from planflow.engine.plandoc import PlanDoc
from planflow.importers.sniff import OLE2
from planflow.planfile import dump_plan, load_plan

KINDS = ["docx", "xlsx", "pdf"]
LONG = 300  # seconds: generous, so a hang fails the test instead of blocking the suite

# The appendix of Kỳ Lạc 2025, counted by hand from the signed document: tasks per section.
PER_SECTION = {"I": 7, "II": 3, "III": 11, "IV": 1, "V": 2, "VI": 7, "VII": 4}


# --------------------------------------------------------------------------- the database


def db_state(url: str) -> dict[str, tuple[int, str]]:
    """Every table → (row count, digest of its rows in primary-key order)."""
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(bind=engine)
        out = {}
        with engine.connect() as conn:
            for name, table in sorted(meta.tables.items()):
                rows = conn.execute(table.select().order_by(*table.primary_key.columns)).all()
                digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
                out[name] = (len(rows), digest)
        return out
    finally:
        engine.dispose()


def refused(cli: Cli, result: Result, file_name: str, *fragments: str) -> str:
    """One line on stderr naming the file, non-zero exit, no traceback, nothing on stdout."""
    assert result.code != 0, result.out
    assert "Traceback" not in result.err, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert line.startswith("planflow: "), line
    assert file_name in line, line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert result.out == ""
    return line


@pytest.fixture
def progressed(kylac: Cli) -> Cli:
    """Kỳ Lạc with history that a bad import must not touch: a task done, a note."""
    kylac.ok(
        "person",
        "add",
        "Lê Thị Hạnh",
        "--email",
        "hanh@kylac.example.vn",
        "--user",
        "hanh",
        "--dept",
        "VHXH",
        "--role",
        "coordinator",
    )
    today = {"PLANFLOW_TODAY": "2025-07-24"}
    kylac.ok(
        "done",
        "I.2.1",
        "--on",
        "24/07/2025",
        "--evidence",
        "Kế hoạch số 45/KH-UBND",
        user="hanh",
        env=today,
    )
    kylac.ok("note", "II.2.1", "Đã gửi dự thảo xin ý kiến", user="hanh", env=today)
    return kylac


@pytest.fixture
def cli_factory(db_factory: DbFactory, tmp_path: Path) -> Callable[[], Cli]:
    """More databases beside `cli`'s, on the same backend, to compare two imports."""

    def make() -> Cli:
        url = db_factory()
        home = tmp_path / f"home-{len(db_factory.made)}"
        home.mkdir()
        return Cli(url, home, _base_env(url, home))

    return make


# --------------------------------------------------------------------------- the corpus


def _text_as(name: str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_text("TT,Nhiệm vụ,Chủ trì\n1,2.1. Việc,Phòng VHXH\n", encoding="utf-8")
        return path

    return build


def _xlsx_as_docx(tmp: Path) -> Path:
    return write_xlsx(base_spec(), tmp / "bang.xlsx").rename(tmp / "phu-luc.docx")


def _truncated(suffix: str) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        writer = write_docx if suffix == ".docx" else write_xlsx
        good = writer(base_spec(), tmp / f"good{suffix}").read_bytes()
        path = tmp / f"phu-luc{suffix}"
        path.write_bytes(good[: len(good) // 2])
        return path

    return build


def _broken_member(tmp: Path) -> Path:
    path = tmp / "phu-luc.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("word/document.xml", "<not xml")
    return path


def _encrypted(suffix: str) -> Callable[[Path], Path]:
    """What Office writes for a password: an OLE2 container with an EncryptionInfo stream."""

    def build(tmp: Path) -> Path:
        path = tmp / f"mat-khau{suffix}"
        name = "EncryptionInfo".encode("utf-16-le")
        path.write_bytes(OLE2 + b"\0" * 504 + name + b"\0" * 1024)
        return path

    return build


def _encrypted_pdf(tmp: Path) -> Path:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32),
    ]
    data = _pdf(objects).replace(
        b"/Root 1 0 R >>",
        b"/Root 1 0 R /Encrypt 4 0 R /ID [<0123456789abcdef><0123456789abcdef>] >>",
    )
    path = tmp / "da-ky.pdf"
    path.write_bytes(data)
    return path


def _scanned_pdf(tmp: Path) -> Path:
    drawing = b"0 0 m 100 100 l S"
    path = tmp / "ban-quet.pdf"
    path.write_bytes(
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                b"<< /Length %d >>\nstream\n" % len(drawing) + drawing + b"\nendstream",
            ]
        )
    )
    return path


def _no_table(tmp: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("KẾ HOẠCH CCHC NĂM 2025")
    path = tmp / "khong-bang.docx"
    document.save(str(path))
    return path


def _no_header(tmp: Path) -> Path:
    spec = base_spec()
    spec.rows[0] = ["Số", "Nội dung", "Việc", "Bước", "Kết quả", "Người làm", "Cùng", "Khi", "Tiền"]
    return write_docx(spec, tmp / "khong-tieu-de.docx")


def _empty_table(tmp: Path) -> Path:
    spec = Spec([list(HEADER), ["I. CẢI CÁCH THỂ CHẾ"] + [""] * 8], [(1, 0, 1, 8)])
    return write_xlsx(spec, tmp / "bang-rong.xlsx")


def _empty_csv(tmp: Path) -> Path:
    path = tmp / "rong.csv"
    path.write_bytes(b"")
    return path


def _over_50_mb(tmp: Path) -> Path:
    path = tmp / "qua-lon.docx"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    return path


def _xlsx_rows(tmp: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phụ lục")
    sheet.append(HEADER)
    for i in range(10_000):
        sheet.append([str(i)])
    path = tmp / "qua-nhieu-dong.xlsx"
    workbook.save(str(path))
    return path


def _csv_rows(tmp: Path) -> Path:
    path = tmp / "qua-nhieu-dong.csv"
    lines = [",".join(HEADER)] + [
        f"{i},,2.{i}. Việc {i},,,Phòng VHXH,,Năm 2025," for i in range(1, 10_001)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _no_year(tmp: Path) -> Path:
    spec = base_spec()
    spec.title = ["PHỤ LỤC"]
    return write_docx(spec, tmp / "khong-nam.docx")


def _unknown_lead_docx(tmp: Path) -> Path:
    spec = base_spec()
    spec.rows[2][5] = "Công an xã"  # row 3 of table 1 (header is row 1)
    return write_docx(spec, tmp / "chu-tri-la.docx")


def _kylac_yaml(tmp: Path, name: str, change: Callable[[PlanDoc], None]) -> Path:
    doc = load_plan(KYLAC_PLAN)
    change(doc)
    path = tmp / name
    path.write_text(dump_plan(doc), encoding="utf-8")
    return path


def _bad_deadline_yaml(tmp: Path) -> Path:
    text = KYLAC_PLAN.read_text(encoding="utf-8")
    old = 'deadline: "Ngày 25/7/2025"'
    assert text.count(old) == 1
    path = tmp / "han-sai.yaml"
    path.write_text(text.replace(old, "deadline: [25, 7, 2025]"), encoding="utf-8")
    return path


def _bad_start_yaml(tmp: Path) -> Path:
    text = KYLAC_PLAN.read_text(encoding="utf-8")
    old = "starts: 2025-07-01"
    assert text.count(old) == 1, "the reference plan starts on 2025-07-01"
    path = tmp / "bat-dau-sai.yaml"
    path.write_text(text.replace(old, "starts: 01/07/2025"), encoding="utf-8")
    return path


def _broken_yaml(tmp: Path) -> Path:
    path = tmp / "hong.yaml"
    path.write_text("format: planflow-plan/1\nplan:\n  year: 2025\n  sections: [\n", "utf-8")
    return path


# (id, builder, fragments the message must hold)
CORPUS: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("text-as-docx", _text_as("phu-luc.docx"), ("không phải là tệp Word (.docx)",)),
    ("text-as-xlsx", _text_as("phu-luc.xlsx"), ("không phải là tệp Excel (.xlsx)",)),
    ("text-as-pdf", _text_as("phu-luc.pdf"), ("không phải là tệp PDF",)),
    ("xlsx-as-docx", _xlsx_as_docx, ("không phải là tệp Word (.docx) dù có đuôi .docx",)),
    ("unsupported", _text_as("phu-luc.odt"), ("chỉ nhận .docx, .xlsx, .pdf, .csv",)),
    ("truncated-docx", _truncated(".docx"), ("bị hỏng",)),
    ("truncated-xlsx", _truncated(".xlsx"), ("bị hỏng",)),
    ("broken-member", _broken_member, ("bị hỏng",)),
    ("encrypted-docx", _encrypted(".docx"), ("bảo vệ bằng mật khẩu; hãy bỏ mật khẩu",)),
    ("encrypted-xlsx", _encrypted(".xlsx"), ("bảo vệ bằng mật khẩu; hãy bỏ mật khẩu",)),
    ("encrypted-pdf", _encrypted_pdf, ("bảo vệ bằng mật khẩu",)),
    ("scanned-pdf", _scanned_pdf, ("không có lớp chữ",)),
    ("no-table", _no_table, ("không tìm thấy bảng nào", "Chủ trì")),
    ("no-header", _no_header, ("không tìm thấy dòng tiêu đề", "Nhiệm vụ, Chủ trì")),
    ("empty-table", _empty_table, ("có dòng tiêu đề nhưng không có nhiệm vụ nào",)),
    ("empty-csv", _empty_csv, ("không tìm thấy",)),
    ("over-50-mb", _over_50_mb, ("tệp quá lớn", "tối đa 50 MB")),
    ("xlsx-10001-rows", _xlsx_rows, ("vượt giới hạn 10.000 dòng",)),
    ("csv-10001-rows", _csv_rows, ("vượt giới hạn 10.000 dòng",)),
    ("no-year", _no_year, ("tiêu đề không ghi năm của kế hoạch", "--year")),
    ("unknown-lead", _unknown_lead_docx, ("'Công an xã' (I.2.1 (dòng 3))", "--create-departments")),
    ("bad-deadline", _bad_deadline_yaml, ("deadline", "cần một đoạn chữ")),
    ("bad-start-date", _bad_start_yaml, ("starts", "YYYY-MM-DD")),
    ("broken-yaml", _broken_yaml, ("YAML không hợp lệ",)),
]


def test_every_broken_file_is_refused_and_changes_nothing(progressed: Cli, tmp_path: Path) -> None:
    """One database for the whole corpus (each case costs a process, not a fresh plan);
    the state is compared after every file, so a case that writes is named."""
    before = db_state(progressed.url)
    problems = []
    for number, (name, build, fragments) in enumerate(CORPUS):
        folder = tmp_path / f"{number:02d}-{name}"
        folder.mkdir()
        path = build(folder)
        # Every flag combination refuses the same way; the plain run for the whole corpus.
        variants = [()] + ([("--dry-run", "--json")] if number % 4 == 0 else [])
        for extra in variants:
            result = progressed("plan", "import", str(path), *extra, timeout=LONG)
            try:
                refused(progressed, result, path.name, *fragments)
            except AssertionError as exc:
                problems.append(f"{name} {' '.join(extra)}: {exc}")
            if db_state(progressed.url) != before:
                problems.append(f"{name} {' '.join(extra)}: the database changed")
                before = db_state(progressed.url)
    assert not problems, "\n".join(problems)


def test_missing_file_and_folder(progressed: Cli, tmp_path: Path) -> None:
    before = db_state(progressed.url)
    missing = tmp_path / "khong-co.docx"
    refused(
        progressed,
        progressed("plan", "import", str(missing)),
        "khong-co.docx",
        "không tìm thấy tệp",
    )
    folder = tmp_path / "thu-muc.xlsx"
    folder.mkdir()
    refused(progressed, progressed("plan", "import", str(folder)), "thu-muc.xlsx", "thư mục")
    assert db_state(progressed.url) == before


def test_refusal_in_english(progressed: Cli, tmp_path: Path) -> None:
    path = _no_header(tmp_path)
    result = progressed("--lang", "en", "plan", "import", str(path))
    line = refused(progressed, result, path.name, "no header row found", "--columns task=B")
    assert "dòng" not in line and "tiêu đề" not in line


def test_failing_reimport_of_an_amended_plan_changes_nothing(
    progressed: Cli, tmp_path: Path
) -> None:
    """An amendment that would add, change and archive tasks, with one unknown lead: nothing."""

    def amend(doc: PlanDoc) -> None:
        first = doc.sections[0].objectives[0].tasks[0]
        first.deadline = "Ngày 31/7/2025"
        ii = doc.sections[1]
        ii.objectives[-1].tasks.pop()  # II.2.3 would be archived
        doc.sections[4].objectives[0].tasks[0].lead = "Ban Chỉ huy Quân sự xã"

    path = _kylac_yaml(tmp_path, "sua-doi.yaml", amend)
    before = db_state(progressed.url)
    for extra in ((), ("--dry-run", "--json")):
        result = progressed("plan", "import", str(path), *extra)
        refused(progressed, result, "sua-doi.yaml", "'Ban Chỉ huy Quân sự xã' (V.2.1")
    assert db_state(progressed.url) == before
    shown = progressed.ok("task", "show", "I.2.1", "--json").json
    assert (shown["status"], shown["evidence"]) == ("done", "Kế hoạch số 45/KH-UBND")


# --------------------------------------------------------------------------- --json


def _per_section(codes: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in codes:
        section = code.split(".", 1)[0]
        counts[section] = counts.get(section, 0) + 1
    return counts


def test_first_import_json_and_dry_run(cli: Cli) -> None:
    cli.ok("init")
    before = db_state(cli.url)
    preview = cli.ok("plan", "import", str(KYLAC_PLAN), "--dry-run", "--json").json
    assert db_state(cli.url) == before  # a dry run writes nothing, not even the unit
    report = cli.ok("plan", "import", str(KYLAC_PLAN), "--json").json
    assert preview == {**report, "dry_run": True}
    assert set(report) == {
        "unit",
        "year",
        "created",
        "revision",
        "tasks",
        "added",
        "changed",
        "archived",
        "restored",
        "no_lead",
        "unscheduled",
        "unparsed",
        "created_departments",
        "created_groups",
        "dry_run",
        "warnings",
        "unit_name",
        "unit_created",
        "until",
        "starts",
        "flagged",
    }
    assert (report["unit"], report["year"], report["created"], report["revision"]) == (
        "ky-lac",
        2025,
        True,
        1,
    )
    assert report["dry_run"] is False
    assert report["tasks"] == 35 and len(report["added"]) == 35
    assert _per_section(report["added"]) == PER_SECTION
    assert report["added"][:3] == ["I.2.1", "I.2.2", "I.2.3"]
    assert report["added"][-4:] == ["VII.1.2.1", "VII.1.2.2", "VII.2.2.1", "VII.2.2.2"]
    assert (report["changed"], report["archived"], report["restored"]) == ({}, [], [])
    # IV.2.1 "Theo lộ trình đề án được phê duyệt" has no date; VI.2.4's deadline cell is blank.
    assert report["unscheduled"] == [
        {"code": "IV.2.1", "deadline": "Theo lộ trình đề án được phê duyệt"},
        {"code": "VI.2.4", "deadline": ""},
    ]
    assert report["unparsed"] == [] and report["created_departments"] == []
    # Blank "Chủ trì" cells in the appendix: I 2.6, V 2.2, VI 2.4 and 2.6, VII 1.2.1, 1.2.2, 2.2.2.
    assert report["no_lead"] == [
        "I.2.6",
        "V.2.2",
        "VI.2.4",
        "VI.2.6",
        "VII.1.2.1",
        "VII.1.2.2",
        "VII.2.2.2",
    ]
    assert len(cli.ok("tasks", "--json").json) == 35


def test_amended_reimport_json_lists_added_changed_archived(
    progressed: Cli, tmp_path: Path
) -> None:
    def amend(doc: PlanDoc) -> None:
        from planflow.engine.plandoc import TaskDoc

        doc.sections[0].objectives[0].tasks[0].deadline = "Ngày 31/7/2025"  # I.2.1
        ii = doc.sections[1].objectives[-1]
        removed = ii.tasks.pop()
        assert removed.code == "2.3"
        ii.tasks.append(
            TaskDoc(
                code="2.4",
                text="Rà soát văn bản quy phạm pháp luật hết hiệu lực",
                lead="Văn phòng HĐND-UBND",
                deadline="Quý IV/2025",
            )
        )

    path = str(_kylac_yaml(tmp_path, "sua-doi.yaml", amend))
    before = db_state(progressed.url)
    preview = progressed.ok("plan", "import", path, "--dry-run", "--json").json
    assert db_state(progressed.url) == before
    report = progressed.ok("plan", "import", path, "--json").json
    assert preview == {**report, "dry_run": True}
    assert (report["created"], report["revision"], report["tasks"]) == (False, 2, 35)
    assert report["added"] == ["II.2.4"]
    assert report["archived"] == ["II.2.3"]
    assert report["restored"] == []
    # A single-day deadline is a one-day window: start and due move together.
    assert report["changed"] == {
        "I.2.1": {
            "deadline_text": {"old": "Ngày 25/7/2025", "new": "Ngày 31/7/2025"},
            "start_on": {"old": "2025-07-25", "new": "2025-07-31"},
            "due_on": {"old": "2025-07-25", "new": "2025-07-31"},
        }
    }
    shown = progressed.ok("task", "show", "I.2.1", "--json").json
    assert (shown["status"], shown["completed_on"]) == ("done", "2025-07-24")
    assert shown["evidence"] == "Kế hoạch số 45/KH-UBND"
    notes = [e for e in progressed.ok("history", "II.2.1", "--json").json["events"]]
    assert [e["action"] for e in notes] == ["created", "note"]
    after = db_state(progressed.url)
    # One new task with its created event, one archive event, one update event, no deletion.
    assert after["task"][0] == before["task"][0] + 1
    assert after["event"][0] == before["event"][0] + 3


# --------------------------------------------------------------------------- the fixtures


def _unit_only_plan(tmp: Path) -> Path:
    """The Kỳ Lạc plan file without its tasks: the unit, its departments and settings."""
    return _kylac_yaml(tmp, "don-vi.yaml", lambda doc: setattr(doc, "sections", []))


def _task_rows(url: str) -> list[tuple[object, ...]]:
    """Tasks and items as stored, without ids and timestamps."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tasks = conn.execute(
                text(
                    "SELECT code, section, number, text, output, lead_text, leads, "
                    "partners_text, partners, deadline_text, deadline_kind, start_on, due_on, "
                    "budget, activities, status, position FROM task ORDER BY position"
                )
            ).all()
            items = conn.execute(
                text(
                    "SELECT t.code, i.period, i.department, i.start_on, i.due_on, i.status "
                    "FROM item i JOIN task t ON t.id = i.task_id "
                    "ORDER BY t.position, i.period, i.department"
                )
            ).all()
        return [tuple(r) for r in tasks] + [tuple(r) for r in items]
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_fixture_imports_to_the_tasks_of_the_plan_file(
    kylac: Cli, cli_factory: Callable[[], Cli], tmp_path: Path, kind: str
) -> None:
    fixture = FIXTURES / f"ky-lac-2025-phu-luc.{kind}"
    other = cli_factory()
    other.ok("init")
    setup = other.ok("plan", "import", str(_unit_only_plan(tmp_path)), "--json").json
    assert (setup["created"], setup["tasks"]) == (True, 0)
    report = other.ok("plan", "import", str(fixture), "--json").json
    assert _per_section(report["added"]) == PER_SECTION
    as_of = ("--as-of", "15/10/2025")
    assert other.ok(*as_of, "tasks", "--json").json == kylac.ok(*as_of, "tasks", "--json").json
    assert _task_rows(other.url) == _task_rows(kylac.url)


@pytest.mark.parametrize("kind", KINDS)
def test_fixture_reimported_over_the_plan_file_changes_nothing(kylac: Cli, kind: str) -> None:
    """The commune's own .docx/.xlsx/.pdf over the plan file: same tasks, so no revision."""
    before = _task_rows(kylac.url)
    fixture = FIXTURES / f"ky-lac-2025-phu-luc.{kind}"
    report = kylac.ok("plan", "import", str(fixture), "--json").json
    assert (report["added"], report["changed"], report["archived"]) == ([], {}, [])
    assert report["revision"] == 1
    assert _task_rows(kylac.url) == before
    shown = kylac.ok("plan", "show", "--json").json
    assert shown["title"] == "Kế hoạch cải cách hành chính năm 2025"
    assert shown["starts"] == "2025-07-01"


# --------------------------------------------------------------------------- convert


def _no_db_env(tmp: Path) -> tuple[dict[str, str], Path]:
    never = tmp / "never" / "planflow.db"
    return {"PLANFLOW_DATABASE_URL": f"sqlite:///{never}"}, never


@pytest.mark.parametrize("kind", KINDS)
def test_convert_writes_the_plan_of_the_plan_file(cli: Cli, tmp_path: Path, kind: str) -> None:
    env, never = _no_db_env(tmp_path)
    fixture = FIXTURES / f"ky-lac-2025-phu-luc.{kind}"
    out = tmp_path / "plans" / "ky-lac.yaml"
    result = cli.ok("plan", "convert", str(fixture), "-o", str(out), env=env)
    assert "35 nhiệm vụ" in result.out
    converted, reference = load_plan(out), load_plan(KYLAC_PLAN)
    # The appendix is the task table: every section, objective, task and activity, field
    # by field, equals the hand-made plan file.
    assert converted.sections == reference.sections
    assert (converted.year, converted.recurrence, converted.require_evidence) == (
        2025,
        "quarterly",
        True,
    )
    # What an appendix cannot hold (the unit, the plan's own title) stays out.
    # The start is the plan's own date, "ngày /7/2025" in the attachment line: 01/07/2025.
    assert converted.unit is None and converted.starts == date(2025, 7, 1)
    assert converted.title == "KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2025"
    assert converted.source == fixture.name
    assert not never.exists() and not never.parent.exists()
    assert not (cli.home / "planflow.db").exists()
    assert [p.name for p in out.parent.iterdir()] == ["ky-lac.yaml"]


@pytest.mark.parametrize(
    ("build", "fragments"),
    [
        c[1:]
        for c in CORPUS
        if c[0]
        in ("truncated-docx", "encrypted-xlsx", "scanned-pdf", "no-header", "xlsx-10001-rows")
    ],
    ids=["truncated-docx", "encrypted-xlsx", "scanned-pdf", "no-header", "xlsx-10001-rows"],
)
def test_convert_refuses_a_bad_file_and_writes_nothing(
    cli: Cli, tmp_path: Path, build: Callable[[Path], Path], fragments: tuple[str, ...]
) -> None:
    env, never = _no_db_env(tmp_path)
    path = build(tmp_path)
    out = tmp_path / "out" / "plan.yaml"
    result = cli("plan", "convert", str(path), "-o", str(out), env=env, timeout=LONG)
    refused(cli, result, path.name, *fragments)
    assert not out.exists() and not out.parent.exists()
    assert not never.exists()


def test_convert_does_not_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    env, never = _no_db_env(tmp_path)
    (tmp_path / "plans").mkdir()
    out = tmp_path / "plans" / "ky-lac.yaml"
    out.write_text("# the commune's own edits\n", encoding="utf-8")
    fixture = FIXTURES / "ky-lac-2025-phu-luc.xlsx"
    result = cli("plan", "convert", str(fixture), "-o", str(out), env=env)
    assert result.code == 2 and "Traceback" not in result.err
    assert "ky-lac.yaml" in result.err and "--force" in result.err
    assert out.read_text(encoding="utf-8") == "# the commune's own edits\n"
    cli.ok("plan", "convert", str(fixture), "-o", str(out), "--force", env=env)
    assert load_plan(out).sections == load_plan(KYLAC_PLAN).sections
    assert sorted(p.name for p in out.parent.iterdir()) == ["ky-lac.yaml"]
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    result = cli("plan", "convert", str(fixture), "-o", str(folder), "--force", env=env)
    assert result.code == 2 and "thư mục" in result.err and "Traceback" not in result.err
    assert not never.exists()
