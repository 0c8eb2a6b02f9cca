"""Every bad input a user can give, one row each: one clear line, no traceback, nothing changed.

Each case runs the real `planflow` entry point as a process on its own copy of a Kỳ Lạc
database (built once), checks the exit code, a fragment of the one-line message in
Vietnamese and, where the case gives one, in English under --lang en, that no traceback
was printed, and that the database file holds exactly what it held before.

Read-only files and folders: root ignores file modes, so when the suite runs as root they
are made with the immutable attribute (`chattr +i`), which the kernel enforces for root
too; where that is impossible the case is skipped with the reason, never faked.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from support import FIXTURES, KYLAC_PLAN, Cli, Result, _base_env

GARBAGE_ID = "12345678901234567890123"  # 23 digits: more than any database integer holds
TODAY = {"PLANFLOW_TODAY": "2025-10-10"}


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    vi: str  # a fragment of the one-line message, Vietnamese (the default)
    en: str | None = None  # the same under --lang en, where the message is planflow's own
    setup: tuple[str, ...] = ("kylac",)
    env: dict[str, str] = field(default_factory=dict)
    config: str | None = None  # the config file's text
    # The VHXH head, lead of I.2.1, seeded by the plan file; None: the OS user, who ran
    # `planflow init` (the administrator), for commands that manage the plan.
    user: str | None = "vhxh"
    never: tuple[str, ...] = ()  # text that must appear nowhere in the output (a password)
    usage: bool = False  # a Click usage error: several lines ("Usage: …", "Error: …")
    db: str = "planflow.db"  # where the case's database is, under its folder


CASES = [
    # Task ids: too long for any integer column, zero, negative, not numbers.
    Case("task-id-23-digits", ("task", "show", GARBAGE_ID), f"không có nhiệm vụ '{GARBAGE_ID}'",
         f"no task '{GARBAGE_ID}'"),
    Case("done-id-23-digits", ("done", GARBAGE_ID, "--evidence", "KH 5"),
         f"không có nhiệm vụ '{GARBAGE_ID}'", f"no task '{GARBAGE_ID}'"),
    Case("history-id-23-digits", ("history", GARBAGE_ID), "không có nhiệm vụ", "no task"),
    Case("note-id-23-digits", ("note", GARBAGE_ID, "x"), "không có nhiệm vụ", "no task"),
    Case("task-id-zero", ("task", "show", "0"), "không có nhiệm vụ '0'", "no task '0'"),
    Case("task-id-negative", ("task", "show", "--", "-5"), "không có nhiệm vụ '-5'",
         "no task '-5'"),
    Case("task-id-negative-as-option", ("task", "show", "-5"), "-5", usage=True),
    Case("task-id-superscript-digit", ("start", "²"), "không có nhiệm vụ '²'", "no task '²'"),
    Case("task-id-not-a-number", ("done", "abc", "--evidence", "x"), "không có nhiệm vụ 'abc'",
         "no task 'abc'"),
    Case("outbox-id-23-digits", ("outbox", "retry", GARBAGE_ID), f"'{GARBAGE_ID}': cần số thư",
         "expected a message number"),
    Case("outbox-id-zero", ("outbox", "retry", "0"), "'0': cần số thư",
         "expected a message number"),
    Case("outbox-id-not-a-number", ("outbox", "retry", "abc"), "'abc': cần số thư",
         "expected a message number"),
    Case("snapshot-id-23-digits", ("snapshot", "show", GARBAGE_ID), "không có bản chụp",
         "no snapshot"),
    # The database: each its own message; only the missing one says `planflow init`.
    Case("db-not-a-url", ("--db", "nonsense", "tasks"), "'nonsense' không phải URL cơ sở dữ liệu",
         "'nonsense' is not a database URL"),
    Case("db-unsupported-backend", ("--db", "mysql://x/y", "tasks"), "không hỗ trợ 'mysql'",
         "does not support 'mysql'"),
    Case("db-is-a-text-file", ("tasks",), "không phải cơ sở dữ liệu planflow (SQLite)",
         "is not a planflow (SQLite) database", setup=("text",)),
    Case("db-is-a-text-file-write", ("done", "I.2.1", "--evidence", "KH 5"),
         "không phải cơ sở dữ liệu planflow (SQLite)", "is not a planflow (SQLite) database",
         setup=("text",)),
    Case("db-is-a-folder", ("--db", "sqlite:///{tmp}", "tasks"), "đây là thư mục",
         "this is a folder"),
    Case("db-read-only-done", ("done", "I.2.1", "--evidence", "KH 5"), "chỉ đọc được",
         "the database is read-only", setup=("kylac", "read-only")),
    Case("db-read-only-import", ("plan", "import", "{plan}"), "chỉ đọc được",
         "the database is read-only", setup=("kylac", "read-only"), user=None),
    Case("db-read-only-snapshot", ("snapshot", "take"), "chỉ đọc được",
         "the database is read-only", setup=("kylac", "read-only"), user=None),
    Case("db-folder-not-writable", ("--db", "sqlite:///{tmp}/locked/planflow.db", "init"),
         "không tạo được cơ sở dữ liệu trong thư mục này", "cannot create the database in this",
         setup=("kylac", "locked-folder")),
    Case("db-folder-read-only", ("tasks",), "thư mục {tmp}/ro cần ghi được",
         "expected its folder {tmp}/ro to be writable", setup=("kylac", "db-folder-read-only"),
         db="ro/planflow.db"),
    Case("db-driver-not-installed", ("--db", "postgresql+pg8000://cb@db.kylac.vn/pf", "tasks"),
         "trình điều khiển 'postgresql+pg8000' chưa được cài",
         "the driver 'postgresql+pg8000' is not installed"),
    Case("db-missing", ("--db", "sqlite:///{tmp}/nowhere/planflow.db", "tasks"),
         "chạy `planflow init`", "run `planflow init`"),
    Case("db-missing-write", ("--db", "sqlite:///{tmp}/nowhere/planflow.db", "done", "I.2.1"),
         "chưa có cơ sở dữ liệu này", "no such database"),
    Case("db-unreachable-postgresql",
         ("--db", "postgresql+psycopg://cb:s3cr3t-pw@127.0.0.1:1/planflow", "tasks"),
         "không kết nối được máy chủ cơ sở dữ liệu", "cannot reach the database server",
         never=("s3cr3t-pw",)),
    Case("db-unreachable-postgresql-init",
         ("--db", "postgresql://cb:s3cr3t-pw@127.0.0.1:1/planflow", "init"),
         "cb:***@127.0.0.1:1", "cannot reach the database server", never=("s3cr3t-pw",)),
    # Every command that writes checks the schema before it writes.
    Case("newer-schema-import", ("plan", "import", "{plan}"), "0099", "newer than this planflow",
         setup=("kylac", "newer-schema"), user=None),
    Case("newer-schema-done", ("done", "I.2.1", "--evidence", "KH 5"), "cập nhật planflow",
         "upgrade planflow", setup=("kylac", "newer-schema")),
    Case("newer-schema-snapshot", ("snapshot", "take"), "cập nhật planflow", "upgrade planflow",
         setup=("kylac", "newer-schema"), user=None),
    Case("newer-schema-unit-add", ("unit", "add", "XA-MOI", "--name", "UBND xã Mới"),
         "cập nhật planflow", "upgrade planflow", setup=("kylac", "newer-schema"), user=None),
    Case("newer-schema-report", ("report",), "cập nhật planflow", "upgrade planflow",
         setup=("kylac", "newer-schema")),
    # -o into a folder that does not exist, or a folder given as the file.
    Case("output-missing-folder-docx",
         ("report", "--format", "docx", "-o", "{tmp}/khong-co/bao-cao.docx"),
         "không có thư mục {tmp}/khong-co", "the folder {tmp}/khong-co does not exist"),
    Case("output-missing-folder-xlsx",
         ("report", "--format", "xlsx", "-o", "{tmp}/khong-co/bao-cao.xlsx"),
         "không có thư mục", "does not exist"),
    Case("output-missing-folder-md", ("report", "--format", "md", "-o", "{tmp}/khong-co/r.md"),
         "không có thư mục", "does not exist"),
    Case("output-missing-folder-rollup",
         ("report", "--all-units", "--format", "md", "-o", "{tmp}/khong-co/r.md"),
         "không có thư mục", "does not exist"),
    Case("output-missing-folder-calendar", ("calendar", "-o", "{tmp}/khong-co/lich.ics"),
         "không có thư mục", "does not exist"),
    Case("output-is-a-folder", ("report", "--format", "docx", "-o", "{tmp}"), "đây là thư mục",
         "this is a folder"),
    # Dates, language, environment and config file.
    Case("planflow-today-garbage", ("tasks",), "PLANFLOW_TODAY", "PLANFLOW_TODAY",
         env={"PLANFLOW_TODAY": "garbage"}),
    Case("as-of-garbage", ("--as-of", "hôm qua", "report"), "--as-of: ngày 'hôm qua'",
         "--as-of: invalid date 'hôm qua'"),
    Case("report-as-of-impossible-day", ("report", "--as-of", "31/02/2025"), "--as-of",
         "--as-of"),
    Case("done-on-garbage", ("done", "I.2.3", "--evidence", "x", "--on", "hôm qua"), "--on",
         "--on"),
    Case("lang-unknown", ("--lang", "xx", "tasks"), "ngôn ngữ 'xx' không hỗ trợ"),
    Case("lang-unknown-env", ("tasks",), "ngôn ngữ 'fr' không hỗ trợ",
         env={"PLANFLOW_LANG": "fr"}),
    Case("config-mail-password", ("tasks",), "[mail] password", "[mail] password",
         config='[mail]\nsmtp_url = "smtp://mail.kylac.vn:587"\npassword = "matkhau"\n',
         never=("matkhau",)),
    Case("config-smtp-url-with-password", ("tasks",), "[mail] smtp_url", "[mail] smtp_url",
         config='[mail]\nsmtp_url = "smtp://kt:matkhau@mail.kylac.vn:587"\n',
         never=("matkhau",)),
    Case("config-not-toml", ("tasks",), "tệp cấu hình không đọc được", "cannot read config",
         config="[mail\nfrom = \n"),
    Case("delivery-batch-zero", ("tasks",), "PLANFLOW_DELIVERY_BATCH", "must be a positive",
         env={"PLANFLOW_DELIVERY_BATCH": "0"}),
    Case("mail-from-not-an-address", ("tasks",), "PLANFLOW_MAIL_FROM", "PLANFLOW_MAIL_FROM",
         env={"PLANFLOW_MAIL_FROM": "kt moi@kylac"}),
    # Bounds.
    Case("plan-year-99999", ("plan", "import", "{plan}", "--year", "99999", "--dry-run"),
         "--year 99999 không hợp lệ", "--year 99999 is invalid", user=None),
    Case("plan-year-0", ("plan", "import", "{plan}", "--year", "0", "--dry-run"),
         "cần năm từ 2000 đến 2100", "expected a year from 2000 to 2100", user=None),
    Case("plan-show-year-99999", ("plan", "show", "--year", "99999"), "--year 99999",
         "--year 99999"),
    Case("deadline-year-99999", ("deadline", "Quý III", "--year", "99999"),
         "cần năm từ 2000 đến 2100", "expected a year from 2000 to 2100"),
    Case("due-within-negative", ("tasks", "--due-within", "-5"), "--due-within",
         "--due-within"),
    Case("due-within-overflow", ("tasks", "--due-within", "99999999999"),
         "--due-within: cần số ngày từ 0 đến 36600", "needs days from 0 to 36600"),
    Case("remind-budget-zero", ("remind", "--budget", "0"), "--budget", usage=True),
    Case("evidence-too-long", ("done", "I.2.1", "--evidence", "x" * 5000),
         "--evidence: dài 5000 ký tự, tối đa 4000", "--evidence: 5000 characters long"),
    Case("note-too-long", ("note", "I.2.1", "y" * 4001), "NOTE: dài 4001 ký tự",
         "NOTE: 4001 characters long"),
    Case("scheduler-at-garbage", ("scheduler", "run", "--at", "25:99"), "--at", "--at"),
    Case("report-period-garbage", ("report", "--period", "Q5/2025"), "--period", "--period"),
    Case("report-format-unknown", ("report", "--format", "pdf"), "--format", "--format"),
    Case("unit-code-pattern", ("unit", "add", "ky lac!", "--name", "X"), "mã đơn vị",
         "invalid unit code", user=None),
    Case("person-email-with-space",
         ("person", "add", "Kế toán mới", "--email", "kt moi@kylac", "--role", "staff"),
         "kt moi@kylac", "kt moi@kylac", user=None),
    # Office files: a zip bomb, a formula without its value.
    Case("docx-zip-bomb", ("plan", "import", "{tmp}/bom.docx"), "bom.docx: tệp nén bung ra",
         "bom.docx: the file expands to", setup=("kylac", "zip-bomb"), user=None),
    Case("xlsx-formula-without-value", ("plan", "import", "{tmp}/cong-thuc.xlsx", "--dry-run"),
         "ô H8: công thức", "cell H8: the formula", setup=("kylac", "formula"), user=None),
    Case("docx-that-is-text", ("plan", "import", "{tmp}/gia.docx"),
         "không phải là tệp Word (.docx)", "is not a Word (.docx) file",
         setup=("kylac", "fake-docx"), user=None),
]  # fmt: skip


# Only a missing or uninitialised database is told to run `planflow init`.
_NOT_INIT = {"db-unreachable-postgresql-init"} | {
    c.name for c in CASES if c.name.startswith("db-") and not c.name.startswith("db-missing")
}
CASES = [replace(c, never=(*c.never, "planflow init")) if c.name in _NOT_INIT else c for c in CASES]


# --- set-ups ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Kỳ Lạc database built once through the CLI; each case gets a copy of the file."""
    home = tmp_path_factory.mktemp("template")
    path = home / "planflow.db"
    cli = Cli(f"sqlite:///{path}", home, _base_env(f"sqlite:///{path}", home))
    cli.ok("init")
    cli.ok("plan", "import", str(KYLAC_PLAN))
    with sqlite3.connect(path) as conn:  # everything into the main file, so a copy is whole
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


_locked: list[Path] = []


@pytest.fixture
def unlock() -> Iterator[None]:
    """Take back every immutable attribute or mode a case set, so tmp_path can be removed."""
    yield
    while _locked:
        path = _locked.pop()
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o755 if path.is_dir() else 0o644)


def _make_unwritable(path: Path) -> None:
    if os.geteuid() != 0:
        path.chmod(0o555 if path.is_dir() else 0o444)
        _locked.append(path)
        return
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(
            "running as root, and `chattr +i` is refused here "
            f"({done.stderr.strip()}): root ignores file modes, so no read-only "
            "file or folder can be made for it"
        )
    _locked.append(path)


def _setup_read_only(tmp: Path, db: Path) -> None:
    _make_unwritable(db)
    probe = subprocess.run(
        [sys.executable, "-c", f"open({str(db)!r}, 'r+b')"], capture_output=True, text=True
    )
    assert probe.returncode != 0, "the database file is still writable"


def _setup_newer_schema(tmp: Path, db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")


def _setup_zip_bomb(tmp: Path, db: Path) -> None:
    """A real appendix plus one part of 210 MB of spaces: a few hundred KB on disk."""
    source = FIXTURES / "ky-lac-2025-phu-luc.docx"
    with (
        zipfile.ZipFile(source) as src,
        zipfile.ZipFile(tmp / "bom.docx", "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in src.infolist():
            out.writestr(item, src.read(item))
        chunk = b" " * (1024 * 1024)
        with out.open("word/media/pad.xml", "w") as pad:
            for _ in range(210):
                pad.write(chunk)
    assert (tmp / "bom.docx").stat().st_size < 5 * 1024 * 1024


def _setup_formula(tmp: Path, db: Path) -> None:
    """The real appendix with one deadline turned into a formula, saved by a program: the
    formula has no computed value (Excel computes it when it saves the file)."""
    from openpyxl import load_workbook

    workbook = load_workbook(FIXTURES / "ky-lac-2025-phu-luc.xlsx")
    workbook.worksheets[0]["H8"] = '="Tháng "&"07/2025"'
    workbook.save(tmp / "cong-thuc.xlsx")


SETUPS: dict[str, Callable[[Path, Path], None]] = {
    "text": lambda tmp, db: db.write_text("Danh sách việc cần làm\n") and None,
    "read-only": _setup_read_only,
    "locked-folder": lambda tmp, db: (tmp / "locked").mkdir() or _make_unwritable(tmp / "locked"),
    "db-folder-read-only": lambda tmp, db: _make_unwritable(db.parent),
    "newer-schema": _setup_newer_schema,
    "zip-bomb": _setup_zip_bomb,
    "formula": _setup_formula,
    "fake-docx": lambda tmp, db: (tmp / "gia.docx").write_text("không phải Word") and None,
}


def _state(path: Path) -> object:
    """What the database holds (every row, as SQL), the bytes of a file that is not one,
    or None when there is no file."""
    if not path.exists():
        return None
    if path.read_bytes()[:16] != b"SQLite format 3\x00":
        return path.read_bytes()
    for query in ("mode=ro", "mode=ro&immutable=1"):  # the second: a folder nobody can write,
        conn = sqlite3.connect(f"file:{path}?{query}", uri=True)  # so there is no -wal file
        try:
            return "\n".join(conn.iterdump())
        except sqlite3.OperationalError:
            continue
        finally:
            conn.close()
    raise AssertionError(f"{path} cannot be read")


# --- the table ----------------------------------------------------------------------------


def _run(case: Case, tmp: Path, template: Path, lang: str | None) -> tuple[Result, object, object]:
    db = tmp / case.db
    db.parent.mkdir(parents=True, exist_ok=True)
    if "kylac" in case.setup:
        shutil.copyfile(template, db)
    for name in case.setup:
        if name != "kylac":
            SETUPS[name](tmp, db)
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    cli = Cli(f"sqlite:///{db}", home, _base_env(f"sqlite:///{db}", home))
    if case.config is not None:
        (home / "config.toml").write_text(case.config, encoding="utf-8")
    before = _state(db)
    args = tuple(a.format(tmp=tmp, plan=KYLAC_PLAN) for a in case.args)
    prefix = ("--lang", lang) if lang else ()
    result = cli(*prefix, *args, user=case.user, env={**TODAY, **case.env})
    return result, before, _state(db)


# A case runs in each language that has a message of planflow's own to check: Click's usage
# errors and the --lang cases have no English one, so they run once, in Vietnamese.
RUNS = [
    pytest.param(case, lang, id=f"{lang}-{case.name}")
    for lang in ("vi", "en")
    for case in CASES
    if (case.vi if lang == "vi" else case.en) is not None
]


@pytest.mark.parametrize(("case", "lang"), RUNS)
def test_bad_input(case: Case, lang: str, tmp_path: Path, template: Path, unlock: None) -> None:
    expected = case.vi if lang == "vi" else case.en
    assert expected is not None
    result, before, after = _run(case, tmp_path, template, None if lang == "vi" else "en")
    out = result.out + result.err
    assert result.code != 0, out
    assert "Traceback" not in out, out
    assert expected.format(tmp=tmp_path) in result.err, result.err
    if not case.usage:  # planflow's own: exactly one line
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("planflow: "), result.err
    for secret in case.never:
        assert secret not in out
    assert after == before, "the database changed"
    assert not (tmp_path / "nowhere").exists(), "a missing database was created"
    assert not (tmp_path / "khong-co").exists(), "a missing -o folder was created"


def test_the_table_is_at_least_forty_kinds() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 40


# --- user text that is accepted, and must stay harmless where it is shown ------------------


@pytest.fixture
def office(tmp_path: Path, template: Path) -> Cli:
    """A copy of the Kỳ Lạc database, acting as the VHXH head on 10/10/2025."""
    db = tmp_path / "planflow.db"
    shutil.copyfile(template, db)
    home = tmp_path / "home"
    home.mkdir()
    env = {**_base_env(f"sqlite:///{db}", home), **TODAY, "PLANFLOW_USER": "vhxh"}
    return Cli(f"sqlite:///{db}", home, env)


HOSTILE = "Đã gửi \x1b[31mđỏ\x1b[0m \x1b]8;;http://evil.example\x07bấm vào đây\x1b]8;;\x07\x1b[2J"


def test_escape_sequences_never_reach_the_terminal(office: Cli) -> None:
    office.ok("note", "I.2.1", HOSTILE)
    office.ok("done", "I.2.1", "--evidence", "QĐ số 5\x1b[2J\x9b1;1H\x07")
    for args in (("history", "I.2.1"), ("task", "show", "I.2.1"), ("report",)):
        out = office.ok(*args).out
        assert not any(ch in out for ch in "\x1b\x07\x9b"), (args, out)
    shown = office.ok("history", "I.2.1").out
    assert "Đã gửi đỏ bấm vào đây" in shown and "QĐ số 5" in shown
    # Only the display is cleaned: the record keeps what was typed (JSON escapes it).
    events = office.ok("history", "I.2.1", "--json").json["events"]
    assert events[-2]["note"] == HOSTILE
    missing = office("task", "show", "\x1b]0;owned\x07IX.9")
    assert missing.code == 1 and "\x1b" not in missing.err and "IX.9" in missing.err


def test_rich_markup_and_escapes_in_a_task_text_are_shown_as_text(
    office: Cli, tmp_path: Path
) -> None:
    plan = tmp_path / "ke-hoach.yaml"
    hostile = "Ban hành [/b] [link=http://e.vn]KH[/link] \x1b[2JCCHC"
    plan.write_text(
        KYLAC_PLAN.read_text(encoding="utf-8")
        .replace('"Ban hành Kế hoạch CCHC 06 tháng cuối năm 2025 của xã"', f'"{hostile}"')
        .replace("\x1b", "\\e"),
        encoding="utf-8",
    )
    office.ok("plan", "import", str(plan), env={"PLANFLOW_USER": ""})
    listing = office.ok("tasks").out
    assert "[/b]" in listing and "[link=http://e.vn]KH[/link]" in listing  # words may wrap
    assert "\x1b" not in listing


def test_a_vertical_tab_in_evidence_goes_into_xlsx_and_docx(office: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    office.ok("done", "I.2.1", "--evidence", "Quyết định số 75/QĐ-UBND\x0bngày 20/7/2025\x01")
    office.ok("report", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Quyết định số 75/QĐ-UBND\nngày 20/7/2025" in cells
    office.ok("report", "--format", "docx", "-o", str(tmp_path / "r.docx"))
    assert (tmp_path / "r.docx").stat().st_size > 0


def test_markdown_report_escapes_raw_html(office: Cli) -> None:
    office.ok("done", "I.2.1", "--evidence", "<script>alert(1)</script> & <img onerror=x>")
    md = office.ok("report", "--format", "md").out
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img onerror=x&gt;" in md


# --- the functions at the edges ------------------------------------------------------------


def test_a_url_is_printed_without_its_password() -> None:
    from planflow.db import safe_url

    assert safe_url("postgresql+psycopg://cb:s3cr3t@db.kylac.vn/planflow") == (
        "postgresql+psycopg://cb:***@db.kylac.vn/planflow"
    )
    assert safe_url("sqlite:////var/lib/planflow/planflow.db").endswith("/planflow.db")
    assert "s3cr3t" not in safe_url("postgresql://cb:s3cr3t@[bad")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[1;31mđỏ\x1b[0m", "đỏ"),
        ("\x1b]8;;http://x\x07link\x1b]8;;\x1b\\", "link"),
        ("a\x0bb\x0cc\rd", "a\nb\nc\nd"),
        ("tab\tand\nline", "tab\tand\nline"),
        ("\x00nul\x7fdel\x85nel", "nuldelnel"),
        ("cut off \x1b]0;title", "cut off "),
        ("\u202eevil", "evil"),
        ("Kỳ Lạc — Quý III/2025", "Kỳ Lạc — Quý III/2025"),
    ],
)
def test_for_terminal(text: str, shown: str) -> None:
    from planflow.engine.text import for_terminal

    assert for_terminal(text) == shown


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), (" 7 ", 7), ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None),
     (GARBAGE_ID, None), ("0", None), ("-5", None), ("²", None), ("١٢", None), ("", None)],
)  # fmt: skip
def test_parse_id(text: str, number: int | None) -> None:
    from planflow.engine.text import parse_id

    assert parse_id(text) == number


# --- planflow doctor ----------------------------------------------------------------------


def test_doctor_passes_a_good_installation(office: Cli) -> None:
    result = office.ok("--lang", "en", "doctor")
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "✓ database", "✓ schema", "✓ integrity", "✓ config", "✓ secret", "✓ mail"
    ]  # fmt: skip
    assert "PRAGMA integrity_check: ok" in result.out


def test_doctor_names_every_problem_at_once(tmp_path: Path) -> None:
    (tmp_path / "planflow.db").write_text("không phải cơ sở dữ liệu")
    secret = tmp_path / "smtp-password"
    secret.write_text("matkhau\n")
    secret.chmod(0o644)
    home = tmp_path / "home"
    home.mkdir()
    url = f"sqlite:///{tmp_path / 'planflow.db'}"
    env = {"PLANFLOW_SMTP_PASSWORD_FILE": str(secret), "PLANFLOW_SMTP_URL": "ftp://x"}
    result = Cli(url, home, _base_env(url, home))("doctor", env=env)
    assert result.code == 1 and "Traceback" not in result.err
    failed = [line.split(":")[0] for line in result.out.splitlines() if line.startswith("✗")]
    assert failed == ["✗ database", "✗ secret", "✗ mail"], result.out
    assert "chmod 600" in result.out and "smtp://" in result.out and "matkhau" not in result.out
    assert (tmp_path / "planflow.db").read_text() == "không phải cơ sở dữ liệu"
