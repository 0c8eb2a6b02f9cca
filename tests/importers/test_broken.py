"""Files a coordinator may hand over by mistake: each refused with a sentence, never a traceback.

The corpus is built here (renamed, truncated, fake-encrypted, oversized …); each case
names the message fragment, and the file, row and column where they apply.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tablegen import HEADER, Spec, base_spec, write_docx, write_xlsx

from planflow.engine.plandoc import iter_tasks
from planflow.errors import ImportError_, PlanflowError
from planflow.importers import read_document, read_document_with_warnings
from planflow.importers.sniff import OLE2


def refused(path: Path, fragment: str, **where: object) -> ImportError_:
    with pytest.raises(ImportError_) as info:
        read_document(path)
    error = info.value
    assert isinstance(error, PlanflowError)
    assert fragment in error.vi, error.vi
    assert error.en and error.en != error.vi
    assert error.file in (path.name, str(path))
    for key, value in where.items():
        assert getattr(error, key) == value, (key, error.vi)
    return error


def test_file_not_found(tmp_path: Path) -> None:
    refused(tmp_path / "khong-co.docx", "không tìm thấy tệp")


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "plan.odt"
    path.write_text("x")
    refused(path, "chỉ nhận .docx, .xlsx, .pdf, .csv")


@pytest.mark.parametrize(("name", "kind"), [("plan.docx", "Word"), ("plan.xlsx", "Excel")])
def test_text_file_renamed(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text("TT,Nhiệm vụ\n1,2.1. Việc\n", encoding="utf-8")
    refused(path, f"không phải là tệp {kind}")


def test_text_file_renamed_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_text("không phải PDF", encoding="utf-8")
    refused(path, "không phải là tệp PDF")


def test_xlsx_renamed_as_docx(tmp_path: Path) -> None:
    path = write_xlsx(base_spec(), tmp_path / "plan.xlsx").rename(tmp_path / "plan.docx")
    refused(path, "không phải là tệp Word")


def test_truncated_zip(tmp_path: Path) -> None:
    good = write_docx(base_spec(), tmp_path / "good.docx").read_bytes()
    path = tmp_path / "plan.docx"
    path.write_bytes(good[: len(good) // 2])
    refused(path, "bị hỏng")


def test_zip_with_broken_member(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("word/document.xml", "<not xml")
    refused(path, "bị hỏng")


def test_encrypted_office_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    directory = "EncryptionInfo".encode("utf-16-le")
    path.write_bytes(OLE2 + b"\0" * 504 + directory + b"\0" * 1024)
    refused(path, "bảo vệ bằng mật khẩu")


def test_bare_ole2_header(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(OLE2 + b"\0" * 2048)
    refused(path, "mật khẩu hoặc ở định dạng Office cũ")


def test_docx_without_table(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("KẾ HOẠCH CCHC NĂM 2025")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    refused(path, "không tìm thấy bảng nào")


def test_table_without_header(tmp_path: Path) -> None:
    spec = base_spec()
    spec.rows[0] = ["Số", "Nội dung", "Việc", "Bước", "Kết quả", "Người làm", "Cùng", "Khi", "Tiền"]
    error = refused(write_docx(spec, tmp_path / "plan.docx"), "không tìm thấy dòng tiêu đề")
    assert "Nhiệm vụ, Chủ trì, Thời gian hoàn thành" in error.vi


def test_header_missing_the_lead_column(tmp_path: Path) -> None:
    spec = base_spec()
    spec.rows[0][5] = "Người làm"
    error = refused(write_docx(spec, tmp_path / "plan.docx"), "không tìm thấy dòng tiêu đề")
    assert "thiếu: Chủ trì" in error.vi


def test_header_but_no_task(tmp_path: Path) -> None:
    spec = Spec([list(HEADER), ["I. CẢI CÁCH THỂ CHẾ"] + [""] * 8], [(1, 0, 1, 8)])
    refused(write_docx(spec, tmp_path / "plan.docx"), "không có nhiệm vụ nào")


def test_no_year_anywhere(tmp_path: Path) -> None:
    spec = base_spec()
    spec.title = ["PHỤ LỤC"]
    refused(write_docx(spec, tmp_path / "plan.docx"), "tiêu đề không ghi năm của kế hoạch")


def test_file_over_50_mb(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    refused(path, "tệp quá lớn")


def test_xlsx_over_10000_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phụ lục")
    sheet.append(HEADER)
    for i in range(10_000):
        sheet.append([str(i)])
    path = tmp_path / "plan.xlsx"
    workbook.save(str(path))
    refused(path, "vượt giới hạn 10.000 dòng")


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal valid PDF (correct xref) from its numbered objects."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_without_text(tmp_path: Path) -> None:
    drawing = b"0 0 m 100 100 l S"  # a line, as a scan's image would be: no characters
    path = tmp_path / "scan.pdf"
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
    refused(path, "không có lớp chữ")


def test_corrupted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with pytest.raises(ImportError_) as info:
        read_document(path)
    assert "bị hỏng" in info.value.vi or "không có lớp chữ" in info.value.vi


def test_duplicate_task_codes_warn_and_get_two_codes(tmp_path: Path) -> None:
    """Row 7 (spreadsheet row, after the 3 title rows) repeats 2.1 of row 6: both stay,
    the second as I.2.1-2, and the warning names both rows."""
    spec = base_spec()
    spec.rows[3][2] = "2.1. Nhiệm vụ trùng số"
    result = read_document_with_warnings(write_xlsx(spec, tmp_path / "plan.xlsx"))
    codes = [ref.code for ref in iter_tasks(result.doc)]
    assert codes[:2] == ["I.2.1", "I.2.1-2"]
    assert [ref.task.text for ref in iter_tasks(result.doc)][1] == "Nhiệm vụ trùng số"
    (warning,) = [w for w in result.warnings if "in hai lần" in w]
    assert "dòng 6" in warning and "dòng 7" in warning and "I.2.1-2" in warning


def test_task_without_number_is_numbered_by_position(tmp_path: Path) -> None:
    """Section II's first task loses its "2.6.": it is the section's first task, so II.1,
    with a warning naming its row; the next keeps its own number."""
    spec = base_spec()
    spec.rows[6][2] = "Nhiệm vụ không đánh số"
    result = read_document_with_warnings(write_docx(spec, tmp_path / "plan.docx"))
    codes = [ref.code for ref in iter_tasks(result.doc) if ref.section == "II"]
    assert codes == ["II.1", "II.2.7"]
    (warning,) = [w for w in result.warnings if "không có số thứ tự" in w]
    assert warning.startswith("bảng 1, dòng 7:") and "II.1" in warning


def test_csv_without_header(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(b"a,b,c\n1,2,3\n")
    refused(path, "không tìm thấy dòng tiêu đề")


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(b"")
    refused(path, "không tìm thấy")


def test_password_protected_pdf(tmp_path: Path) -> None:
    """Standard security handler whose /U does not match the empty user password."""
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
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    refused(path, "bảo vệ bằng mật khẩu")
