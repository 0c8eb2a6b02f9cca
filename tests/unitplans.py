"""Plan files for multi-unit tests, written by the tests themselves (no hand-made files).

Every task has the same deadline, "Ngày 30/06/2025" (a Monday, a working day, so its
effective due date is 30/06/2025), one lead (the unit's Văn phòng, code VP) and no evidence
requirement, so the expected figures depend only on which tasks are done and when.
"""

from __future__ import annotations

from pathlib import Path

DUE = "30/06/2025"


def plan_yaml(code: str, name: str, tasks: int, year: int = 2025) -> str:
    """A plan file for unit `code` with tasks I.2.1 … I.2.<tasks>; the VP head's login is
    "<code>-vp"."""
    lines = [
        "format: planflow-plan/1",
        "unit:",
        f"  code: {code}",
        f"  name: {name}",
        "  coordinator: VP",
        "  departments:",
        "    - code: VP",
        "      name: Văn phòng",
        "      head:",
        f"        name: Chánh Văn phòng {name}",
        f"        email: vp@{code}.example.vn",
        f"        user: {code}-vp",
        "plan:",
        f"  year: {year}",
        f"  title: Kế hoạch CCHC năm {year}",
        "  require_evidence: false",
        "  sections:",
        "    - code: I",
        "      title: CẢI CÁCH THỂ CHẾ",
        "      objectives:",
        '        - tt: "1"',
        "          text: Mục tiêu",
        "          tasks:",
    ]
    for n in range(1, tasks + 1):
        lines += [
            f'            - code: "2.{n}"',
            f"              text: Nhiệm vụ {n} của {name}",
            "              lead: Văn phòng",
            f"              deadline: Ngày {DUE}",
        ]
    return "\n".join(lines) + "\n"


def write_plan(folder: Path, code: str, name: str, tasks: int, year: int = 2025) -> Path:
    path = folder / f"{code}-{year}.yaml"
    path.write_text(plan_yaml(code, name, tasks, year), encoding="utf-8")
    return path
