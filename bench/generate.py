"""Synthetic national data for the benchmarks: N units (default 3,300 communes) × 40 tasks.

Each unit gets the four departments of a commune (VP, KT, VHXH, TTHCC) with a head and an
e-mail each, a chairman, a 2025 plan of 40 tasks whose deadlines follow the mix of real
appendices (dates, months, quarters, half-years, the year, "Quý I-IV" and "Thường xuyên"
recurring quarterly, a few unscheduled), a tenth of them shared by two lead departments,
and a year of events (created, started, done with evidence, notes) with about half of the
items done by the as-of day. Deadlines are read by the engine itself (parse_deadline,
build_items), so items, occurrences and effective due days are what an import would store.

Rows go in with SQLAlchemy Core executemany in chunks (ids assigned here), not ORM objects:
3,300 units take about a minute. Deterministic for a given --seed.

    .venv/bin/python bench/generate.py                      # bench/data/national.db
    .venv/bin/python bench/generate.py --units 70 -o bench/data/province.db
    PLANFLOW_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/generate.py
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from planflow.calendars import national_calendar  # noqa: E402
from planflow.db import get_engine, init_db  # noqa: E402
from planflow.engine.deadlines import parse_deadline  # noqa: E402
from planflow.engine.planning import build_items  # noqa: E402
from planflow.engine.types import Recurrence  # noqa: E402
from planflow.models import (  # noqa: E402
    Department,
    Event,
    Item,
    Person,
    Plan,
    Section,
    Task,
    Unit,
)
from planflow.progressbar import track  # noqa: E402

YEAR = 2025
AS_OF = date(2025, 11, 12)  # a Wednesday: the benchmarks' fixed "today"
DEPARTMENTS = (
    ("VP", "Văn phòng HĐND-UBND"),
    ("KT", "Phòng Kinh tế"),
    ("VHXH", "Phòng Văn hóa – Xã hội"),
    ("TTHCC", "Trung tâm Phục vụ hành chính công"),
)
SECTIONS = (
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
    ("II", "CẢI CÁCH THỂ CHẾ"),
    ("III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
    ("IV", "CẢI CÁCH TỔ CHỨC BỘ MÁY"),
    ("V", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ"),
    ("VI", "CẢI CÁCH TÀI CHÍNH CÔNG"),
    ("VII", "XÂY DỰNG, PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ"),
)
CHUNK = 5000


def deadline_mix(rng: random.Random) -> list[str]:
    """40 deadline phrases in the proportions of real appendices."""
    phrases: list[str] = []
    for _ in range(8):  # a day
        d = date(YEAR, rng.randint(2, 12), rng.randint(1, 28))
        phrases.append(rng.choice(("Ngày {:%d/%m/%Y}", "Trước ngày {:%d/%m/%Y}")).format(d))
    phrases += [f"Tháng {rng.randint(1, 12):02d}/{YEAR}" for _ in range(6)]
    phrases += [f"Quý {rng.choice(('I', 'II', 'III', 'IV'))}/{YEAR}" for _ in range(6)]
    phrases += [rng.choice((f"06 tháng đầu năm {YEAR}", f"06 tháng cuối năm {YEAR}"))] * 3
    phrases += [f"Năm {YEAR}"] * 7
    phrases += [f"Quý I-IV năm {YEAR}"] * 2
    phrases += ["Thường xuyên"] * 5
    phrases += ["Theo lộ trình đề án được phê duyệt"] * 2
    phrases.append("Khi có văn bản hướng dẫn")
    rng.shuffle(phrases)
    return phrases


class Ids:
    """Primary keys assigned here, so that rows can be inserted in bulk without RETURNING."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self.next.get(table, 0) + 1
        self.next[table] = value
        return value


def generate_unit(
    n: int, rng: random.Random, ids: Ids, now: datetime, cache: dict[Any, Any]
) -> dict[str, list[dict[str, Any]]]:
    """All rows of one commune."""
    calendar = cache.setdefault("calendar", national_calendar((YEAR - 1, YEAR, YEAR + 1)))
    code = f"xa-{n:05d}"
    domain = f"{code}.example.vn"
    unit_id = ids("unit")
    rows: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("unit", "department", "person", "plan", "section", "task", "item", "event")
    }
    rows["unit"].append(
        dict(
            id=unit_id,
            code=code,
            name=f"UBND xã {n:05d}",
            province=f"Tỉnh {n % 34 + 1:02d}",
            coordinator="VHXH",
            directory={"groups": [], "partners": []},
            settings={},
            created_at=now,
        )
    )
    heads: dict[str, int] = {}
    for dcode, dname in DEPARTMENTS:
        dept_id = ids("department")
        rows["department"].append(
            dict(id=dept_id, unit_id=unit_id, code=dcode, name=dname, aliases=[])
        )
        person_id = ids("person")
        heads[dcode] = person_id
        rows["person"].append(
            dict(
                id=person_id,
                unit_id=unit_id,
                name=f"Trưởng {dname} {n:05d}",
                email=f"{dcode.lower()}@{domain}",
                os_user=f"{dcode.lower()}-{n:05d}",
                department_id=dept_id,
                role="head",
                active=True,
            )
        )
    rows["person"].append(
        dict(
            id=ids("person"),
            unit_id=unit_id,
            name=f"Chủ tịch UBND xã {n:05d}",
            email=f"chutich@{domain}",
            os_user=f"ct-{n:05d}",
            department_id=None,
            role="chairman",
            active=True,
        )
    )
    plan_id = ids("plan")
    rows["plan"].append(
        dict(
            id=plan_id,
            unit_id=unit_id,
            year=YEAR,
            title=f"Kế hoạch CCHC năm {YEAR}",
            source=f"Kế hoạch số {n % 200 + 1}/KH-UBND",
            revision=1,
            starts=date(YEAR, 1, 1),
            recurrence="quarterly",
            require_evidence=True,
            imported_at=now,
        )
    )
    section_ids = []
    for pos, (scode, title) in enumerate(SECTIONS):
        sid = ids("section")
        section_ids.append((sid, scode))
        rows["section"].append(
            dict(
                id=sid,
                plan_id=plan_id,
                parent_id=None,
                code=scode,
                path=scode,
                title=title,
                position=pos,
            )
        )
    codes = [d for d, _ in DEPARTMENTS]
    for pos, phrase in enumerate(deadline_mix(rng)):
        section_id, scode = section_ids[pos * len(SECTIONS) // 40]
        leads = [rng.choice(codes)]
        if rng.random() < 0.1:
            leads.append(rng.choice([c for c in codes if c != leads[0]]))
        partners = rng.sample([c for c in codes if c not in leads], k=rng.randint(0, 2))
        key = (phrase, tuple(leads))
        if key not in cache:
            deadline = parse_deadline(phrase, YEAR, Recurrence("quarterly"), date(YEAR, 1, 1))
            cache[key] = (deadline, build_items(deadline, leads, calendar))
        deadline, item_plans = cache[key]
        task_id = ids("task")
        number = f"2.{pos + 1}"
        task_items = []
        for ip in item_plans:
            item_id = ids("item")
            status, completed, evidence = "not_started", None, ""
            due = ip.due
            p_done = 0.72 if due is not None and due <= AS_OF else 0.2
            if due is None and ip.start is not None and ip.start > AS_OF:
                p_done = 0.0
            if rng.random() < p_done:
                status = "done"
                latest = min(AS_OF, (due or AS_OF) + timedelta(days=20))
                earliest = max(date(YEAR, 1, 2), (ip.start or date(YEAR, 1, 2)))
                if earliest > latest:
                    earliest = latest
                completed = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
                evidence = f"Công văn số {rng.randint(1, 999)}/UBND ngày {completed:%d/%m/%Y}"
            elif rng.random() < 0.35:
                status = "in_progress"
            task_items.append(
                dict(
                    id=item_id,
                    unit_id=unit_id,
                    task_id=task_id,
                    period=ip.period,
                    department=ip.department,
                    start_on=ip.start,
                    due_on=due,
                    status=status,
                    completed_on=completed,
                    evidence=evidence,
                    version=1 + (status != "not_started") + (status == "done"),
                )
            )
        statuses = {i["status"] for i in task_items}
        if statuses == {"done"}:
            task_status = "done"
        elif statuses == {"not_started"}:
            task_status = "not_started"
        else:
            task_status = "in_progress"
        done_days = [i["completed_on"] for i in task_items if i["completed_on"]]
        rows["task"].append(
            dict(
                id=task_id,
                unit_id=unit_id,
                plan_id=plan_id,
                section_id=section_id,
                objective_id=None,
                code=f"{scode}.{number}",
                section=scode,
                number=number,
                text=f"Nhiệm vụ {scode}.{number} của xã {n:05d}: triển khai nội dung cải cách "
                "hành chính theo kế hoạch của UBND tỉnh",
                activities=[],
                output=rng.choice(("Kế hoạch", "Báo cáo", "Quyết định", "Công văn")),
                lead_text=", ".join(dict(DEPARTMENTS)[c] for c in leads),
                partners_text=", ".join(dict(DEPARTMENTS)[c] for c in partners),
                leads=leads,
                partners=partners,
                deadline_text=phrase,
                deadline_kind=deadline.kind.value,
                start_on=deadline.start,
                due_on=calendar.effective_due(deadline.due),
                budget="Theo dự toán được cấp",
                status=task_status,
                completed_on=max(done_days) if task_status == "done" else None,
                evidence="; ".join(i["evidence"] for i in task_items if i["evidence"]),
                source="appendix",
                source_document="",
                position=pos,
                archived_at=None,
                created_at=now,
                version=1,
            )
        )
        rows["item"].extend(task_items)
        rows["event"].append(
            _event(ids, unit_id, task_id, None, date(YEAR, 1, 2), "created", None, "not_started")
        )
        for item in task_items:
            if item["status"] == "not_started":
                continue
            day = item["completed_on"] or AS_OF - timedelta(days=rng.randint(1, 60))
            started = day - timedelta(days=rng.randint(0, 20))
            actor = heads[item["department"] or leads[0]]
            rows["event"].append(
                _event(
                    ids,
                    unit_id,
                    task_id,
                    item["id"],
                    started,
                    "start",
                    "not_started",
                    "in_progress",
                    actor,
                )
            )
            if item["status"] == "done":
                rows["event"].append(
                    _event(
                        ids,
                        unit_id,
                        task_id,
                        item["id"],
                        day,
                        "complete",
                        "in_progress",
                        "done",
                        actor,
                        evidence=item["evidence"],
                    )
                )
            if rng.random() < 0.3:
                rows["event"].append(
                    _event(
                        ids,
                        unit_id,
                        task_id,
                        item["id"],
                        started,
                        "note",
                        None,
                        None,
                        actor,
                        note="Đã gửi dự thảo xin ý kiến các phòng",
                    )
                )
    return rows


def _event(
    ids: Ids,
    unit_id: int,
    task_id: int,
    item_id: int | None,
    on: date,
    action: str,
    from_status: str | None,
    to_status: str | None,
    actor_id: int | None = None,
    *,
    note: str = "",
    evidence: str = "",
) -> dict[str, Any]:
    return dict(
        id=ids("event"),
        unit_id=unit_id,
        task_id=task_id,
        item_id=item_id,
        at=datetime(on.year, on.month, on.day, 2, 0, tzinfo=UTC),
        on=on,
        actor_id=actor_id,
        actor="",
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        evidence=evidence,
        data={},
    )


TABLES = {
    "unit": Unit,
    "department": Department,
    "person": Person,
    "plan": Plan,
    "section": Section,
    "task": Task,
    "item": Item,
    "event": Event,
}


def generate(url: str, units: int, seed: int = 2025) -> dict[str, int]:
    """Create the schema and insert `units` communes; returns row counts per table."""
    init_db(url)
    engine = get_engine(url)
    rng = random.Random(seed)
    ids = Ids()
    now = datetime(YEAR, 1, 2, 1, 0, tzinfo=UTC)
    cache: dict[Any, Any] = {}
    pending: dict[str, list[dict[str, Any]]] = {k: [] for k in TABLES}
    counts = dict.fromkeys(TABLES, 0)
    with engine.connect() as conn:
        conn = conn.execution_options(planflow_write=True)
        with conn.begin():
            for n in track(range(1, units + 1), total=units, label="units"):
                for table, rows in generate_unit(n, rng, ids, now, cache).items():
                    pending[table].extend(rows)
                if len(pending["event"]) >= CHUNK or n == units:
                    for table, model in TABLES.items():  # parents first: foreign keys
                        if pending[table]:
                            conn.execute(model.__table__.insert(), pending[table])
                            counts[table] += len(pending[table])
                            pending[table] = []
            if conn.dialect.name == "postgresql":
                for table in TABLES:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                        )
                    )
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=3300, help="communes (70 for a province)")
    parser.add_argument("-o", "--output", help="SQLite file (default bench/data/national.db)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args()
    url = os.environ.get("PLANFLOW_DATABASE_URL")
    if args.output or not url:
        default = (
            ROOT
            / "bench"
            / "data"
            / ("national.db" if args.units >= 3300 else f"units-{args.units}.db")
        )
        path = Path(args.output) if args.output else default
        if path.exists() and not args.force:
            print(f"{path}: already generated (use --force to regenerate)")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    started = time.perf_counter()
    counts = generate(url, args.units, args.seed)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(f"generated {args.units} units in {elapsed:.1f} s: {summary}")


if __name__ == "__main__":
    main()
