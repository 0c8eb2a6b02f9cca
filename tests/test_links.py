"""Signed links (planflow.links): what a link proves, and every way it stops proving it."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from planflow import links
from planflow.errors import ConfigError
from planflow.links import BadToken, Claim

KEY = b"k" * 32
DAY = date(2025, 10, 10)
CLAIM = Claim(links.LINK, 2, "kt@kylac.example.vn", "ky-lac", "I.2.4", DAY + timedelta(days=14))


def test_a_signed_link_says_who_for_which_unit_and_task() -> None:
    assert links.verify(links.sign(CLAIM, KEY), KEY, links.LINK, DAY) == CLAIM


@pytest.mark.parametrize(
    "changed",
    [
        {"person_id": 3},
        {"email": "vp@kylac.example.vn"},
        {"unit": "other"},
        {"target": "I.2.5"},
        {"expires": DAY + timedelta(days=400)},
    ],
)
def test_changing_any_part_breaks_the_signature(changed: dict[str, object]) -> None:
    """The signature of one claim on another's payload: a link edited by hand."""
    good_mac = links.sign(CLAIM, KEY).split(".")[1]
    forged_payload = links.sign(replace(CLAIM, **changed), KEY).split(".")[0]  # type: ignore[arg-type]
    with pytest.raises(BadToken) as refused:
        links.verify(f"{forged_payload}.{good_mac}", KEY, links.LINK, DAY)
    assert refused.value.reason == "tampered"


def test_another_key_or_purpose_is_refused() -> None:
    token = links.sign(CLAIM, KEY)
    with pytest.raises(BadToken, match="tampered"):
        links.verify(token, b"x" * 32, links.LINK, DAY)
    with pytest.raises(BadToken, match="tampered"):  # a mail link is not a session cookie
        links.verify(token, KEY, links.SESSION, DAY)


def test_a_link_is_valid_through_its_last_day_only() -> None:
    token = links.sign(CLAIM, KEY)
    assert links.verify(token, KEY, links.LINK, CLAIM.expires) == CLAIM
    with pytest.raises(BadToken, match="expired"):
        links.verify(token, KEY, links.LINK, CLAIM.expires + timedelta(days=1))


@pytest.mark.parametrize("token", ["", ".", "abc", "!!!.???", "e30.e30"])
def test_garbage_is_malformed_or_tampered_never_an_exception(token: str) -> None:
    with pytest.raises(BadToken) as refused:
        links.verify(token, KEY, links.LINK, DAY)
    assert refused.value.reason in ("malformed", "tampered")


def test_the_csrf_token_belongs_to_one_session() -> None:
    session = replace(CLAIM, purpose=links.SESSION, target="", nonce="n1")
    token = links.csrf_token(session, KEY)
    assert links.csrf_ok(session, KEY, token)
    assert not links.csrf_ok(replace(session, nonce="n2"), KEY, token)
    assert not links.csrf_ok(session, KEY, "")


def test_item_url_uses_the_public_address() -> None:
    url = links.item_url(
        "https://cchc.kylac.gov.vn/",
        KEY,
        person_id=2,
        email="kt@kylac.example.vn",
        unit="ky-lac",
        code="I.2.4",
        today=DAY,
        days=14,
    )
    assert url.startswith("https://cchc.kylac.gov.vn/u/ky-lac/t/I.2.4?k=")


def test_init_key_file_is_private_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(links.KEY_ENV, raising=False)
    monkeypatch.setenv("PLANFLOW_HOME", str(tmp_path))
    monkeypatch.delenv(links.KEY_FILE_ENV, raising=False)
    made = links.ensure_key_file()
    assert made == tmp_path / "secret.key"
    assert stat.S_IMODE(os.stat(made).st_mode) == 0o600
    key = links.secret_key()
    assert len(key) >= 32
    assert links.ensure_key_file() is None  # a second init keeps the key: old links stay valid
    assert links.secret_key() == key


def test_a_key_from_the_environment_needs_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANFLOW_HOME", str(tmp_path))
    monkeypatch.setenv(links.KEY_ENV, "a-secret-of-enough-length")
    assert links.ensure_key_file() is None
    assert not (tmp_path / "secret.key").exists()
    assert links.secret_key() == b"a-secret-of-enough-length"
    monkeypatch.setenv(links.KEY_ENV, "short")
    with pytest.raises(ConfigError, match="too short|quá ngắn"):
        links.secret_key()


def test_no_key_says_run_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(links.KEY_ENV, raising=False)
    monkeypatch.delenv(links.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("PLANFLOW_HOME", str(tmp_path))
    with pytest.raises(ConfigError) as error:
        links.secret_key()
    assert "planflow init" in error.value.message("en")
