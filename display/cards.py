"""Headline cards: a label, the figure, and a note with the figure's status in its colour.

A row is one HTML element (a grid), every text escaped (a note can quote ledger text).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from warehouse.status import Status

# Coloured text, not emoji: the server's fonts (and many office PCs) have no colour emoji.
# The colours are the light theme's :green/:orange/:red text colours (read in Chromium).
TEXT_COLOURS = {"绿": "rgb(12, 90, 68)", "黄": "rgb(155, 69, 25)", "红": "rgb(158, 48, 59)"}


@dataclass(frozen=True)
class Card:
    """A headline figure: label, value, then target / 完成率 / 序时进度 and its red/yellow/green mark."""

    label: str
    value: str
    note: str = ""
    mark: Status | None = None  # its status (warehouse.status); 灰 shows none
    compare: str = ""  # 较去年同期, a line of its own below the note


# Drawn as the bordered containers they replaced looked (theme border, 8 px radius, bold label,
# 24 px value, 14 px grey note; 较去年同期 a grey line of its own); one column per card. On a phone
# the cards are compact, two to a row: label, figure and status word (the page opens with the
# summary sentence, widgets.phone_summary). In the style every page draws once (ui.widgets), not
# in each row: a row's own copy was a style sheet more for the browser to apply.
CARD_CSS = """
.kpi-row{display:grid;gap:1rem;margin-bottom:1rem}
.kpi{border:1px solid rgb(220,216,212);border-radius:.5rem;padding:calc(1rem - 1px)}
.kpi-label{font-weight:600;line-height:1.6}
.kpi-value{font-size:1.5rem;font-weight:600;line-height:1.2;margin:.75rem 0 .5rem}
.kpi-note{font-size:.875rem;line-height:1.5;color:rgba(47,45,43,.6)}
.kpi-compare{margin-top:.25rem}
@media (max-width:640px){
  .kpi-row{grid-template-columns:1fr 1fr !important;gap:.5rem;margin-bottom:.5rem}
  .kpi{padding:.5rem .6rem}
  .kpi-label{font-size:.85rem;line-height:1.3}
  .kpi-value{font-size:1.05rem;margin:.25rem 0}
  .kpi-detail,.kpi-compare{display:none}
}
"""


def card_row_html(row: tuple[Card, ...] | list[Card]) -> str:
    """The row's HTML; every text escaped (a note can quote ledger text)."""

    def one(card: Card) -> str:
        color = TEXT_COLOURS.get(card.mark.level) if card.mark else None
        mark = f'<span style="color:{color}">● {html.escape(card.mark.word)}</span> ' if color else ""
        detail = f'<span class="kpi-detail">{html.escape(card.note)}</span>' if card.note else ""
        note = f'<div class="kpi-note">{mark}{detail}</div>' if card.note or mark else ""
        if card.compare:
            note += f'<div class="kpi-note kpi-compare">{html.escape(card.compare)}</div>'
        return (
            f'<div class="kpi"><div class="kpi-label">{html.escape(card.label)}</div>'
            f'<div class="kpi-value">{html.escape(card.value)}</div>{note}</div>'
        )

    columns = f"grid-template-columns:repeat({len(row)},minmax(0,1fr))"
    return f'<div class="kpi-row" style="{columns}">{"".join(one(card) for card in row)}</div>'


def summary(rows) -> str:
    """The cards in one paragraph, for a phone's first screen: "征地完成面积 879.21 亩（略低于序时进度）；…。"
    Each card's own figure and status word, nothing else."""
    parts = [
        f"{card.label} {card.value}"
        + (f"（{card.mark.word}）" if card.mark and card.mark.level in TEXT_COLOURS else "")
        for row in rows
        for card in row
    ]
    return "；".join(parts) + "。"
