"""Chart builders. Each returns a plotly figure *spec* (the JSON that ``go.Figure.to_plotly_json`` gives), not
a ``go.Figure``: importing ``plotly.graph_objects`` costs each kernel about 2 s and 37 MB (measured here, see
``benchmarks/``), for objects that are only turned into this JSON. The specs are rendered in the browser by
the plotly mimetype renderer (plotly.js served once as a static asset) — never a FigureWidget, which ships
plotly.js per instance. ``tests/unit/test_figures.py`` validates every spec with plotly's own schema.
"""

from __future__ import annotations

from typing import Any

from widgets.factors import factor_ids
from widgets.i18n import catalog

ACCENT = "#1d6f6a"
WARM = "#b3541e"
INK = "#1f2a33"
GRID = "#e6e9ec"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif'
MIMETYPE = "application/vnd.plotly.v1+json"
#: Set by ``widgets.server`` for the kernels it starts: where the browser loads plotly.js from.
PLOTLY_URL_VARIABLE = "WORKBOOK_PLOTLY_URL"
NBSP = "\u00a0"

#: Passed to the renderer: a small toolbar whose one useful button downloads a PNG, made in the browser.
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "pan2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

Spec = dict[str, Any]


def factors_chart(guess: dict[str, int], reference: dict[str, int], lang: str) -> Spec:
    """Grouped horizontal bars: the participant's shares beside Lambert's, one row per factor."""
    strings = catalog(lang)
    ids = list(reversed(factor_ids()))  # plotly draws the first category at the bottom
    labels = [strings(f"factors.labels.{key}") for key in ids]

    def bars(name: str, values: dict[str, int], color: str) -> Spec:
        return {
            "type": "bar",
            "name": name,
            "orientation": "h",
            "y": labels,
            "x": [values[key] for key in ids],
            "marker": {"color": color},
            "text": [f"{values[key]}{NBSP}%" for key in ids],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": f"%{{y}}: %{{x}}{NBSP}%<extra>{name}</extra>",
        }

    return {
        "data": [
            bars(strings("factors.lambert"), reference, WARM),
            bars(strings("factors.yours"), guess, ACCENT),
        ],
        "layout": {
            "title": {
                "text": strings("factors.chart_title"),
                "font": {"size": 16},
                "x": 0,
                "xanchor": "left",
            },
            "barmode": "group",
            "height": 380,
            "margin": {"l": 10, "r": 40, "t": 90, "b": 50},
            "font": {"family": FONT, "size": 14, "color": INK},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "reversed"},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "xaxis": {"range": [0, 105], "title": {"text": strings("factors.axis_share")}, "gridcolor": GRID},
            "yaxis": {"automargin": True},
        },
    }


def as_output(spec: Spec) -> dict[str, Any]:
    """``spec`` as a ``display_data`` output, ready for an ``Output`` widget's ``outputs``."""
    title = spec.get("layout", {}).get("title", {}).get("text", "plotly figure")
    return {
        "output_type": "display_data",
        "data": {MIMETYPE: {**spec, "config": PLOT_CONFIG}, "text/plain": title},
        "metadata": {},
    }
