"""The browser floor: a bare Streamlit multipage app shaped like the app, served like it.

Its navigation is the app's (ui.navigation.PAGES: the same titles, sections, icons and addresses,
in the sidebar, 总览 the default), and each page draws its title and as many plotly charts and
st.dataframe tables as the real page drew (counted by bench.pages with AppTest), with the floor
pages' elements (bench.pages.FLOOR_ELEMENTS). No login, no filters, no banner: what a page costs
in Chromium and on the server with no app around it. The same page config (wide layout) and
server options (.streamlit/config.toml: bench.server starts it from the repository) as the app.

Given each page's other elements too (bench.pages.other_elements: texts, headings, alerts,
buttons, inputs, expanders, counted from its AppTest), the floor pages draw as many plain ones of
each kind after the charts and tables: the matched floor, for information beside the bare one —
how much of a page's time is what it shows rather than how the app draws it.
"""

from __future__ import annotations

from pathlib import Path

from bench.pages import FLOOR_ELEMENTS, FLOOR_IMPORTS
from bench.server import StreamlitServer

MAIN = '''"""Bare floor app for the benchmark: the app's navigation, no login, no filters."""
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.navigation({{
{sections}}}).run()
'''
PAGE = '''"""Bare floor page for the benchmark: {title}, {charts} plotly charts and {tables} tiny tables."""
{imports}
st.title({title!r})
{elements}{others}'''
# One plain element of each kind of bench.pages.OTHER_KINDS (format field: i, the element's number).
OTHER_ELEMENTS = {
    "text": 'st.caption("说明{i}：数据截至2026年11月20日，口径见本页“口径说明”。")',
    "heading": 'st.subheader("小标题{i}")',
    "alert": 'st.info("提示{i}：本页数据仅供内部工作使用。")',
    "button": 'st.button("按钮{i}", key="button_{i}")',
    "input": 'st.text_input("输入{i}", key="input_{i}")',
    "expander": 'st.expander("展开{i}")',
}


def other_elements_code(others: dict[str, int]) -> str:
    return "".join(OTHER_ELEMENTS[kind].format(i=i) + "\n" for kind, count in others.items() for i in range(count))


def write_floor_app(
    folder: Path, shapes: dict[str, tuple[int, int]], others: dict[str, dict[str, int]] | None = None
) -> Path:
    """The floor app's main script in `folder`, with one page per page of the app; `shapes` maps
    each page key to the (charts, tables) the real page draws, `others` (the matched floor) to
    how many of its other elements of each kind."""
    from ui.navigation import PAGES

    folder.mkdir(parents=True, exist_ok=True)
    sections: dict[str, list[str]] = {}
    for number, spec in enumerate(PAGES):
        charts, tables = shapes[spec.key]
        # Not named after its address (Streamlit's implicit routing; see ui.navigation).
        page = folder / f"{spec.key}_floor.py"
        page.write_text(
            PAGE.format(
                title=spec.title,
                charts=charts,
                tables=tables,
                imports=FLOOR_IMPORTS,
                elements=FLOOR_ELEMENTS.format(charts=charts, tables=tables),
                others=other_elements_code(others[spec.key]) if others else "",
            ),
            encoding="utf-8",
        )
        sections.setdefault(spec.section, []).append(
            f"st.Page({str(page)!r}, title={spec.title!r}, icon={spec.icon!r}, url_path={spec.key!r}"
            + (", default=True)" if number == 0 else ")")
        )
    main = folder / "floor_app.py"
    main.write_text(
        MAIN.format(
            sections="".join(
                f"    {name!r}: [\n" + "".join(f"        {p},\n" for p in pages) + "    ],\n"
                for name, pages in sections.items()
            )
        ),
        encoding="utf-8",
    )
    return main


class FloorServer(StreamlitServer):
    """The floor app written to `work` and served on loopback; nothing to log in to."""

    login = False

    def __init__(self, work: Path, shapes: dict[str, tuple[int, int]], others: dict[str, dict[str, int]] | None = None):
        work.mkdir(parents=True, exist_ok=True)
        self.script = write_floor_app(work / "floor_app", shapes, others)
        super().__init__(str(self.script), work / "server.log")
