"""JSON: every figure, for machines (dashboards, the province's spreadsheet)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planflow.services.reports import Report


def render(report: Report, lang: str = "vi") -> str:
    from planflow.services.reports import report_to_dict

    return json.dumps(report_to_dict(report, lang), ensure_ascii=False, indent=2) + "\n"
