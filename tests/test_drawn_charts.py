"""A page's chart goes to the browser as the same JSON, its figure turned into a dict once."""

import plotly.graph_objects as go
import plotly.io
from plotly.basedatatypes import BaseFigure

from tests.demo_app_fixture import demo_app_env, open_page  # noqa: F401


def test_a_page_rerun_sends_the_same_charts_without_copying_their_figures_again(demo_app_env, monkeypatch):
    at = open_page("pages/funds_page.py", year=2025)
    first = [c.proto.spec for c in at.get("plotly_chart")]
    copies = []
    real = BaseFigure.to_dict

    def counted(fig):
        copies.append(type(fig))
        return real(fig)

    monkeypatch.setattr(BaseFigure, "to_dict", counted)
    at.run()
    assert not at.exception and len(first) == 2
    assert [c.proto.spec for c in at.get("plotly_chart")] == first and copies == []


def test_a_drawn_figure_reads_as_its_figure():
    from ui.widgets import _Drawn

    fig = go.Figure(go.Bar(x=["东城街道", "金山镇"], y=[3, 4], text=["3 件", "4 件"]), layout={"title": "信访"})
    drawn = _Drawn(fig)
    assert isinstance(drawn, BaseFigure) and drawn.to_dict() is drawn.to_dict()
    assert plotly.io.to_json(drawn.to_dict(), validate=False) == plotly.io.to_json(fig.to_dict(), validate=False)
