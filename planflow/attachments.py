"""Evidence files attached on the web: stored once under their SHA-256 in the data folder.

The name is the content's hash, so the same scan uploaded twice is one file and a stored
file can never be overwritten by another. The kind is read from the bytes, not trusted
from the browser: a PDF, a PNG or JPEG image, or a Word .docx.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path
from typing import Any

from planflow.config import data_dir
from planflow.errors import UsageError

KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def folder() -> Path:
    return Path(os.environ.get("PLANFLOW_ATTACHMENTS_DIR") or data_dir() / "attachments")


def kind_of(data: bytes) -> str | None:
    """pdf, png, jpg or docx by the file's own signature; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def store(data: bytes, name: str, limit: int) -> dict[str, Any]:
    """Keep one uploaded file; what the completion event records about it."""
    shown = " ".join(Path(name or "").name.split())[:200] or "tep"
    if not data:
        raise UsageError(f"{shown}: tệp trống", f"{shown}: the file is empty")
    if len(data) > limit:
        raise UsageError(
            f"{shown}: {len(data):,} byte, vượt giới hạn {limit:,} byte".replace(",", "."),
            f"{shown}: {len(data):,} bytes, over the limit of {limit:,} bytes",
        )
    kind = kind_of(data)
    if kind is None:
        raise UsageError(
            f"{shown}: chỉ nhận PDF, ảnh (PNG, JPEG) hoặc Word .docx",
            f"{shown}: only PDF, images (PNG, JPEG) or Word .docx are accepted",
        )
    digest = hashlib.sha256(data).hexdigest()
    path = folder() / f"{digest}.{kind}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # whole or absent, even if two uploads race
    return {"sha256": digest, "name": shown, "size": len(data), "kind": kind}


def path_of(sha256: str, kind: str) -> Path | None:
    """The stored file of a recorded attachment, or None (a hash is 64 hex digits)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256) or kind not in KINDS:
        return None
    path = folder() / f"{sha256}.{kind}"
    return path if path.exists() else None
