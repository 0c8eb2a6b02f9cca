"""Is the file what its extension says? Checked on bytes before any library opens it.

Libraries fail on the wrong input with anything from KeyError to a hang; a look at the
first bytes gives the user a sentence instead ("this .docx is really a text file").
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from planflow.errors import ImportError_

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
_MEMBER = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
# What the parts of a .docx/.xlsx may add up to once unzipped, read from the zip's directory
# before any library inflates them: an 858 KB file can expand to 800 MB (a "zip bomb").
MAX_EXPANDED = 200 * 1024 * 1024
_KIND = {".docx": "Word (.docx)", ".xlsx": "Excel (.xlsx)", ".pdf": "PDF"}


def check_magic(path: Path) -> None:
    """Refuse a file whose bytes do not match its extension, an encrypted one, a broken zip,
    and a zip whose parts declare more than MAX_EXPANDED bytes (Python's zipfile never
    inflates a part past its declared size, so the declared sum bounds what parsing uses)."""
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(1024)
    kind = _KIND.get(suffix)
    if kind is None:
        return
    if suffix == ".pdf":
        if b"%PDF-" not in head:
            raise _not_a(path, kind)
        return
    if head.startswith(OLE2):
        raise protected(path, legacy=not _has_encryption_info(path))
    if not head.startswith(ZIP):
        raise _not_a(path, kind)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupted(path, exc) from exc
    if _MEMBER[suffix] not in {m.filename for m in members}:
        raise _not_a(path, kind)
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED:
        mb = 1024 * 1024
        raise ImportError_(
            f"tệp nén bung ra {expanded / mb:.0f} MB, quá giới hạn {MAX_EXPANDED // mb} MB;"
            " một phụ lục thật chỉ vài MB: hãy lưu lại tệp từ Word/Excel",
            f"the file expands to {expanded / mb:.0f} MB, over the {MAX_EXPANDED // mb} MB"
            " limit; a real appendix is a few MB: save the file again from Word/Excel",
            file=path.name,
        )


def _has_encryption_info(path: Path) -> bool:
    """Encrypted OOXML is an OLE2 container with an "EncryptionInfo" stream (UTF-16 name)."""
    return "EncryptionInfo".encode("utf-16-le") in path.read_bytes()


def _not_a(path: Path, kind: str) -> ImportError_:
    return ImportError_(
        f"tệp không phải là tệp {kind} dù có đuôi {path.suffix}",
        f"the file is not a {kind} file despite its {path.suffix} extension",
        file=path.name,
    )


def protected(path: Path, *, legacy: bool = False) -> ImportError_:
    if legacy:
        return ImportError_(
            "tệp được bảo vệ bằng mật khẩu hoặc ở định dạng Office cũ (.doc/.xls); "
            "hãy bỏ mật khẩu và lưu lại dưới dạng .docx/.xlsx",
            "the file is password-protected or in the old Office format (.doc/.xls); "
            "remove the password and save it as .docx/.xlsx",
            file=path.name,
        )
    return ImportError_(
        "tệp được bảo vệ bằng mật khẩu; hãy bỏ mật khẩu rồi nhập lại",
        "the file is password-protected; remove the password and import it again",
        file=path.name,
    )


def corrupted(path: Path, exc: BaseException) -> ImportError_:
    return ImportError_(
        "tệp bị hỏng hoặc không đọc được",
        f"the file is damaged or unreadable ({type(exc).__name__})",
        file=path.name,
    )
