"""`planflow doctor`: is this installation usable? One finding per check, nothing written.

Each check turns the error a real command would raise into a line, so a coordinator sees
every problem at once (the database, the config file, the SMTP secret file, the mail
settings) instead of one per failed run.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from planflow.config import Settings, config_path
from planflow.errors import PlanflowError


@dataclass(frozen=True)
class Finding:
    check: str  # database, schema, integrity, config, secret, mail
    ok: bool
    vi: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


def _failed(check: str, exc: PlanflowError) -> Finding:
    return Finding(check, False, exc.message("vi"), exc.message("en"))


def check_all(settings: Settings) -> list[Finding]:
    return [*_database(settings.database_url), _config(), _secret(), _mail(settings)]


def _database(url: str) -> list[Finding]:
    from planflow.db import HEAD, require_schema, safe_url, schema_version, session_scope

    try:
        if not _exists(url):
            require_schema(url)  # says which file is missing and to run `planflow init`
        version = schema_version(url)
    except PlanflowError as exc:
        return [_failed("database", exc)]
    shown = safe_url(url)
    found = [Finding("database", True, f"kết nối được {shown}", f"reachable: {shown}")]
    try:
        require_schema(url)
    except PlanflowError as exc:
        return [*found, _failed("schema", exc)]
    found.append(
        Finding("schema", True, f"phiên bản {version} (mới nhất)", f"schema {HEAD} (current)")
    )
    from sqlalchemy import text

    from planflow.db import is_sqlite

    if not is_sqlite(url):
        return found  # PostgreSQL checks its own pages; there is no cheap equivalent
    with session_scope(url) as session:
        rows = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
    if rows == ["ok"]:
        check = "PRAGMA integrity_check: ok"
        return [*found, Finding("integrity", True, check, check)]
    detail = "; ".join(str(r) for r in rows[:3])
    return [
        *found,
        Finding(
            "integrity",
            False,
            f"cơ sở dữ liệu bị hỏng ({detail}); khôi phục từ bản sao lưu",
            f"the database is damaged ({detail}); restore it from a backup",
        ),
    ]


def _exists(url: str) -> bool:
    """A missing SQLite file is reported by the schema check, without creating it."""
    from planflow.db import sqlite_path

    path = sqlite_path(url)
    return path is None or path.exists()


def _config() -> Finding:
    path = config_path()
    if not path.exists():
        return Finding(
            "config", True, f"không có tệp cấu hình ({path})", f"no config file ({path})"
        )
    return Finding("config", True, f"tệp cấu hình đọc được: {path}", f"config file read: {path}")


def _secret() -> Finding:
    if os.environ.get("PLANFLOW_SMTP_PASSWORD"):
        return Finding(
            "secret",
            True,
            "mật khẩu SMTP lấy từ PLANFLOW_SMTP_PASSWORD",
            "SMTP password from PLANFLOW_SMTP_PASSWORD",
        )
    name = os.environ.get("PLANFLOW_SMTP_PASSWORD_FILE")
    if not name:
        return Finding("secret", True, "không dùng mật khẩu SMTP", "no SMTP password in use")
    path = Path(name)
    try:
        mode = path.stat().st_mode
        path.read_bytes()
    except OSError as exc:
        return Finding(
            "secret",
            False,
            f"PLANFLOW_SMTP_PASSWORD_FILE {path}: không đọc được ({exc.strerror})",
            f"PLANFLOW_SMTP_PASSWORD_FILE {path}: cannot be read ({exc.strerror})",
        )
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return Finding(
            "secret",
            False,
            f"PLANFLOW_SMTP_PASSWORD_FILE {path}: người khác đọc được (chế độ"
            f" {stat.S_IMODE(mode):o}); chạy chmod 600 {path}",
            f"PLANFLOW_SMTP_PASSWORD_FILE {path}: readable by others (mode"
            f" {stat.S_IMODE(mode):o}); run chmod 600 {path}",
        )
    return Finding(
        "secret",
        True,
        f"tệp mật khẩu SMTP {path}: chỉ chủ đọc được",
        f"SMTP secret file {path}: readable by its owner only",
    )


def _mail(settings: Settings) -> Finding:
    if not settings.smtp_url:
        folder = settings.outbox_dir
        where = folder if folder.exists() else folder.parent
        if where.exists() and not os.access(where, os.W_OK):
            return Finding(
                "mail",
                False,
                f"không có SMTP; thư mục hộp thư đi {folder} không ghi được",
                f"no SMTP; the outbox folder {folder} cannot be written",
            )
        return Finding(
            "mail",
            True,
            f"không có SMTP: thư ghi thành tệp .eml trong {folder}",
            f"no SMTP: messages are written as .eml files to {folder}",
        )
    from planflow.notifications.smtp import SmtpConfig

    try:
        smtp = SmtpConfig.from_url(settings.smtp_url)
    except PlanflowError as exc:
        return _failed("mail", exc)
    return Finding(
        "mail",
        True,
        f"SMTP {smtp.host}:{smtp.port}, gửi từ {settings.mail_from}",
        f"SMTP {smtp.host}:{smtp.port}, from {settings.mail_from}",
    )
