"""What the global options set, shared by every command module."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from planflow.config import Settings, load_settings


@dataclass
class State:
    db: str | None = None
    lang: str | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.db, self.lang)
        return self._settings

    @property
    def url(self) -> str:
        return self.settings.database_url


state = State()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
