"""User-facing language (Vietnamese by default) and Vietnamese number/date formats."""

from __future__ import annotations

from datetime import date

_lang = "vi"


def set_lang(lang: str) -> None:
    global _lang
    _lang = lang


def lang() -> str:
    return _lang


def tr(vi: str, en: str) -> str:
    """Pick the text for the current language; both are written at the call site."""
    return en if _lang == "en" else vi


def fmt_date(day: date | None) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates (also used in English output)."""
    return day.strftime("%d/%m/%Y") if day else ""
