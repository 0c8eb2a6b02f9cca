"""The dates people type, read one way everywhere: the CLI's --as-of, PLANFLOW_TODAY and the
web's forms take the same formats and refuse a bad one with the same error."""

from __future__ import annotations

import re
from datetime import date

from planflow.errors import UsageError


def parse_day(text: str, option: str) -> date:
    """Accept dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy and ISO yyyy-mm-dd."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            return date.fromisoformat("-".join(f"{int(p):02d}" for p in value.split("-")))
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
        if match:
            d, m, y = (int(g) for g in match.groups())
            return date(y, m, d)
    except ValueError:
        pass
    raise UsageError(
        f"{option}: ngày '{text}' không hợp lệ (cần dd/mm/yyyy, ví dụ 30/09/2025)",
        f"{option}: invalid date '{text}' (expected dd/mm/yyyy, e.g. 30/09/2025)",
    )
