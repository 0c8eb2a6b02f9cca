"""Every word planflow prints is in the user's language: help, usage errors, main outputs.

Vietnamese (the default) must not fall back to English words; English (--lang en) must
show no Vietnamese but the plan's own data (task texts, department and unit names …).
Help is walked over the whole command tree, in process through the root command's own
language switch (planflow.cli.lang.PlanflowGroup); the outputs run as the real program.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import KYLAC_PLAN, ROOT, Cli

from planflow.cli import lang as cli_lang

# Letters only Vietnamese writes: vowels with a tone or a hat, đ.
VI_LETTERS = re.compile(r"[À-ÃÈ-ÊÌÍÒ-ÕÙÚÝà-ãè-êìíò-õùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ]")
# English words that must not be left in Vietnamese output (whole words, case-sensitive).
ENGLISH = frozenset(
    [
        "Show",
        "show",
        "the",
        "The",
        "Usage",
        "Options",
        "Arguments",
        "Commands",
        "Missing",
        "Example",
        "default",
        "required",
        "Error",
        "Try",
        "help",
        "unit",
        "Unit",
        "task",
        "Task",
        "tasks",
        "Only",
        "only",
        "and",
        "with",
        "for",
        "from",
        "Department",
        "Lead",
        "Status",
        "Deadline",
        "Code",
        "Completed",
        "Overdue",
        "digest",
        "escalation",
        "partner",
        "queued",
        "sent",
        "failed",
    ]
)


def _tree() -> list[tuple[tuple[str, ...], Any]]:
    """Every command and group of `planflow`, the root first, by its words."""
    import typer.main

    from planflow.cli import app

    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        found.append((path, cmd))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


PATHS = [path for path, _ in _tree()]


@pytest.fixture
def fresh_state(tmp_path: Path) -> Iterator[dict[str, str | None]]:
    """In-process runs share planflow's module state: each starts from none."""
    from planflow import i18n
    from planflow.cli.state import state

    state.db = state.lang = state._settings = None
    yield {
        "PLANFLOW_LANG": None,
        "PLANFLOW_CONFIG": str(tmp_path / "none.toml"),
        "PLANFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'planflow.db'}",
        "COLUMNS": "100",
    }
    state.db = state.lang = state._settings = None
    i18n.set_lang("vi")


def _invoke(args: list[str], env: dict[str, str | None]) -> tuple[int, str]:
    from typer.testing import CliRunner

    from planflow.cli import app
    from planflow.cli.state import state

    state.db = state.lang = state._settings = None
    result = CliRunner().invoke(app, args, env=env, prog_name="planflow")
    return result.exit_code, result.output


@functools.cache
def plan_words() -> frozenset[str]:
    """Every word of the plan's own data: what English output may show in Vietnamese."""
    import yaml

    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            words.update(re.findall(r"\w+", node))

    walk(yaml.safe_load(KYLAC_PLAN.read_text(encoding="utf-8")))
    # The heads an import creates are named for their departments: "Trưởng phòng VHXH".
    words.update({"Trưởng", "phòng"})
    # What the Vietnamese documents print word for word, named so in English help.
    words.update({"Hà", "Tĩnh", "CHỦ", "TỊCH"})
    return frozenset(words)


def vietnamese_left(text: str, also: frozenset[str] = frozenset()) -> list[str]:
    """Words with Vietnamese letters that are neither the plan's data nor quoted examples."""
    text = re.sub(r'"[^"]*"', " ", text, flags=re.S)  # a quoted example: data as typed
    allowed = plan_words() | also
    # A table wraps a narrow cell inside a word ("trê" / "n"): a piece of a data word is data.
    pieces = " ".join(allowed)
    return sorted(
        {
            w
            for w in re.findall(r"\w+", text)
            if VI_LETTERS.search(w) and w not in allowed and w not in pieces
        }
    )


def english_left(text: str) -> list[str]:
    """Common English words left in Vietnamese text, outside what is typed as is: option
    and command names, metavars, quoted values, example command lines, codes."""
    text = re.sub(r"(?:Ví dụ|Example): .*?(?=\n\s*\n|\Z)", " ", text, flags=re.S)
    text = re.sub(r"planflow(?: [a-z][\w-]*)+", " ", text)  # a command path
    text = re.sub(r"^ {2}[a-z][\w-]*(?= {2,}|$)", " ", text, flags=re.M)  # a command row
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|<[^>]*>|\{[^}]*\}", " ", text)
    text = re.sub(r"--?[\w-]+|\w+=\w+", " ", text)  # option names, column keys (task=B)
    return sorted({w for w in re.findall(r"\w+", text) if w in ENGLISH})


# --- help: every command and group, both languages ------------------------------------


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "planflow")
def test_help_speaks_one_language(path: tuple[str, ...], fresh_state: dict) -> None:
    code, vi = _invoke(["--lang", "vi", *path, "--help"], fresh_state)
    assert code == 0, vi
    assert vi.startswith("Cách dùng: planflow"), vi
    assert "Tùy chọn:" in vi and "Hiện hướng dẫn này rồi thoát." in vi, vi
    assert english_left(vi) == [], vi
    code, en = _invoke(["--lang", "en", *path, "--help"], fresh_state)
    assert code == 0, en
    assert en.startswith("Usage: planflow") and "Show this message and exit." in en, en
    assert vietnamese_left(en) == [], en


def test_the_language_comes_from_the_environment_and_the_config(
    fresh_state: dict, tmp_path: Path
) -> None:
    code, out = _invoke(["tasks", "--help"], fresh_state)  # nothing asked: Vietnamese
    assert out.startswith("Cách dùng:"), out
    code, out = _invoke(["tasks", "--help"], {**fresh_state, "PLANFLOW_LANG": "en"})
    assert out.startswith("Usage:"), out
    config = tmp_path / "config.toml"
    config.write_text('lang = "en"\n', encoding="utf-8")
    code, out = _invoke(["tasks", "--help"], {**fresh_state, "PLANFLOW_CONFIG": str(config)})
    assert out.startswith("Usage:"), out
    code, out = _invoke(
        ["--lang=vi", "tasks", "--help"], {**fresh_state, "PLANFLOW_CONFIG": str(config)}
    )
    assert out.startswith("Cách dùng:"), out
    config.write_text("lang = [broken\n", encoding="utf-8")  # unreadable: Vietnamese
    code, out = _invoke(["--help"], {**fresh_state, "PLANFLOW_CONFIG": str(config)})
    assert out.startswith("Cách dùng:"), out


# --- the catalogue ---------------------------------------------------------------------


def test_every_help_text_has_its_vietnamese() -> None:
    missing = []
    for path, cmd in _tree():
        texts = [getattr(cmd, a, None) for a in ("help", "short_help", "epilog")]
        texts += [getattr(p, "help", None) for p in cmd.params]
        for text in filter(None, texts):
            missing += [(" ".join(path), p) for p in cli_lang.untranslated(text)]
    assert missing == [], "add these to planflow.po, then python -m planflow.i18n_build"
    for msgid in (*cli_lang.CLICK_MESSAGES, cli_lang.EXAMPLE):
        assert cli_lang._vi(msgid), msgid


def test_the_compiled_catalogue_is_the_po() -> None:
    from planflow import i18n_build

    assert i18n_build.MO.read_bytes() == i18n_build.compile_po(), (
        "planflow.mo is stale: run python -m planflow.i18n_build"
    )


def test_placeholders_survive_translation() -> None:
    for msgid in cli_lang.CLICK_MESSAGES:
        vi = cli_lang._vi(msgid)
        assert vi is not None
        assert set(re.findall(r"\{\w+\}", vi)) == set(re.findall(r"\{\w+\}", msgid)), msgid


def test_the_catalogue_is_read_without_babel() -> None:
    code = (
        "import sys; from planflow.cli import lang; lang.catalogue();"
        "assert lang.help_text('Only overdue tasks.') == 'Chỉ nhiệm vụ quá hạn.';"
        "assert 'babel' not in sys.modules, 'babel imported at run time'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- the real program: usage errors and the main outputs --------------------------------


def test_usage_errors_in_both_languages(cli: Cli) -> None:
    vi = cli("tasks", "--nope")
    assert vi.code == 2
    assert "Cách dùng: " in vi.err and "Lỗi: Không có tùy chọn: --nope" in vi.err, vi.err
    assert english_left(vi.err) == [], vi.err
    vi = cli("task", "show")
    assert "Lỗi: Thiếu tham số 'code'." in vi.err, vi.err
    assert english_left(vi.err) == [], vi.err
    vi = cli("tazks")
    assert "Không có lệnh 'tazks'" in vi.err, vi.err
    vi = cli("remind", "--budget", "abc")
    assert "Giá trị không hợp lệ cho '--budget': cần một số" in vi.err, vi.err
    en = cli("--lang", "en", "tasks", "--nope")
    assert "Usage: " in en.err and "Error: No such option: --nope" in en.err, en.err
    assert vietnamese_left(en.err) == [], en.err
    en = cli("--lang", "en", "task", "show")
    assert "Error: Missing argument 'code'." in en.err and vietnamese_left(en.err) == []


OUTPUTS = (
    ("tasks",),
    ("task", "show", "I.2.1"),
    ("report",),
    ("history", "I.2.1"),
    ("plan", "show"),
    ("remind", "--dry-run"),
    ("person", "list"),
    ("dept", "list"),
    ("unit", "list"),
    ("snapshot", "list"),
)


def test_main_outputs_in_both_languages(kylac: Cli) -> None:
    today = {"PLANFLOW_TODAY": "10/10/2025"}
    kylac.ok("start", "I.2.2", user="vhxh", env=today)
    kylac.ok("done", "I.2.1", "--evidence", "KH 5", user="vhxh", env=today)
    for args in OUTPUTS:
        en = kylac.ok("--lang", "en", *args, env=today).out
        assert vietnamese_left(en) == [], (args, en)
        vi = kylac.ok(*args, env=today).out
        assert english_left(vi) == [], (args, vi)
