"""Plotly figure builders. Each returns a ``go.Figure`` (rendered by the plotly mimetype renderer, whose
JavaScript is served once as a static asset) — never a FigureWidget, which ships plotly.js per instance."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from widgets.factors import factor_ids
from widgets.i18n import catalog

if TYPE_CHECKING:
    import plotly.graph_objects as go

ACCENT = "#1d6f6a"
WARM = "#b3541e"
INK = "#1f2a33"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif'

#: Passed to the renderer: a small toolbar whose one useful button downloads a PNG, made in the browser.
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "pan2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def factors_chart(guess: dict[str, int], reference: dict[str, int], lang: str) -> go.Figure:
    """Grouped horizontal bars: the participant's shares beside Lambert's, one row per factor."""
    import plotly.graph_objects as go

    strings = catalog(lang)
    ids = list(reversed(factor_ids()))  # plotly draws the first category at the bottom
    labels = [strings(f"factors.labels.{key}") for key in ids]

    def bars(name: str, values: dict[str, int], color: str) -> go.Bar:
        return go.Bar(
            name=name,
            y=labels,
            x=[values[key] for key in ids],
            orientation="h",
            marker_color=color,
            text=[f"{values[key]}\u00a0%" for key in ids],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}\u00a0%<extra>" + name + "</extra>",
        )

    figure = go.Figure(
        [
            bars(strings("factors.lambert"), reference, WARM),
            bars(strings("factors.yours"), guess, ACCENT),
        ]
    )
    figure.update_layout(
        title={"text": strings("factors.chart_title"), "font": {"size": 16}, "x": 0, "xanchor": "left"},
        barmode="group",
        height=380,
        margin={"l": 10, "r": 40, "t": 90, "b": 50},
        font={"family": FONT, "size": 14, "color": INK},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "reversed"},
        template="none",  # the default template adds ~10 KB of styling to every figure sent
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        xaxis={"range": [0, 105], "title": strings("factors.axis_share"), "gridcolor": "#e6e9ec"},
        yaxis={"automargin": True},
    )
    return figure


MIMETYPE = "application/vnd.plotly.v1+json"


def as_output(figure: go.Figure) -> dict[str, Any]:
    """``figure`` as a ``display_data`` output, ready for an ``Output`` widget's ``outputs`` (rendered by the
    plotly mimetype renderer in Voila and JupyterLab; no FigureWidget, no kernel round-trip to redraw)."""
    spec = json.loads(figure.to_json())
    spec["config"] = PLOT_CONFIG
    title = figure.layout.title.text or "plotly figure"
    return {
        "output_type": "display_data",
        "data": {MIMETYPE: spec, "text/plain": title},
        "metadata": {},
    }
