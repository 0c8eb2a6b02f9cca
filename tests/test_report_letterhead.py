"""The Word report as Nghị định 30/2020/NĐ-CP frames it, checked where a reader sees it:
LibreOffice turns the .docx into a PDF and pdftotext reads each page. Page 1 carries the
letterhead and the title, page 2 its number at the top, the last page "Nơi nhận" and the
signer. The XML is checked too (repeated header row, rows kept whole, titlePg, the chart).

One database and one LibreOffice run for the whole module (the unit's report and the
province roll-up converted together): CI runs the suite twice. Expected texts are written
from the plan and the commands below, not copied from output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import KYLAC_PLAN, Cli, _base_env

SIGNER = "Nguyễn Văn Bình"
RECIPIENTS = ["UBND tỉnh Hà Tĩnh (b/c);", "TT Đảng ủy, HĐND xã;", "Lưu: VT, VHXH."]
# The plan file's unit, with the letterhead settings a commune would add.
DOCUMENT_BLOCK = "  document:\n    number_prefix: BC-UBND\n    recipients:\n" + "".join(
    f'      - "{r}"\n' for r in RECIPIENTS
)


def need_office(*programs: str) -> None:
    """Skip, saying why, when LibreOffice or poppler is missing; under `.ci/run`
    (PLANFLOW_REQUIRE_LIBREOFFICE=1, after it installed them) fail instead: the same rule
    as tests.support.need_programs for Chromium."""
    missing = [p for p in programs if shutil.which(p) is None]
    if not missing:
        return
    why = (
        f"{' and '.join(missing)} missing: `.ci/run` installs them (locally: apt-get install "
        "-y libreoffice-writer-nogui poppler-utils fonts-liberation2)"
    )
    if os.environ.get("PLANFLOW_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(why)
    print(f"skipped: {why}")
    pytest.skip(why)


@dataclass(frozen=True)
class Made:
    cli: Cli
    db: Path
    folder: Path
    report: Path  # Vietnamese .docx of ky-lac as of 04/12/2025
    english: Path
    rollup: Path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """Kỳ Lạc with two tasks done, letterhead settings from the plan file and from
    `unit edit`, rendered in Vietnamese and English and as the province roll-up."""
    home = tmp_path_factory.mktemp("letterhead")
    db = home / "planflow.db"
    cli = Cli(f"sqlite:///{db}", home, _base_env(f"sqlite:///{db}", home))
    plan = KYLAC_PLAN.read_text(encoding="utf-8")
    assert "\n  coordinator: VHXH\n" in plan
    plan = plan.replace("\n  coordinator: VHXH\n", "\n  coordinator: VHXH\n" + DOCUMENT_BLOCK, 1)
    plan_file = home / "ky-lac.yaml"
    plan_file.write_text(plan, encoding="utf-8")
    cli.ok("init")
    cli.ok("plan", "import", str(plan_file))
    cli.ok("unit", "edit", "--unit", "ky-lac", "--signer-name", SIGNER, "--province", "Hà Tĩnh")
    cli.ok("--as-of", "30/09/2025", "done", "I.2.1", "--evidence", "Quyết định số 75/QĐ-UBND",
           "--on", "20/07/2025", user="vhxh")  # fmt: skip
    cli.ok("--as-of", "30/09/2025", "done", "I.2.2", "--evidence", "Kế hoạch số 90/KH-UBND",
           "--on", "15/08/2025", user="vhxh")  # fmt: skip
    out = home / "out"
    out.mkdir()
    report, english, rollup = out / "bao-cao.docx", out / "report-en.docx", out / "tinh.docx"
    cli.ok("report", "--as-of", "04/12/2025", "--format", "docx", "-o", str(report))
    cli.ok("--lang", "en", "report", "--as-of", "04/12/2025", "--format", "docx",
           "-o", str(english))  # fmt: skip
    cli.ok("--as-of", "04/12/2025", "report", "--all-units", "--format", "docx", "-o", str(rollup))
    return Made(cli, db, out, report, english, rollup)


@pytest.fixture(scope="module")
def pdfs(made: Made) -> dict[str, list[str]]:
    """Each PDF's pages as text (whitespace collapsed): one soffice run for both files."""
    need_office("soffice", "pdftotext", "pdfinfo")
    profile = made.folder / "lo-profile"
    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(made.folder), str(made.report),
         str(made.rollup)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages: dict[str, list[str]] = {}
    for docx in (made.report, made.rollup):
        pdf = docx.with_suffix(".pdf")
        assert pdf.exists(), result.stdout + result.stderr
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
        pages[docx.stem] = [
            subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)
        ]  # fmt: skip
    return pages


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_page_one_has_letterhead_and_title(pdfs: dict[str, list[str]]) -> None:
    pages = pdfs["bao-cao"]
    assert len(pages) >= 2
    first = _flat(pages[0])
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ KỲ LẠC",
        "Số: /BC-UBND",  # the number is left blank, to be written when registered
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Kỳ Lạc, ngày 04 tháng 12 năm 2025",  # the report's as-of date
        "BÁO CÁO",
        "Kết quả thực hiện kế hoạch cải cách hành chính năm 2025",
        "Hoàn thành 2/35 nhiệm vụ, đạt 5,7%.",  # I.2.1 and I.2.2: 2/35 = 5.71…%
    ):
        assert expected in first, expected
    # The agency stands left of the motto on the same line of the page.
    line = next(x for x in pages[0].splitlines() if "XÃ KỲ LẠC" in x)
    assert line.index("XÃ KỲ LẠC") < line.index("Độc lập")
    assert "Nơi nhận" not in first and "PHỤ LỤC 1B" not in first


def test_page_numbers_from_page_two(pdfs: dict[str, list[str]]) -> None:
    pages = pdfs["bao-cao"]
    first_lines = [x.strip() for x in pages[0].splitlines() if x.strip()]
    assert first_lines[0] != "1"  # titlePg: page 1 carries no number
    for n, page in enumerate(pages[1:], 2):
        lines = [x.strip() for x in page.splitlines() if x.strip()]
        assert lines[0] == str(n), lines[:3]


def test_appendix_then_signature_on_the_last_page(pdfs: dict[str, list[str]]) -> None:
    pages = [_flat(p) for p in pdfs["bao-cao"]]
    start = next(n for n, p in enumerate(pages) if "PHỤ LỤC 1B" in p)
    assert start >= 1  # a page of its own, after the report
    assert "(Kèm theo Báo cáo số /BC-UBND ngày 04/12/2025 của UBND xã Kỳ Lạc)" in pages[start]
    # The appendix's header row is repeated on each page with its rows ("29 VI.2.5 …");
    # the signature may stand on a page of its own (its block never splits).
    rows = [p for p in pages[start:] if re.search(r"\b\d+ [IVX]+\.\d", p)]
    assert len(rows) >= 2 and all("Văn bản chứng minh" in p for p in rows)
    last = pages[-1]
    for expected in ("Nơi nhận:", *RECIPIENTS, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", SIGNER):
        assert expected in last, expected
    assert all(SIGNER not in p for p in pages[:-1])


def test_rollup_has_the_province_letterhead_and_total(pdfs: dict[str, list[str]]) -> None:
    first = _flat(pdfs["tinh"][0])
    for expected in ("ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "Số: /BC-UBND",
                     "Hà Tĩnh, ngày 04 tháng 12 năm 2025", "Độc lập - Tự do - Hạnh phúc",
                     "Toàn tỉnh (1 xã) 35 2"):  # fmt: skip
        assert expected in first, expected


def test_docx_xml_structure(made: Made) -> None:
    with zipfile.ZipFile(made.report) as package:
        document = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        png = package.read("word/media/chart.png")
        headers = [package.read(n).decode() for n in package.namelist() if "header" in n]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'Target="media/chart.png"' in rels and 'r:embed="rIdChart"' in document
    assert 'Extension="png"' in types
    assert document.count("<w:drawing>") == 1  # one chart
    assert "<w:titlePg/>" in document and 'w:type="first"' in document
    assert any(" PAGE " in h for h in headers)
    appendix = document[document.index("PHỤ LỤC 1B") :]
    table = appendix[appendix.index("<w:tbl>") : appendix.index("</w:tbl>")]
    rows = table.count("<w:tr>")
    assert rows == 1 + 35 + 7  # header, tasks, sections I–VII
    assert table.count("<w:tblHeader/>") == 1 and table.count("<w:cantSplit/>") == rows
    # The letterhead: ruled lines are paragraph borders, not underlined text.
    letterhead = document[: document.index("</w:tbl>")]
    assert letterhead.count("<w:pBdr>") == 2 and "<w:u " not in letterhead


def test_english_labels(made: Made) -> None:
    from docx import Document

    doc = Document(str(made.english))
    top = doc.tables[0].rows[0].cells
    assert "No.      /BC-UBND" in top[0].text and "XÃ KỲ LẠC" in top[0].text
    assert "Độc lập - Tự do - Hạnh phúc" in top[1].text  # the motto is the document's form
    assert "Kỳ Lạc, 04/12/2025" in top[1].text
    texts = [p.text for p in doc.paragraphs]
    assert "REPORT" in texts and "Results of the administrative reform plan 2025" in texts
    signature = doc.tables[-1].rows[0].cells
    assert signature[0].paragraphs[0].text == "Recipients:"
    assert SIGNER in signature[1].text and len(doc.inline_shapes) == 1


def test_unit_edit_records_changes_and_needs_a_manager(made: Made) -> None:
    cli = made.cli
    refused = cli("unit", "edit", "--unit", "ky-lac", "--place", "Xã Kỳ Lạc", user="kt")
    assert refused.code != 0 and "Traceback" not in refused.err
    with sqlite3.connect(made.db) as conn:
        rows = conn.execute(
            "SELECT data FROM event WHERE action = 'update' AND task_id IS NULL ORDER BY id"
        ).fetchall()

    changes = [d["changes"] for d in (json.loads(r[0]) for r in rows) if "changes" in d]
    assert {"signer_name": ["", SIGNER], "province": ["", "Hà Tĩnh"]} in changes
    same = cli.ok("unit", "edit", "--unit", "ky-lac", "--signer-name", SIGNER)
    assert "không có gì thay đổi" in same.out


def test_plan_file_document_settings_are_checked() -> None:
    from planflow.errors import ImportError_
    from planflow.planfile import dump_plan, loads_plan

    plan = KYLAC_PLAN.read_text(encoding="utf-8")
    good = plan.replace("\n  coordinator: VHXH\n", "\n  coordinator: VHXH\n" + DOCUMENT_BLOCK, 1)
    doc = loads_plan(good)
    assert doc.unit is not None
    assert doc.unit.document == {"number_prefix": "BC-UBND", "recipients": RECIPIENTS}
    assert loads_plan(dump_plan(doc)).unit.document == doc.unit.document  # type: ignore[union-attr]
    for block, error in (
        ("  document:\n    recipients: Lưu VT\n", "expected a list"),
        ("  document:\n    signer_name:\n      - a\n", "expected text"),
        ("  document:\n    signer: A\n", "unknown key 'signer'"),
    ):
        bad = plan.replace("\n  coordinator: VHXH\n", "\n  coordinator: VHXH\n" + block, 1)
        with pytest.raises(ImportError_) as caught:
            loads_plan(bad)
        assert error in caught.value.en, caught.value.en
