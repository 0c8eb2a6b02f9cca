"""A posted form turned into one move: the same use case the CLI runs, as the signed-in
person, in a worker thread (the use cases are synchronous and own their transactions)."""

from __future__ import annotations

from typing import Any

from planflow.config import Settings
from planflow.login import WebPerson, signed_in


async def run_move(settings: Settings, who: WebPerson, code: str, move: str, form: Any) -> str:
    """One move, as the CLI runs it, in a worker thread (the use cases are synchronous)."""
    from starlette.concurrency import run_in_threadpool

    from planflow.dates import parse_day
    from planflow.services import moves

    url = settings.database_url
    period = str(form.get("period") or "") or None
    files: list[tuple[bytes, str]] = []
    if move == "done":
        for upload in form.getlist("files"):
            if getattr(upload, "filename", ""):
                files.append((await upload.read(settings.upload_limit + 1), upload.filename))

    def run() -> str:
        with signed_in(who):
            if move == "note":
                moves.add_note(url, code, str(form.get("text") or ""), unit=who.unit_code)
                return "note"
            if move == "start":
                moves.start_task(url, code, unit=who.unit_code, period=period)
                return "start"
            from planflow import attachments

            on_text = str(form.get("on") or "").strip()
            on = parse_day(on_text, "on") if on_text else None
            stored = [attachments.store(d, n, settings.upload_limit) for d, n in files]
            moves.complete_task(
                url,
                code,
                unit=who.unit_code,
                on=on,
                evidence=str(form.get("evidence") or ""),
                period=period,
                attachments=stored or None,
            )
            return "done"

    return await run_in_threadpool(run)
