"""Compile the Vietnamese catalogue: planflow/locale/vi/LC_MESSAGES/planflow.po → planflow.mo.

    python -m planflow.i18n_build          # write planflow.mo beside the .po
    python -m planflow.i18n_build --check  # exit 1 if the committed .mo is stale

Edit the .po (msgid: the English text as the code writes it, a docstring paragraph with its
line breaks collapsed to spaces; msgstr: the Vietnamese), then run this and commit both.
Needs babel (the test extras); planflow itself reads the .mo with the standard library.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
PO = LOCALE / "vi" / "LC_MESSAGES" / "planflow.po"
MO = PO.with_suffix(".mo")


def compile_po(po: Path = PO) -> bytes:
    """The .mo bytes for a .po file, as babel compiles them (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale="vi", domain="planflow")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    data = compile_po()
    if "--check" in argv:
        if not MO.exists() or MO.read_bytes() != data:
            sys.stderr.write(f"{MO} is stale: run python -m planflow.i18n_build\n")
            return 1
        return 0
    MO.write_bytes(data)
    sys.stdout.write(f"{MO}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
