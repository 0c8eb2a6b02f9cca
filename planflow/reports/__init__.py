"""Report renderers: one module per format, each a function `render(report, lang)`.

Heavy libraries (rich, Jinja2, python-docx, openpyxl) are imported inside the renderer that
needs them, so `planflow report --format json` never loads Word or Excel code.
Text formats return `str`; docx and xlsx return `bytes` (the CLI requires -o for them).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planflow.services.reports import Report

FORMATS = ("text", "md", "html", "docx", "xlsx", "json")
BINARY = ("docx", "xlsx")
_MODULES = {"text": "text", "md": "md", "html": "page", "docx": "word", "xlsx": "sheet",
            "json": "data"}  # fmt: skip


def render(report: Report, fmt: str, lang: str = "vi") -> str | bytes:
    """The report in `fmt` (one of FORMATS)."""
    module = import_module(f"planflow.reports.{_MODULES[fmt]}")
    result: str | bytes = module.render(report, lang)
    return result
