"""Reminder policy: as of `today`, which reminders are owed to whom? (pure, stdlib only)

Level-triggered: the answer depends only on the open items, the calendar, the policy and
`today`, never on what was sent before. The outbox's unique key (recipient, day, kind) makes
asking twice harmless, and a sweep after days off asks again for *today* only.

When a reminder is owed, for an open item with effective due day `due` (a working day):

- `before` (7, 3, 1): on the working day that is n working days before `due`;
- on `due` itself ("đến hạn hôm nay");
- while overdue, every `overdue_every` (3) working days: overdue 3, 6, 9 … working days;
- from `escalate_after` (7) working days overdue, and every `overdue_every` working days after
  (7, 10, 13 …), the item also goes into the day's escalation to the coordinator and chairman;
- an item with no date (unscheduled, unparsed) goes into a weekly list to the coordinator on
  `unscheduled_weekday`.

Every nominal reminder day that is a day off is sent on the working day before it, so a
sweep on working day `t` owes every reminder whose nominal day lies in [t, next working day).
A sweep on a day off owes nothing. Counting in working days, only the weekly list (and a raw
due day given on a day off) can have such a nominal day; the rule is applied uniformly anyway.

Messages: ONE digest per person per day (kind "digest"), with no Cc, listing every item owed
to that person today in three sections: the items their department leads (each lead head of
a task shared by several leads gets it as their own), then the items it partners (when
`Policy.cc_partners`), then the items they coordinate (the coordinator's, for a lead
department with no head's e-mail or a task with no lead). A person who would see an item
twice (head of two departments, lead here and partner there) sees it once, in the strongest
role (lead > partner > coordinate): nobody reads another head's digest on top of their own.
One escalation per day (To the coordinator, Cc the chairmen); one weekly "unscheduled" list.
Only items owed a reminder today are listed, so "every 3 working days" holds per item even
for a head with many items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Protocol

from planflow.engine.codes import code_key

__all__ = [
    "Contact",
    "Directory",
    "Message",
    "OpenItem",
    "Policy",
    "Reminder",
    "may_be_owed",
    "plan_reminders",
    "kind_label",
    "reason_text",
    "reminder_offsets",
    "unreached",
    "weekly_owed",
]

DIGEST, ESCALATION, UNSCHEDULED, SNAPSHOT = "digest", "escalation", "unscheduled", "snapshot"
KINDS = (DIGEST, ESCALATION, UNSCHEDULED, SNAPSHOT)
# A message's kind as people read it (remind, outbox list); the code keeps the key.
KIND_LABELS = {
    DIGEST: ("nhắc việc", "digest"),
    ESCALATION: ("báo quá hạn", "escalation"),
    UNSCHEDULED: ("chưa có hạn", "no deadline"),
    SNAPSHOT: ("tiến độ tuần", "weekly progress"),
}
LEAD, PARTNER, COORDINATE = "lead", "partner", "coordinate"
ROLES = (LEAD, PARTNER, COORDINATE)  # strongest first, and the digest's section order
_CLOSED = frozenset({"done", "cancelled"})
_NO_DATE_KINDS = frozenset({"unscheduled", "unparsed"})


class Calendar(Protocol):
    def is_working_day(self, d: date) -> bool: ...
    def next_working_day(self, d: date) -> date: ...
    def previous_working_day(self, d: date) -> date: ...
    def add_working_days(self, d: date, n: int) -> date: ...
    def working_days_between(self, a: date, b: date) -> int: ...


@dataclass(frozen=True)
class Policy:
    """When reminders go out; a unit overrides any field in `Unit.settings["reminders"]`."""

    before: tuple[int, ...] = (7, 3, 1)  # working days before the due day
    on_due: bool = True
    overdue_every: int = 3  # working days between reminders while overdue (0: never)
    escalate_after: int = 7  # working days overdue before the coordinator/chairman hear (0: never)
    # Partners get the item in their own digest (a "partner" section). The name is older than
    # that meaning (partner heads used to be in Cc) and stays: units' settings store it.
    cc_partners: bool = True
    unscheduled_weekday: int = 0  # Monday; -1 turns the weekly list off
    snapshot_weekday: int = 0  # the chairman's weekly progress mail (Monday); -1: off

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> Policy:
        """Build from a unit's settings dict; unknown keys are ignored, types coerced."""
        data = dict((settings or {}).get("reminders", settings or {}))
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name == "before":
                value = tuple(sorted({int(v) for v in value}, reverse=True))
            elif f.name in ("on_due", "cc_partners"):
                value = bool(value)
            else:
                value = int(value)
            kwargs[f.name] = value
        return cls(**kwargs)


@dataclass(frozen=True)
class Contact:
    """Someone a message can be addressed to."""

    name: str
    email: str
    department: str = ""


@dataclass(frozen=True)
class Directory:
    """Who answers for what: department code → head, and the unit's coordinator/chairmen."""

    heads: Mapping[str, Contact] = field(default_factory=dict)
    coordinator: Contact | None = None
    chairmen: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class OpenItem:
    """What the policy needs to know of an Item and its Task (rows map onto it directly)."""

    code: str
    text: str
    due: date | None
    period: str = ""
    department: str = ""  # the lead department of a shared part, else ""
    leads: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    status: str = "not_started"  # the item's status
    task_status: str = "not_started"
    archived: bool = False
    deadline_kind: str = "date"
    deadline_text: str = ""
    item_id: int | None = None
    plan_year: int = 0

    @property
    def is_open(self) -> bool:
        return self.status not in _CLOSED and self.task_status != "cancelled" and not self.archived

    @property
    def key(self) -> str:
        """Stable identity: task code, period and department ("III.2.7/Q3/VHXH")."""
        return "/".join(p for p in (self.code, self.period, self.department) if p)


@dataclass(frozen=True)
class Reminder:
    """One item's line in a message, with why it is in it today."""

    code: str
    text: str
    period: str
    department: str  # the department that answers for it ("" when nobody does)
    due: date | None
    reason: str  # before | due | overdue | escalation | unscheduled
    days: int = 0  # working days before (reason before) or overdue (overdue, escalation)
    deadline_text: str = ""
    item_id: int | None = None
    role: str = LEAD  # the recipient's part in it: lead | partner | coordinate (see ROLES)
    leads: tuple[str, ...] = ()  # every lead department answering, so unreached() sees them all

    @property
    def days_overdue(self) -> int:
        return self.days if self.reason in ("overdue", "escalation") else 0

    @property
    def reason_vi(self) -> str:
        return reason_text(self.reason, self.days, "vi")

    @property
    def reason_en(self) -> str:
        return reason_text(self.reason, self.days, "en")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as stored in Outbox.items and printed by `remind --json`."""
        return {
            "item_id": self.item_id,
            "code": self.code,
            "text": self.text,
            "period": self.period,
            "department": self.department,
            "due": self.due.isoformat() if self.due else None,
            "days_overdue": self.days_overdue,
            "reason": self.reason_vi,
            "reason_key": self.reason,
            "days": self.days,
            "deadline_text": self.deadline_text,
            "role": self.role,
            "leads": list(self.leads),
        }


@dataclass(frozen=True)
class Message:
    """A decision: send `items` to `recipient` (Cc `cc`) on `day` as `kind`. Only an
    escalation has a Cc (the chairmen); a digest is its recipient's alone."""

    recipient: Contact
    cc: tuple[Contact, ...]
    day: date
    kind: str
    items: tuple[Reminder, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        """The outbox's unique key."""
        return (self.recipient.email.lower(), self.day.isoformat(), self.kind)


def reminder_offsets(due: date, policy: Policy, calendar: Calendar) -> list[int]:
    """Calendar days before `due` on which the policy reminds: its working days `before`,
    and 0 when it reminds on the day; farthest first (the calendar feed's alarms)."""
    days = {(due - calendar.add_working_days(due, -n)).days for n in policy.before}
    if policy.on_due:
        days.add(0)
    return sorted(days, reverse=True)


def kind_label(kind: str, lang: str = "vi") -> str:
    vi, en = KIND_LABELS.get(kind, (kind, kind))
    return en if lang == "en" else vi


def reason_text(reason: str, days: int, lang: str = "vi") -> str:
    """The reason as shown to people ("3 ngày làm việc trước hạn", "quá hạn 5 ngày làm việc")."""
    if lang == "en":
        return {
            "before": f"{days} working day{'s' if days != 1 else ''} before the deadline",
            "due": "due today",
            "overdue": f"overdue by {days} working day{'s' if days != 1 else ''}",
            "escalation": f"overdue by {days} working day{'s' if days != 1 else ''}",
            "unscheduled": "no deadline date yet",
        }[reason]
    return {
        "before": f"{days} ngày làm việc trước hạn",
        "due": "đến hạn hôm nay",
        "overdue": f"quá hạn {days} ngày làm việc",
        "escalation": f"quá hạn {days} ngày làm việc",
        "unscheduled": "chưa có thời hạn cụ thể",
    }[reason]


def _owed_today(nominal: date, today: date, calendar: Calendar) -> bool:
    """A nominal day off moves to the working day before it."""
    return calendar.previous_working_day(nominal) == today


def _window(today: date, calendar: Calendar) -> tuple[date, date]:
    """Nominal days [today, next working day) are sent today (today is a working day)."""
    return today, calendar.next_working_day(today + timedelta(days=1))


@lru_cache(maxsize=16384)
def _dated_reasons(
    due: date, today: date, calendar: Calendar, policy: Policy
) -> tuple[tuple[str, int], ...]:
    """The (reason, days) owed today for one dated item; empty when nothing is owed.

    Cached: items share a few hundred due days, so a national sweep (100,000 open items)
    asks this a few hundred times per calendar. Calendars are immutable and hashed by
    identity, policies are frozen."""
    start, end = _window(today, calendar)
    due = calendar.next_working_day(due)  # effective due: a day off moves it later
    owed: list[tuple[str, int]] = []
    if due >= start:
        for n in policy.before:
            if n > 0 and start <= calendar.add_working_days(due, -n) < end:
                owed.append(("before", n))
        if policy.on_due and start <= due < end:
            owed.append(("due", 0))
        return tuple(owed[-1:])  # the nearest one if a policy makes several coincide
    overdue = calendar.working_days_between(due, today)
    if policy.overdue_every > 0 and overdue > 0 and overdue % policy.overdue_every == 0:
        owed.append(("overdue", overdue))
    if policy.escalate_after > 0 and overdue >= policy.escalate_after:
        every = policy.overdue_every or 1
        if (overdue - policy.escalate_after) % every == 0:
            owed.append(("escalation", overdue))
    return tuple(owed)


def may_be_owed(
    due: date | None, deadline_kind: str, today: date, calendar: Calendar, policy: Policy
) -> bool:
    """Could an open item with this due day be in any of today's messages? False only when
    `plan_reminders` would surely skip it, so a caller may drop such items before building
    OpenItems (on a given day most open items owe nothing). Items without a date
    are always kept: the weekly list decides for them."""
    if due is None or deadline_kind in _NO_DATE_KINDS:
        return True
    if not calendar.is_working_day(today):
        return False
    return bool(_dated_reasons(calendar.next_working_day(due), today, calendar, policy))


def weekly_owed(today: date, calendar: Calendar, weekday: int) -> bool:
    """Is a weekly message for `weekday` owed today (a day off moves it to the day before)?"""
    if not calendar.is_working_day(today):
        return False
    if weekday < 0 or weekday > 6:
        return False
    start, end = _window(today, calendar)
    d = start
    while d < end:
        if d.weekday() == weekday:
            return True
        d += timedelta(days=1)
    return False


def _responsible(item: OpenItem) -> str:
    """The department answering for the item: a part's own, else the task's first lead."""
    if item.department:
        return item.department
    return item.leads[0] if item.leads else ""


def _leads(item: OpenItem) -> tuple[str, ...]:
    """Every lead department whose head is told: a part's own, else all the task's leads."""
    return (item.department,) if item.department else tuple(item.leads)


class _Digests:
    """Today's digests being gathered: one per e-mail address, one line per item, the
    strongest role winning when the same item reaches a person twice."""

    def __init__(self) -> None:
        self._by_email: dict[str, tuple[Contact, dict[tuple[Any, ...], Reminder]]] = {}

    def offer(self, to: Contact | None, line: Reminder, item: OpenItem, role: str) -> bool:
        """Add the line to `to`'s digest in `role`; False when `to` has no e-mail."""
        if to is None or not to.email:
            return False
        _to, lines = self._by_email.setdefault(to.email.lower(), (to, {}))
        key = (item.item_id, item.key)
        held = lines.get(key)
        if held is None or ROLES.index(role) < ROLES.index(held.role):
            lines[key] = replace(line, role=role)
        return True

    def messages(self, today: date) -> list[Message]:
        out = []
        for _email, (to, lines) in sorted(self._by_email.items()):
            ordered = [
                r for role in ROLES for r in _sorted([x for x in lines.values() if x.role == role])
            ]
            out.append(Message(to, (), today, DIGEST, tuple(ordered)))
        return out


def plan_reminders(
    items: Iterable[OpenItem | Any],
    today: date,
    calendar: Calendar,
    policy: Policy,
    directory: Directory,
) -> list[Message]:
    """Every message owed today, sorted by kind then recipient; pure and deterministic.

    `items` may be OpenItem or any object with the same attributes. Each lead department's
    head gets the item as "lead"; a lead department without a head's e-mail, like a task
    without a lead, is chased through the coordinator ("coordinate"); partner heads get it
    as "partner" when `policy.cc_partners`.
    """
    if not calendar.is_working_day(today):
        return []
    digests = _Digests()
    escalated: list[Reminder] = []
    unscheduled: list[Reminder] = []
    weekly = weekly_owed(today, calendar, policy.unscheduled_weekday)
    coordinator = directory.coordinator
    for raw in items:
        item = raw if isinstance(raw, OpenItem) else _coerce(raw)
        if not item.is_open:
            continue
        dept = _responsible(item)
        if item.due is None or item.deadline_kind in _NO_DATE_KINDS:
            if weekly:
                unscheduled.append(_reminder(item, dept, "unscheduled", 0))
            continue
        due = calendar.next_working_day(item.due)
        for reason, days in _dated_reasons(due, today, calendar, policy):
            line = _reminder(replace(item, due=due), dept, reason, days)
            if reason == "escalation":
                escalated.append(line)
                continue
            leads = _leads(item)
            told = [digests.offer(directory.heads.get(d), line, item, LEAD) for d in leads]
            if not all(told) or not leads:
                # nobody to tell when this fails too: unreached() names these for the sweep
                digests.offer(coordinator, line, item, COORDINATE)
            if policy.cc_partners:
                for p in item.partners:
                    digests.offer(directory.heads.get(p), line, item, PARTNER)
    out = digests.messages(today)
    chairmen = tuple(c for c in directory.chairmen if c.email)
    if escalated and (coordinator or chairmen):
        to = coordinator if coordinator and coordinator.email else chairmen[0]
        out.append(
            Message(to, _cc(set(chairmen), to), today, ESCALATION, tuple(_sorted(escalated)))
        )
    if unscheduled and coordinator and coordinator.email:
        out.append(Message(coordinator, (), today, UNSCHEDULED, tuple(_sorted(unscheduled))))
    return out


NOBODY = "nobody"  # unreached(): the key for items that reached no one


def unreached(
    items: Iterable[OpenItem | Any],
    today: date,
    calendar: Calendar,
    policy: Policy,
    directory: Directory,
    messages: Iterable[Message] | None = None,
) -> dict[str, list[str]]:
    """Who today's reminders could not address, so a sweep can say it instead of staying
    silent: department code → keys of its items owed today while it has no head with an
    e-mail (they went to the coordinator); `NOBODY` → keys of items owed today that reached
    no one (no coordinator e-mail and, for escalations, no chairman either). A lead
    department's key names it ("III.2.2/Q3/KT"), so a task shared by several leads shows
    which one was missed; partners' copies count for nothing here.

    `messages`: today's `plan_reminders` result when the caller has it; it is reused unless
    the coordinator is unreachable (then the day is replayed with a stand-in for them)."""
    coordinator = directory.coordinator
    missing = Contact("", "\0" + NOBODY)  # stands in for an unreachable coordinator
    if coordinator is None or not coordinator.email:
        directory = replace(directory, coordinator=missing)
        messages = None
    if messages is None:
        messages = plan_reminders(items, today, calendar, policy, directory)
    chairmen = any(c.email for c in directory.chairmen)
    gaps: dict[str, dict[str, None]] = {}  # ordered sets: a shared item is in several digests

    def heads_email(department: str) -> bool:
        head = directory.heads.get(department)
        return head is not None and bool(head.email)

    for message in messages:
        lost = message.recipient == missing and not (message.kind == ESCALATION and chairmen)
        for line in message.items:
            if message.kind != DIGEST:
                if lost:
                    gaps.setdefault(NOBODY, {})[_line_key(line, line.department)] = None
                continue
            if line.role == PARTNER:
                continue
            leads = line.leads or (line.department,)
            headless = [d for d in leads if d and not heads_email(d)]
            for d in headless:
                gaps.setdefault(d, {})[_line_key(line, d)] = None
            if lost:
                for d in headless or [line.department]:
                    gaps.setdefault(NOBODY, {})[_line_key(line, d)] = None
    return {where: list(keys) for where, keys in gaps.items()}


def _line_key(line: Reminder, department: str) -> str:
    """An item's key as people read it: code, period and the department in question."""
    return "/".join(p for p in (line.code, line.period, department) if p)


def _cc(contacts: Iterable[Contact], to: Contact) -> tuple[Contact, ...]:
    seen: dict[str, Contact] = {}
    for c in contacts:
        email = c.email.lower()
        if email != to.email.lower():
            seen.setdefault(email, c)
    return tuple(seen[k] for k in sorted(seen))


def _reminder(item: OpenItem, dept: str, reason: str, days: int) -> Reminder:
    return Reminder(
        item.code,
        item.text,
        item.period,
        dept,
        item.due,
        reason,
        days,
        item.deadline_text,
        item.item_id,
        leads=_leads(item),
    )


def _sorted(lines: list[Reminder]) -> list[Reminder]:
    return sorted(
        lines, key=lambda r: (r.due or date.max, code_key(r.code), r.period, r.department)
    )


def _coerce(obj: Any) -> OpenItem:
    """Accept any object with OpenItem's attribute names (missing ones take defaults)."""
    values = {f.name: getattr(obj, f.name) for f in fields(OpenItem) if hasattr(obj, f.name)}
    for name in ("leads", "partners"):
        if name in values:
            values[name] = tuple(values[name] or ())
    return replace(
        OpenItem(code=values.pop("code"), text=values.pop("text"), due=values.pop("due")), **values
    )
