"""Chart builders. Each returns a plotly figure *spec* (the JSON that ``go.Figure.to_plotly_json`` gives), not
a ``go.Figure``: importing ``plotly.graph_objects`` costs each kernel about 2 s and 37 MB (measured here, see
``benchmarks/``), for objects that are only turned into this JSON. The specs are rendered in the browser by
the plotly mimetype renderer (plotly.js served once as a static asset) — never a FigureWidget, which ships
plotly.js per instance. ``tests/unit/test_figures.py`` validates every spec with plotly's own schema.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from widgets.factors import factor_ids
from widgets.i18n import catalog

if TYPE_CHECKING:
    from widgets.scaling import ScaleChart

ACCENT = "#1d6f6a"
WARM = "#b3541e"
INK = "#1f2a33"
GRID = "#e6e9ec"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif'
MIMETYPE = "application/vnd.plotly.v1+json"
#: Set by ``widgets.server`` for the kernels it starts: where the browser loads plotly.js from.
PLOTLY_URL_VARIABLE = "WORKBOOK_PLOTLY_URL"
NBSP = "\u00a0"


def percent(value: object, lang: str) -> str:
    """``40 %`` in French (a no-break space before the sign), ``40%`` in English."""
    return f"{value}{NBSP}%" if lang == "fr" else f"{value}%"


#: Passed to the renderer: a toolbar with one button, which downloads a PNG made in the browser. plotly.js 3
#: also shows by default a "Share chart..." button that uploads the figure — a participant's answers — to
#: cloud.plotly.com: off, and with no address to send to. Zooming charts with fixed axes is no use.
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": [
        "sendChartToCloud",
        "zoom2d",
        "pan2d",
        "select2d",
        "lasso2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "resetScale2d",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

Spec = dict[str, Any]


def factors_chart(guess: dict[str, int], reference: dict[str, int], lang: str) -> Spec:
    """Grouped horizontal bars: the participant's shares beside Lambert's, one row per factor."""
    strings = catalog(lang)
    colon = "\u202f:" if lang == "fr" else ":"
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
            "text": [percent(values[key], lang) for key in ids],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": f"%{{y}}{colon} {percent('%{x}', lang)}<extra>{name}</extra>",
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


def half(value: float, lang: str = "en") -> str:
    """A scale value as people write it: ``4``, ``4.5`` (``4,5`` in French)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fr" else text


def scaling_chart(chart: ScaleChart, lang: str, title: str = "") -> Spec:
    """The client's scale across sessions: a line of points whose notes show on hover, the good-enough
    level as a dashed line, and an invisible grid of targets so that a click anywhere on the chart names a
    session and a value (``widgets/views/chart.py`` forwards it)."""
    from widgets.scaling import MAX_SESSIONS, SCALE_MAX, SCALE_MIN

    t = catalog(lang)
    sessions = chart.sessions
    empty = t("scaling.no_note")

    def note(session: int, which: str) -> str:
        # Hover labels understand a few HTML tags: what a person typed is escaped first.
        return escape(chart.notes.get(session, {}).get(which, "")) or empty

    grid_x = [session for session in range(1, MAX_SESSIONS + 1) for _ in range(int(SCALE_MAX) + 1)]
    grid_y = [value for _ in range(1, MAX_SESSIONS + 1) for value in range(int(SCALE_MAX) + 1)]
    hover = (
        # %{text} is the value as the page's language writes it (4,5 in French; plotly would say 4.5).
        f"{escape(t('scaling.axis_session'))} %{{x}}\u202f: %{{text}}<br>"
        f"{escape(t('scaling.note_not_zero_short'))} %{{customdata[0]}}<br>"
        f"{escape(t('scaling.note_next_sign_short'))} %{{customdata[1]}}<extra></extra>"
    )
    if lang == "en":
        hover = hover.replace("\u202f: ", ": ")
    data: list[Spec] = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "grid",
            "x": grid_x,
            "y": grid_y,
            "marker": {"size": 26, "opacity": 0, "color": ACCENT},
            "hoverinfo": "none",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "lines+markers+text",
            "name": t("scaling.trace_name"),
            "x": sessions,
            "y": [chart.points[session] for session in sessions],
            "text": [half(chart.points[session], lang) for session in sessions],
            "textposition": "top center",
            "textfont": {"size": 14, "color": INK},
            "customdata": [[note(session, "not_zero"), note(session, "next_sign")] for session in sessions],
            "hovertemplate": hover,
            "marker": {"size": 13, "color": ACCENT, "line": {"color": "#ffffff", "width": 2}},
            "line": {"color": ACCENT, "width": 3},
            "showlegend": False,
        },
    ]
    shapes: list[Spec] = []
    annotations: list[Spec] = []
    if chart.good_enough is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": chart.good_enough,
                "y1": chart.good_enough,
                "line": {"color": WARM, "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "x": 1,
                "y": chart.good_enough,
                "text": escape(t("scaling.good_enough_line", value=half(chart.good_enough, lang))),
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"color": WARM, "size": 13},
            }
        )
    return {
        "data": data,
        "layout": {
            "title": {"text": escape(title), "font": {"size": 16}, "x": 0, "xanchor": "left"},
            "height": 440,
            "margin": {"l": 60, "r": 20, "t": 60, "b": 55},
            "font": {"family": FONT, "size": 14, "color": INK},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "showlegend": False,
            "hovermode": "closest",
            "clickmode": "event",
            "dragmode": False,
            "xaxis": {
                "range": [0.5, MAX_SESSIONS + 0.5],
                "dtick": 1,
                "title": {"text": escape(t("scaling.axis_session"))},
                "gridcolor": GRID,
                "fixedrange": True,
                "zeroline": False,
            },
            "yaxis": {
                "range": [SCALE_MIN - 0.5, SCALE_MAX + 0.8],
                "dtick": 1,
                "title": {"text": escape(t("scaling.axis_scale"))},
                "gridcolor": GRID,
                "fixedrange": True,
                "zeroline": False,
            },
            "shapes": shapes,
            "annotations": annotations,
        },
    }


def checkin_chart(
    values: list[int], cutoff: int, maximum: int, flagged: dict[int, str], lang: str, title: str = ""
) -> Spec:
    """One series of chapter 05's check-in (an item, or the total) across sessions: the line, the cut-off as
    a dashed line, and each session with an alert marked by a larger triangle and its reason in words on
    hover (a shape and words, not colour alone). ``flagged`` maps a session number to that reason."""
    t = catalog(lang)
    sessions = list(range(1, len(values) + 1))
    marked = [session for session in sessions if session in flagged]
    axis_session = escape(t("checkin.axis_session"))
    colon = ":" if lang == "en" else "\u202f:"
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "name": escape(title),
                "x": sessions,
                "y": values,
                "text": [str(value) for value in values],
                "textposition": "top center",
                "textfont": {"size": 13, "color": INK},
                "marker": {"size": 11, "color": ACCENT, "line": {"color": "#ffffff", "width": 2}},
                "line": {"color": ACCENT, "width": 3},
                "hovertemplate": f"{axis_session} %{{x}}{colon} %{{y}}<extra></extra>",
                "showlegend": False,
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": escape(t("checkin.alert_trace")),
                "x": marked,
                "y": [values[session - 1] for session in marked],
                "customdata": [escape(flagged[session]) for session in marked],
                "marker": {"size": 19, "symbol": "triangle-down-open", "color": WARM, "line": {"width": 3}},
                "hovertemplate": "%{customdata}<extra></extra>",
                "showlegend": False,
            },
        ],
        "layout": {
            "title": {"text": escape(title), "font": {"size": 16}, "x": 0, "xanchor": "left"},
            "height": 360,
            "margin": {"l": 50, "r": 16, "t": 56, "b": 50},
            "font": {"family": FONT, "size": 14, "color": INK},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "showlegend": False,
            "hovermode": "closest",
            "dragmode": False,
            "xaxis": {
                "range": [0.5, len(values) + 0.5],
                "dtick": 1,
                "title": {"text": axis_session},
                "gridcolor": GRID,
                "fixedrange": True,
                "zeroline": False,
            },
            "yaxis": {
                "range": [-0.5, maximum + maximum / 12],
                "dtick": 2 if maximum <= 10 else 5,
                "gridcolor": GRID,
                "fixedrange": True,
                "zeroline": False,
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": cutoff,
                    "y1": cutoff,
                    "line": {"color": WARM, "width": 2, "dash": "dash"},
                }
            ],
            "annotations": [
                {
                    "xref": "paper",
                    "x": 1,
                    "y": cutoff,
                    "text": escape(t("checkin.cutoff_line", value=cutoff)),
                    "showarrow": False,
                    "xanchor": "right",
                    "yanchor": "top",
                    "font": {"color": WARM, "size": 13},
                }
            ],
        },
    }


def as_output(spec: Spec, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """``spec`` as a ``display_data`` output, ready for an ``Output`` widget's ``outputs``."""
    title = spec.get("layout", {}).get("title", {}).get("text", "plotly figure")
    return {
        "output_type": "display_data",
        "data": {MIMETYPE: {**spec, "config": config or PLOT_CONFIG}, "text/plain": title},
        "metadata": {},
    }
