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


# A task's fields as a re-import or `task edit` names them: the appendix's column headings.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "code": ("mã", "code"),
    "text": ("nhiệm vụ", "task"),
    "section": ("phần", "section"),
    "number": ("số thứ tự", "number"),
    "activities": ("hoạt động", "activities"),
    "output": ("kết quả đầu ra", "output"),
    "lead_text": ("chủ trì (nguyên văn)", "lead (as written)"),
    "partners_text": ("phối hợp (nguyên văn)", "partners (as written)"),
    "leads": ("chủ trì", "lead"),
    "partners": ("phối hợp", "partners"),
    "deadline_text": ("thời gian hoàn thành", "deadline"),
    "deadline_kind": ("loại thời hạn", "deadline kind"),
    "start_on": ("bắt đầu", "starts"),
    "due_on": ("hạn", "due"),
    "budget": ("kinh phí", "budget"),
}


def field_label(name: str) -> str:
    vi, en = FIELD_LABELS.get(name, (name, name))
    return tr(vi, en)


def field_value(name: str, value: object) -> str:
    """A field's value for people: dates dd/mm/yyyy, kinds in words, lists joined."""
    if name == "deadline_kind" and isinstance(value, str) and value:
        from planflow.engine.deadlines import kind_label
        from planflow.engine.types import DeadlineKind

        try:
            return kind_label(DeadlineKind(value), _lang)
        except ValueError:
            return value
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return fmt_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "—"
    return str(value) if value not in (None, "") else "—"
