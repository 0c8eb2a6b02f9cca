"""Development helper: regenerate migration 0001 from planflow/models.py.

Only while nothing has been released: once a schema ships, add a new revision instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

root = Path(__file__).resolve().parents[1] / "planflow" / "migrations"
target = root / "versions" / "0001_initial.py"
target.unlink(missing_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    cfg = Config()
    cfg.set_main_option("script_location", str(root))
    cfg.attributes["url"] = f"sqlite:///{tmp}/empty.db"
    command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
generated = next((root / "versions").glob("0001_*.py"))
generated.rename(target)
print(f"wrote {target}")
