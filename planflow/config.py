"""Settings from the environment and an optional TOML file; nothing secret is stored here.

Precedence: command-line option > environment variable > config file > default.
The SMTP password is never a setting: it is read from PLANFLOW_SMTP_PASSWORD or the file
named by PLANFLOW_SMTP_PASSWORD_FILE at the moment of sending (notifications/smtp.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planflow.engine.text import address_problem
from planflow.errors import ConfigError


def data_dir() -> Path:
    """Where the embedded database and the local outbox live by default."""
    if os.environ.get("PLANFLOW_HOME"):
        return Path(os.environ["PLANFLOW_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "planflow"


def config_path() -> Path:
    if os.environ.get("PLANFLOW_CONFIG"):
        return Path(os.environ["PLANFLOW_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "planflow" / "config.toml"


@dataclass(frozen=True)
class Settings:
    database_url: str
    lang: str = "vi"
    unit: str | None = None
    smtp_url: str | None = None
    mail_from: str = "planflow@localhost"
    outbox_dir: Path = Path("outbox")
    sweep_time: str = "07:30"
    timezone: str = "Asia/Ho_Chi_Minh"
    delivery_interval: float = 60.0  # seconds between the scheduler's delivery passes
    delivery_batch: int = 50  # rows one deliverer claims at a time (spreads work, quick stop)
    delivery_budget: float = 900.0  # seconds `planflow remind` may spend delivering
    base_url: str = "http://127.0.0.1:8040"  # the public address in e-mailed links
    link_days: int = 14  # days a signed link in an e-mail stays valid
    upload_limit: int = 10 * 1024 * 1024  # bytes per attachment on the web


def _file_settings() -> dict[str, Any]:
    path = config_path()
    if not path.exists():
        return {}
    import tomllib  # only when there is a file: every command starts here

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"{path}: tệp cấu hình không đọc được ({exc})", f"{path}: cannot read config ({exc})"
        ) from exc
    if where := _password_key(data):
        raise ConfigError(
            f"{path}: {where}: không ghi mật khẩu vào tệp cấu hình; dùng"
            " PLANFLOW_SMTP_PASSWORD_FILE (tệp chỉ người chạy planflow đọc được)",
            f"{path}: {where}: do not put a password in the config file; use"
            " PLANFLOW_SMTP_PASSWORD_FILE (a file only the user running planflow can read)",
        )
    return data


def _password_key(data: dict[str, Any], section: str = "") -> str | None:
    """Where the file holds a mail password (`[mail] password`, `smtp_password`, an SMTP URL
    with user:password@), or None. The file is often readable by everyone and copied around."""
    for key, value in data.items():
        if isinstance(value, dict):
            if found := _password_key(value, f"{section}.{key}" if section else key):
                return found
            continue
        name = key.lower()
        secret = "password" in name and not name.endswith("_file")
        if secret or (name == "smtp_url" and isinstance(value, str) and _url_password(value)):
            return f"[{section}] {key}" if section else key
    return None


def _url_password(value: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return bool(urlsplit(value).password)
    except ValueError:
        return False


def load_settings(database_url: str | None = None, lang: str | None = None) -> Settings:
    conf = _file_settings()
    env = os.environ
    url = database_url or env.get("PLANFLOW_DATABASE_URL") or conf.get("database_url")
    if not url:
        url = f"sqlite:///{data_dir() / 'planflow.db'}"
    language = lang or env.get("PLANFLOW_LANG") or conf.get("lang") or "vi"
    if language not in ("vi", "en"):
        raise ConfigError(
            f"ngôn ngữ '{language}' không hỗ trợ (vi hoặc en)",
            f"unsupported language '{language}' (vi or en)",
        )
    mail = conf.get("mail", {})
    sched = conf.get("scheduler", {})
    web = conf.get("web", {})
    base_url = str(env.get("PLANFLOW_BASE_URL") or web.get("base_url") or Settings.base_url)
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"PLANFLOW_BASE_URL / [web] base_url {base_url!r}: cần địa chỉ http(s)://",
            f"PLANFLOW_BASE_URL / [web] base_url {base_url!r}: needs an http(s):// address",
        )
    mail_from = env.get("PLANFLOW_MAIL_FROM") or mail.get("from") or "planflow@localhost"
    if problem := address_problem(str(mail_from)):
        raise ConfigError(
            f"PLANFLOW_MAIL_FROM / [mail] from {str(mail_from)!r}: {problem[0]}",
            f"PLANFLOW_MAIL_FROM / [mail] from {str(mail_from)!r}: {problem[1]}",
        )
    return Settings(
        database_url=url,
        lang=language,
        unit=env.get("PLANFLOW_UNIT") or conf.get("unit"),
        smtp_url=env.get("PLANFLOW_SMTP_URL") or mail.get("smtp_url"),
        mail_from=str(mail_from),
        outbox_dir=Path(
            env.get("PLANFLOW_OUTBOX_DIR") or mail.get("outbox_dir") or (data_dir() / "outbox")
        ),
        sweep_time=env.get("PLANFLOW_SWEEP_TIME") or sched.get("sweep_time", "07:30"),
        delivery_interval=_number(
            "PLANFLOW_DELIVERY_INTERVAL", "delivery_interval", sched, 60.0, float
        ),
        delivery_batch=int(_number("PLANFLOW_DELIVERY_BATCH", "delivery_batch", sched, 50, int)),
        delivery_budget=_number("PLANFLOW_DELIVERY_BUDGET", "delivery_budget", sched, 900.0, float),
        base_url=base_url.rstrip("/"),
        link_days=int(_number("PLANFLOW_LINK_DAYS", "link_days", web, 14, int, "web")),
        upload_limit=int(
            _number("PLANFLOW_UPLOAD_LIMIT", "upload_limit", web, 10 * 1024 * 1024, int, "web")
        ),
    )


def _number(
    var: str,
    key: str,
    conf: dict[str, Any],
    default: float,
    kind: type,
    section: str = "scheduler",
) -> float:
    """A positive knob from the environment or its `[section]` in the config file."""
    raw = os.environ.get(var) or conf.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
        if value <= 0:
            raise ValueError
    except (TypeError, ValueError):
        raise ConfigError(
            f"{var} / [{section}] {key}: '{raw}' phải là số dương",
            f"{var} / [{section}] {key}: '{raw}' must be a positive number",
        ) from None
    return float(value)


def write_config_template(path: Path, lang: str, force: bool = False) -> Path:
    """Write the commented config file (planflow/data/config.<lang>.toml) to `path`.

    Every setting is present and commented out with its default, so the new file changes
    nothing until a line is uncommented. An existing file is a user's work: kept unless
    `force`. The file is created readable by its owner only; it may name a mail account."""
    if path.exists() and not force:
        raise ConfigError(
            f"{path} đã có: giữ nguyên tệp này; thêm --force để ghi đè",
            f"{path} already exists: kept as it is; add --force to overwrite it",
        )
    template = Path(__file__).resolve().parent / "data" / f"config.{lang}.toml"
    text = template.read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path
