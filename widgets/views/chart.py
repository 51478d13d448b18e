"""Show a chart spec (``widgets.figures``) in the page.

Served by the workbook's server (``make start``), a chart is a small anywidget that loads plotly.js from
that server the first time a chart appears, so pages without a chart never download it. Elsewhere
(JupyterLab, nbval) it is a plotly mimetype output, drawn by the jupyterlab-plotly extension.
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from widgets import figures


def _anywidget_chart():
    import anywidget
    import traitlets

    from widgets._assets import ASSETS

    class Chart(anywidget.AnyWidget):
        _esm = ASSETS / "js" / "chart.js"
        spec = traitlets.Dict(help="The plotly figure: {'data': [...], 'layout': {...}}.").tag(sync=True)
        config = traitlets.Dict(help="plotly.js config (toolbar, PNG download).").tag(sync=True)
        plotly_url = traitlets.Unicode(help="Where the browser loads plotly.js from.").tag(sync=True)
        fallback_text = traitlets.Unicode(help="Shown if plotly.js cannot be loaded.").tag(sync=True)

    return Chart


class ChartView(w.VBox):
    """One chart whose figure can be replaced (``show``)."""

    def __init__(self, fallback_text: str = "") -> None:
        url = os.environ.get(figures.PLOTLY_URL_VARIABLE)
        if url:
            self._chart: Any = _anywidget_chart()(
                config=figures.PLOT_CONFIG, plotly_url=url, fallback_text=fallback_text
            )
        else:
            self._chart = w.Output()
        super().__init__([self._chart])
        self.add_class("wb-chart")
        self.spec: figures.Spec | None = None

    def show(self, spec: figures.Spec) -> None:
        self.spec = spec
        if isinstance(self._chart, w.Output):
            self._chart.outputs = (figures.as_output(spec),)
        else:
            self._chart.spec = spec
