"""Signed links: what lets a head act from the e-mail they received, with no password.

A link carries who it is for (person id and e-mail), the unit, what it opens (a task code,
or "" for the person's own page) and its last valid day, and an HMAC-SHA256 of all of it
under the installation's secret. Checking it needs no database row per link, and changing
any part (another task, another person, a later day) breaks the signature. The e-mail is
signed too, so a link sent to an address that has since been corrected stops working.

The secret comes from PLANFLOW_SECRET_KEY, or the file PLANFLOW_SECRET_KEY_FILE names, or
`secret.key` in the data folder, which `planflow init` creates with mode 0600. It never
goes into the database, the logs or a command line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from planflow.config import data_dir
from planflow.errors import ConfigError

KEY_ENV, KEY_FILE_ENV = "PLANFLOW_SECRET_KEY", "PLANFLOW_SECRET_KEY_FILE"
LINK, SESSION, SIGNIN = "link", "session", "signin"  # what a token is for
_MIN_KEY = 16  # characters: a shorter secret can be guessed


def key_path() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or data_dir() / "secret.key")


def ensure_key_file() -> Path | None:
    """Create the key file (0600) unless a key is already configured; the path if created."""
    if os.environ.get(KEY_ENV):
        return None
    path = key_path()
    return None if path.exists() else write_key(path)


def write_key(path: Path) -> Path | None:
    """A new random key in a file only its owner can read; None if the file exists."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another `init` made it a moment ago
        return None
    except OSError as exc:
        raise ConfigError(
            f"{path}: không tạo được khóa ký liên kết ({exc.strerror}); đặt {KEY_ENV} "
            f"hoặc {KEY_FILE_ENV} để thư nhắc có liên kết",
            f"{path}: cannot create the link-signing key ({exc.strerror}); set {KEY_ENV} "
            f"or {KEY_FILE_ENV} so that reminders carry links",
        ) from None
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(32) + "\n")
    return path


def secret_key() -> bytes:
    """The signing secret; a clear error (not a traceback) when there is none."""
    raw = os.environ.get(KEY_ENV, "").strip()
    source = KEY_ENV
    if not raw:
        path = key_path()
        source = str(path)
        try:
            raw = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise ConfigError(
                f"chưa có khóa ký liên kết ({path}): chạy `planflow init` hoặc đặt {KEY_ENV}",
                f"no link-signing key ({path}): run `planflow init` or set {KEY_ENV}",
            ) from None
        except OSError as exc:
            raise ConfigError(
                f"{path}: không đọc được khóa ký liên kết ({exc.strerror})",
                f"{path}: cannot read the link-signing key ({exc.strerror})",
            ) from None
    if len(raw) < _MIN_KEY:
        raise ConfigError(
            f"{source}: khóa ký liên kết quá ngắn (cần ít nhất {_MIN_KEY} ký tự)",
            f"{source}: the link-signing key is too short (at least {_MIN_KEY} characters)",
        )
    return raw.encode("utf-8")


@dataclass(frozen=True)
class Claim:
    """What a token says; true only once `verify` has checked the signature."""

    purpose: str
    person_id: int
    email: str
    unit: str
    target: str  # a task code, or "" for the person's own page
    expires: date
    nonce: str = ""  # sessions: binds the CSRF token to this session


class BadToken(Exception):
    """A token that must be refused; `reason` is tampered, expired or malformed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


def sign(claim: Claim, key: bytes) -> str:
    body = [
        claim.purpose,
        claim.person_id,
        claim.email.lower(),
        claim.unit,
        claim.target,
        claim.expires.isoformat(),
        claim.nonce,
    ]
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"{_b64(payload)}.{_b64(_mac(key, payload))}"


def verify(token: str, key: bytes, purpose: str, today: date) -> Claim:
    """The claim of a token signed with `key` for `purpose`, valid on `today`."""
    try:
        head, _, mac = token.partition(".")
        payload, given = _unb64(head), _unb64(mac)
    except (ValueError, TypeError):
        raise BadToken("malformed") from None
    if not hmac.compare_digest(_mac(key, payload), given):  # constant time
        raise BadToken("tampered")
    try:
        kind, person, email, unit, target, expires, nonce = json.loads(payload)
        claim = Claim(kind, int(person), email, unit, target, date.fromisoformat(expires), nonce)
    except (ValueError, TypeError):
        raise BadToken("malformed") from None
    if claim.purpose != purpose:
        raise BadToken("tampered")
    if today > claim.expires:
        raise BadToken("expired")
    return claim


def csrf_token(claim: Claim, key: bytes) -> str:
    """The form token of one session: without the session's cookie it cannot be made."""
    return _b64(_mac(key, f"csrf:{claim.nonce}:{claim.person_id}".encode()))


def csrf_ok(claim: Claim, key: bytes, given: str) -> bool:
    return hmac.compare_digest(csrf_token(claim, key), given or "")


def item_url(
    base_url: str,
    key: bytes,
    *,
    person_id: int,
    email: str,
    unit: str,
    code: str,
    today: date,
    days: int,
) -> str:
    """The link for one item of a digest, signed for its recipient."""
    claim = Claim(LINK, person_id, email, unit, code, today + timedelta(days=days))
    path = f"/u/{quote(unit, safe='')}/t/{quote(code, safe='')}" if code else "/"
    return f"{base_url.rstrip('/')}{path}?{urlencode({'k': sign(claim, key)})}"


def home_url(
    base_url: str, key: bytes, *, person_id: int, email: str, unit: str, today: date, days: int
) -> str:
    """The link to the person's own page ("Việc của tôi")."""
    return item_url(
        base_url, key, person_id=person_id, email=email, unit=unit, code="", today=today, days=days
    )


@dataclass(frozen=True)
class Linker:
    """Makes the links of one day's mail. Mail links name the recipient by address
    (person_id 0): the sweep knows addresses, and one address gets one digest a day."""

    base_url: str
    key: bytes
    days: int
    today: date

    def __call__(self, email: str, unit: str, code: str = "") -> str:
        return item_url(
            self.base_url,
            self.key,
            person_id=0,
            email=email,
            unit=unit,
            code=code,
            today=self.today,
            days=self.days,
        )


def mail_linker(today: date) -> Linker | None:
    """The linker for today's mail, or None when no key is set up (the mail then carries
    only the CLI command, as before links existed)."""
    from planflow.config import load_settings

    try:
        key = secret_key()
        settings = load_settings()
    except ConfigError:
        return None
    return Linker(settings.base_url, key, settings.link_days, today)


def as_dict(claim: Claim) -> dict[str, Any]:
    return {"person_id": claim.person_id, "unit": claim.unit, "target": claim.target}
