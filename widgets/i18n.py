"""UI strings per language, read from ``assets/i18n/<lang>.json``.

Keys are dotted paths (``"factors.reveal"``). A missing key raises ``KeyError`` rather than showing a
half-translated page: ``tests/unit/test_content.py`` checks that both catalogs have every key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from widgets._assets import load_json, settings


def languages() -> tuple[str, ...]:
    """The supported languages, primary first."""
    return tuple(settings()["languages"])


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise ``ValueError`` naming the supported ones."""
    if lang not in languages():
        raise ValueError(f"unsupported language {lang!r}; expected one of {languages()}")
    return lang


@dataclass(frozen=True)
class Chapter:
    """One chapter as the navigation sees it."""

    number: str
    slug: str
    title: str
    summary: str
    lang: str

    @property
    def route(self) -> str:
        """The chapter's address inside the app: ``fr/01-pourquoi-l-alliance``."""
        return f"{self.lang}/{self.slug}"

    @property
    def path(self) -> str:
        """Path under ``workbooks/``, as Voila's ``/voila/render/<path>`` expects."""
        return f"{self.route}.ipynb"


class Catalog:
    """The strings of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self._data: dict[str, Any] = load_json(f"i18n/{lang}.json")

    def raw(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"{self.lang}: no string {key!r}")
            node = node[part]
        return node

    def __call__(self, key: str, **values: Any) -> str:
        """The string at ``key``, with ``{name}`` placeholders filled from ``values``."""
        text = self.raw(key)
        if not isinstance(text, str):
            raise KeyError(f"{self.lang}: {key!r} is a group, not a string")
        return text.format(**values) if values else text

    def chapters(self) -> list[Chapter]:
        """Every chapter of this language, in order."""
        return [
            Chapter(number, entry["slug"], entry["title"], entry["summary"], self.lang)
            for number, entry in sorted(self._data["chapters"].items())
        ]


def catalog(lang: str) -> Catalog:
    """The catalog for ``lang`` (``"fr"`` or ``"en"``)."""
    return Catalog(lang)


def flatten(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(dotted_key, leaf)`` for every leaf of a catalog (used by the completeness tests)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix, node
