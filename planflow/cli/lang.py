"""The CLI's own words in the user's language before Click prints anything.

Help (command docstrings, `help=` strings, group helps), usage lines and Click's usage
errors come from one gettext catalogue, planflow/locale/vi/LC_MESSAGES/planflow.po, read
compiled (planflow.mo, beside it) with the standard library's gettext: no babel at run time.
`python -m planflow.i18n_build` recompiles it; tests/test_language.py fails when the .mo is
stale or a help text has no entry.

msgids are the English texts as the code writes them: a `help=` string, or one paragraph of
a docstring with its line breaks collapsed to spaces (Click rewraps paragraphs anyway). A
paragraph "Example: …" is translated by its first word only: the command line stays as typed.
Click's own messages are msgids too, as templates ("No such option: {name}"): typer's
vendored Click writes them as f-strings, not through gettext, so a usage error's English
text is matched against the templates and rewritten, per error, never by patching Click.

The language is decided from the arguments, PLANFLOW_LANG and the config file's `lang`
before Click parses anything (`early_lang`), so even `--help` and a bad option speak it.
"""

from __future__ import annotations

import gettext
import io
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from typer._click.core import Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from planflow import i18n

LOCALE = Path(__file__).resolve().parents[1] / "locale"
MO = LOCALE / "vi" / "LC_MESSAGES" / "planflow.mo"

# Click's and typer's own words as the installed typer writes them, templates with
# {placeholders}: each has its Vietnamese in the catalogue (the test checks).
CLICK_MESSAGES = (
    "Usage:",
    "Options",
    "Arguments",
    "Commands",
    "Show this message and exit.",
    "default: {default}",
    "required",
    "env var: {var}",
    "Error: {message}",
    "Try '{command}' for help.",
    "No such option: {name}",
    "(Possible options: {possibilities})",
    "No such command {name}.",
    "Did you mean {possibility}?",
    "Missing command.",
    "Missing argument {param_hint}.",
    "Missing option {param_hint}.",
    "Missing parameter {param_hint}.",
    "Got unexpected extra argument(s) ({args})",
    "Invalid value for {param_hint}: {message}",
    "Invalid value: {message}",
    "Option {name} requires an argument.",
    "Option {name} requires {nargs} arguments.",
    "Option {name} does not take a value.",
    "Argument {name} takes {nargs} values.",
    "Value {value} is not a valid {label}.",
    "{value} is not one of {choices}.",
    "Input should be a valid integer, unable to parse string as an integer",
    "Input should be a valid number, unable to parse string as a number",
    "Input should be a valid integer",
    "Input should be a valid number",
    "Input should be greater than or equal to {limit}",
    "Input should be greater than {limit}",
    "Input should be less than or equal to {limit}",
    "Input should be less than {limit}",
)
EXAMPLE = "Example:"


@cache
def catalogue() -> gettext.NullTranslations:
    try:
        with MO.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:  # an install without the catalogue still works, in English
        return gettext.NullTranslations()


def early_lang(args: Sequence[str]) -> str:
    """The language asked for, as settings will decide it (option > PLANFLOW_LANG > config
    file > vi), known before Click renders help or an error. A config file that cannot be
    read, or a language planflow does not speak, gives vi: loading the settings reports it."""
    asked: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            asked = args[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    asked = asked or os.environ.get("PLANFLOW_LANG")
    if not asked:
        try:
            from planflow.config import _file_settings

            asked = str(_file_settings().get("lang") or "")
        except Exception:
            asked = ""
    return asked if asked in ("vi", "en") else "vi"


def _vi(msgid: str) -> str | None:
    if not msgid.strip():
        return None  # "" is the catalogue's header
    found = catalogue().gettext(msgid)
    return found if found != msgid or msgid in _identical() else None


@cache
def _identical() -> frozenset[str]:
    """msgids whose Vietnamese is the same text (a code, a list of codes)."""
    cat = catalogue()
    messages = getattr(cat, "_catalog", {})
    return frozenset(k for k, v in messages.items() if isinstance(k, str) and k == v)


def paragraphs(text: str) -> list[str]:
    """A help text's msgids: its paragraphs, line breaks collapsed to spaces."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def untranslated(text: str) -> list[str]:
    """The paragraphs of a help text the catalogue has no Vietnamese for (for the test)."""
    return [
        p
        for p in paragraphs(text)
        if not (p.startswith(EXAMPLE + " ") or p.lstrip("\b").strip() == "" or _vi(p))
    ]


def help_text(text: str | None) -> str | None:
    """One help text in Vietnamese, paragraph by paragraph; English where there is none."""
    if not text:
        return text
    out = []
    for para in paragraphs(text):
        if para.startswith(EXAMPLE + " "):
            out.append(f"{_vi(EXAMPLE) or EXAMPLE} {para[len(EXAMPLE) + 1 :]}")
        else:
            out.append(_vi(para) or para)
    return "\n\n".join(out)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Click's templates as patterns, the longest literal text first (most specific)."""
    found = []
    for msgid in CLICK_MESSAGES:
        vi = _vi(msgid)
        if vi is None or ("{" not in msgid and " " not in msgid):
            continue  # a single word ("Options") is a heading, never part of an error
        parts = re.split(r"\{(\w+)\}", msgid)
        regex = ""
        for i, part in enumerate(parts):
            if i % 2 == 0:
                regex += re.escape(part)
            else:
                regex += (
                    f"(?P<{part}>.+)"
                    if i == len(parts) - 2 and not parts[-1]
                    else (f"(?P<{part}>.+?)")
                )
        literal = sum(len(p) for p in parts[::2])
        found.append((literal, re.compile(regex), vi))
    found.sort(key=lambda t: -t[0])
    return tuple((p, vi) for _, p, vi in found)


def click_text(text: str) -> str:
    """A line Click wrote, its known English phrases in Vietnamese."""
    if (whole := _vi(text)) is not None:
        return whole
    for pattern, vi in _patterns():
        text = pattern.sub(lambda m, vi=vi: vi.format(**m.groupdict()), text)
    return text


class VietnameseFormatter(HelpFormatter):
    """Click's help layout with its headings, usage prefix and option notes in Vietnamese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = f"{_vi('Usage:') or 'Usage:'} "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_vi(heading) or heading)

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().write_dl([(term, _option_note(text)) for term, text in rows], *args, **kwargs)


def _option_note(text: str) -> str:
    """An option's help column: its text, then typer's "[default: x; required]"."""
    match = re.fullmatch(r"(.*?)(\s*)\[([^\[\]]*)\]", text, flags=re.S)
    body, gap, extra = match.groups() if match else (text, "", None)
    body = _vi(body) or body if body else body
    if extra is None:
        return body
    notes = "; ".join(click_text(note) for note in extra.split("; "))
    return f"{body}{gap}[{notes}]"


class VietnameseContext(Context):
    formatter_class = VietnameseFormatter


def translate_tree(command: Any) -> None:
    """Every help text of a Click command tree in Vietnamese, in place: the tree typer
    builds for one run (`planflow.cli._narrowed` builds only the command that runs)."""
    command.context_class = VietnameseContext
    for attr in ("help", "short_help", "epilog"):
        if getattr(command, attr, None):
            setattr(command, attr, help_text(getattr(command, attr)))
    for param in command.params:
        if getattr(param, "help", None):
            param.help = help_text(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_tree(sub)


def _speak(exc: ClickException) -> None:
    """Make this one error print in Vietnamese (its usage line already is, via the context)."""
    if isinstance(exc, NoArgsIsHelpError) or getattr(exc, "_planflow_vi", False):
        return
    english_show = exc.show

    def show(file: Any = None) -> None:
        from typer._click._compat import get_text_stderr

        buf = io.StringIO()
        english_show(file=buf)
        text = "\n".join(click_text(line) for line in buf.getvalue().split("\n"))
        (file or get_text_stderr()).write(text)

    exc.show = show  # type: ignore[method-assign]
    exc._planflow_vi = True  # type: ignore[attr-defined]


class PlanflowGroup(TyperGroup):
    """planflow's root command: decides the language first, then lets Click run."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        import sys

        args = list(sys.argv[1:] if args is None else args)
        i18n.set_lang(early_lang(args))
        if i18n.lang() == "vi":
            translate_tree(self)
        return super().main(args, *rest, **extra)

    def make_context(self, *args: Any, **kwargs: Any) -> Context:
        try:
            return super().make_context(*args, **kwargs)
        except ClickException as exc:
            if i18n.lang() == "vi":
                _speak(exc)
            raise

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClickException as exc:
            if i18n.lang() == "vi":
                _speak(exc)
            raise
