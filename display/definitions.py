"""The definitions of the figures (docs/metrics.md), by section, for the page that shows them."""

from __future__ import annotations

import functools
from pathlib import Path

METRICS = Path(__file__).resolve().parent.parent / "docs" / "metrics.md"


@functools.cache
def sections() -> dict[str, str]:
    """docs/metrics.md's level-2 sections by title, each section's text without its heading."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in METRICS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = found.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return {title: "\n".join(lines).strip() for title, lines in found.items()}


def for_page(titles: tuple[str, ...]) -> str:
    """The named sections as one markdown text: each title and its subsections in bold, not as
    headings, so the page's own headings stay the only ones on it."""
    return "\n\n".join(f"**{title}**\n\n{_unheaded(sections()[title])}" for title in titles)


def _unheaded(text: str) -> str:
    return "\n".join(f"**{line.lstrip('#').strip()}**" if line.startswith("#") else line for line in text.splitlines())
