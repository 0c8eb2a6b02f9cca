"""`planflow serve`: the pages a head opens from a reminder, and the chairman's dashboard.

An edge like the CLI: each handler parses the request, proves who is asking (a signed link
or the session cookie it leads to, planflow.links), calls the same use case the CLI calls
inside `login.signed_in`, and renders a Jinja2 template. Forms are plain posts, so a phone
browser with JavaScript off can still record "done". Every form carries a CSRF token bound
to the session; cookies are HttpOnly and SameSite=Lax (Lax, not Strict: the first visit
comes from a link in a mail client, a cross-site navigation).
"""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined

from planflow import clock, links
from planflow.config import Settings
from planflow.engine import states
from planflow.engine.progress import format_percent
from planflow.errors import PlanflowError
from planflow.links import BadToken, Claim
from planflow.login import WebPerson
from planflow.services import web as pages
from planflow.web.forms import run_move

COOKIE, LANG_COOKIE = "pf_session", "pf_lang"
TEMPLATES = Path(__file__).parent / "templates"


UNITS_TTL = 60.0  # seconds a count of the database's units is reused


def create_app(settings: Settings) -> FastAPI:
    """The application for one database; the secret is read once, at start."""
    key = links.secret_key()
    url = settings.database_url
    app = FastAPI(title="planflow", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.undefined = StrictUndefined
    secure = settings.base_url.startswith("https://")

    def lang_of(request: Request) -> str:
        asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return asked if asked in ("vi", "en") else settings.lang

    def session_claim(request: Request) -> Claim | None:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        try:
            return links.verify(token, key, links.SESSION, clock.today())
        except BadToken:
            return None

    units_seen: list[float | bool] = [-UNITS_TTL, False]  # (when counted, several?)

    def several_units() -> bool:
        """Whether to link the ranking; counted once a minute, not on every page."""
        now = time.monotonic()
        if now - units_seen[0] >= UNITS_TTL:
            units_seen[:] = [now, pages.unit_count(url) > 1]
        return bool(units_seen[1])

    def page(
        request: Request, name: str, status: int = 200, claim: Claim | None = None, **data: Any
    ) -> HTMLResponse:
        lang = lang_of(request)

        def t(vi: str, en: str) -> str:
            return en if lang == "en" else vi

        context = {
            "request": request,
            "status_label": lambda status: states.label(status, lang),
            "action_label": lambda action: states.event_label(action, lang),
            "lang": lang,
            "t": t,
            "csrf": links.csrf_token(claim, key) if claim else "",
            "signed_in": claim is not None,
            "unit": claim.unit if claim else "",
            "several_units": claim is not None and several_units(),
            "fmt": _fmt,
            "pct": lambda value: format_percent(value, 1, lang),
            **data,
        }
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if request.query_params.get("lang") in ("vi", "en"):
            response.set_cookie(
                LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True, secure=secure
            )
        return response

    def refuse(request: Request, unit: str, code: str, reason: str, claimed: int | None = None):
        client = request.client.host if request.client else ""
        pages.record_refused_link(url, unit, code, reason, client, claimed)
        return page(request, "refused.html", 403, reason=reason)

    def start_session(response: Response, who: WebPerson) -> None:
        claim = Claim(
            links.SESSION,
            who.person_id,
            who.email,
            who.unit_code,
            "",
            clock.today() + timedelta(days=settings.link_days),
            secrets.token_urlsafe(16),
        )
        response.set_cookie(
            COOKIE,
            links.sign(claim, key),
            max_age=settings.link_days * 86400,
            httponly=True,
            samesite="lax",
            secure=secure,
        )

    def from_link(request: Request, unit: str, code: str) -> Response | None:
        """A signed link in the query: sign in and come back without it, or refuse (403)."""
        token = request.query_params.get("k")
        if token is None:
            return None
        try:
            claim = links.verify(token, key, links.LINK, clock.today())
            if claim.unit != unit or claim.target != code:
                raise BadToken("tampered")  # a valid signature on another page's link
            who = pages.prove(url, claim)
        except BadToken as bad:
            return refuse(request, unit, code, bad.reason)
        there = f"/u/{quote(unit, safe='')}/" + (f"t/{quote(code, safe='')}" if code else "mine")
        response = RedirectResponse(there, status_code=303)
        start_session(response, who)
        return response

    def current(request: Request, unit: str) -> tuple[Claim, WebPerson] | None:
        claim = session_claim(request)
        if claim is None or claim.unit != unit:
            return None
        try:
            return claim, pages.prove(url, claim)
        except BadToken:
            return None

    def to_signin(request: Request) -> Response:
        return RedirectResponse("/signin?next=" + quote(request.url.path), status_code=303)

    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")

    @app.get("/")
    def home(request: Request) -> Response:
        token = request.query_params.get("k")
        if token is not None:  # the "my tasks" link at the foot of a digest
            try:
                unit = links.verify(token, key, links.LINK, clock.today()).unit
            except BadToken as bad:
                return refuse(request, "", "", bad.reason)
            return from_link(request, unit, "") or to_signin(request)
        claim = session_claim(request)
        if claim is None:
            return to_signin(request)
        return RedirectResponse(f"/u/{quote(claim.unit, safe='')}/mine", status_code=303)

    @app.get("/u/{unit}/mine")
    def mine(request: Request, unit: str) -> Response:
        if (redirect := from_link(request, unit, "")) is not None:
            return redirect
        if (me := current(request, unit)) is None:
            return to_signin(request)
        claim, who = me
        today = clock.today()
        lead, partner = pages.my_work(url, who, today)
        return page(
            request,
            "mine.html",
            claim=claim,
            me=pages.viewer(url, who),
            lead=lead,
            partner=partner,
            today=today,
        )

    @app.get("/u/{unit}/t/{code}")
    def task(request: Request, unit: str, code: str) -> Response:
        if (redirect := from_link(request, unit, code)) is not None:
            return redirect
        if (me := current(request, unit)) is None:
            return to_signin(request)
        return task_view(request, me, code)

    def task_view(
        request: Request,
        me: tuple[Claim, WebPerson],
        code: str,
        error: str = "",
        status: int = 200,
        done: str = "",
    ) -> Response:
        claim, who = me
        today = clock.today()
        try:
            data = pages.task_page(url, who, code, today)
        except PlanflowError as exc:
            return page(
                request, "message.html", exc.http_status, claim, text=exc.message(lang_of(request))
            )
        return page(
            request,
            "task.html",
            status,
            claim,
            me=pages.viewer(url, who),
            today=today,
            error=error,
            done=done or request.query_params.get("ok", ""),
            **data,
        )

    async def act(request: Request, unit: str, code: str, move: str) -> Response:
        me = current(request, unit)
        if me is None:
            return refuse(request, unit, code, "csrf")
        claim, who = me
        async with request.form(max_part_size=settings.upload_limit + 1) as form:
            if not links.csrf_ok(claim, key, str(form.get("csrf") or "")):
                return refuse(request, unit, code, "csrf", who.person_id)
            try:
                outcome = await run_move(settings, who, code, move, form)
            except PlanflowError as exc:
                error = exc.message(lang_of(request))
                return task_view(request, me, code, error, exc.http_status)
        there = f"/u/{quote(unit, safe='')}/t/{quote(code, safe='')}?ok={outcome}"
        return RedirectResponse(there, status_code=303)

    @app.post("/u/{unit}/t/{code}/done")
    async def done(request: Request, unit: str, code: str) -> Response:
        return await act(request, unit, code, "done")

    @app.post("/u/{unit}/t/{code}/start")
    async def start(request: Request, unit: str, code: str) -> Response:
        return await act(request, unit, code, "start")

    @app.post("/u/{unit}/t/{code}/note")
    async def note(request: Request, unit: str, code: str) -> Response:
        return await act(request, unit, code, "note")

    def unit_page(request: Request, unit: str, name: str, read: Any) -> Response:
        """A signed-in page of the unit: `read(url, who)` gives the template's data."""
        if (me := current(request, unit)) is None:
            return to_signin(request)
        claim, who = me
        data = read(url, who)
        return page(request, name, claim=claim, me=pages.viewer(url, who), **data)

    @app.get("/u/{unit}/dashboard")
    def dashboard(request: Request, unit: str) -> Response:
        return unit_page(request, unit, "dashboard.html", pages.dashboard)

    @app.get("/u/{unit}/overview")
    def overview(request: Request, unit: str) -> Response:
        return unit_page(request, unit, "overview.html", pages.overview)

    @app.get("/rollup")
    def rollup(request: Request) -> Response:
        claim = session_claim(request)
        if claim is None:
            return to_signin(request)
        return page(request, "rollup.html", claim=claim, rollup=pages.rollup(url))

    @app.get("/u/{unit}/report.{fmt}")
    def download(request: Request, unit: str, fmt: str) -> Response:
        if fmt not in ("docx", "xlsx") or (me := current(request, unit)) is None:
            return to_signin(request) if fmt in ("docx", "xlsx") else Response(status_code=404)
        from planflow.reports import render

        report = pages.dashboard(url, me[1])["report"]
        body = render(report, fmt, lang_of(request))
        kinds = {"docx": "wordprocessingml.document", "xlsx": "spreadsheetml.sheet"}
        return Response(
            body,
            media_type=f"application/vnd.openxmlformats-officedocument.{kinds[fmt]}",
            headers={"Content-Disposition": f'attachment; filename="phu-luc-1b.{fmt}"'},
        )

    @app.get("/u/{unit}/a/{sha256}")
    def attachment(request: Request, unit: str, sha256: str) -> Response:
        if (me := current(request, unit)) is None:
            return to_signin(request)
        from planflow import attachments

        found = pages.attachment_of(url, me[1], sha256)
        path = attachments.path_of(sha256, found["kind"]) if found else None
        if found is None or path is None:
            return Response(status_code=404)
        return Response(
            path.read_bytes(),
            media_type=attachments.KINDS[found["kind"]],
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found['name'])}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/signin")
    def signin_form(request: Request) -> Response:
        return page(request, "signin.html", sent=False, signin_csrf=_signin_csrf(key))

    @app.post("/signin")
    async def signin(request: Request) -> Response:
        async with request.form() as form:
            token, email = str(form.get("csrf") or ""), str(form.get("email") or "").strip()
        if not links.csrf_ok(_SIGNIN, key, token):
            return refuse(request, "", "", "csrf")
        from starlette.concurrency import run_in_threadpool

        # The same answer whether or not the address is known: the page tells no stranger
        # who is registered.
        await run_in_threadpool(pages.send_signin_links, settings, key, email, clock.today())
        return page(request, "signin.html", sent=True, signin_csrf=_signin_csrf(key))

    @app.post("/signout")
    def signout(request: Request) -> Response:
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    return app


_SIGNIN = Claim(links.SESSION, 0, "", "", "signin", date.max, "signin-form")


def _signin_csrf(key: bytes) -> str:
    return links.csrf_token(_SIGNIN, key)


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"
