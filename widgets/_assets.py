"""Locate and read the files under ``assets/`` (content is data, never code)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
WORKBOOKS = ROOT / "workbooks"


@cache
def load_json(relative: str) -> Any:
    """Return the parsed JSON file at ``assets/<relative>`` (cached: assets do not change while serving)."""
    with (ASSETS / relative).open(encoding="utf-8") as handle:
        return json.load(handle)


def settings() -> dict[str, Any]:
    """The workbook-wide limits and language list."""
    return load_json("content/settings.json")
