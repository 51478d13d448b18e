"""Show a chart spec (``widgets.figures``) in the page.

Served by the workbook's server (``make start``), a chart is a small anywidget that loads plotly.js from
that server the first time a chart appears, so pages without a chart never download it. Elsewhere
(JupyterLab, nbval) it is a plotly mimetype output, drawn by the jupyterlab-plotly extension. With
``on_click``, a click on the chart reaches Python as ``(x, y)`` — only through the anywidget, one small
message per click (a FigureWidget would ship plotly.js over the websocket for that).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from widgets import figures

Click = Callable[[float, float], None]


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
        clickable = traitlets.Bool(False, help="Send clicks on the plot to the kernel.").tag(sync=True)

    return Chart


class ChartView(w.VBox):
    """One chart whose figure can be replaced (``show``)."""

    def __init__(
        self, fallback_text: str = "", config: dict[str, Any] | None = None, on_click: Click | None = None
    ) -> None:
        url = os.environ.get(figures.PLOTLY_URL_VARIABLE)
        self.config = {**figures.PLOT_CONFIG, **(config or {})}
        self._on_click = on_click
        if url:
            self._chart: Any = _anywidget_chart()(
                config=self.config,
                plotly_url=url,
                fallback_text=fallback_text,
                clickable=on_click is not None,
            )
            self._chart.on_msg(self._message)
        else:
            self._chart = w.Output()
        super().__init__([self._chart])
        self.add_class("wb-chart")
        self.spec: figures.Spec | None = None

    @property
    def clickable(self) -> bool:
        """Whether clicks reach the kernel here (not in JupyterLab's mimetype rendering)."""
        return self._on_click is not None and not isinstance(self._chart, w.Output)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "click" or self._on_click is None:
            return
        x, y = content.get("x"), content.get("y")
        # Only a point of the plot: numbers, finite (a forged message may carry NaN, Infinity, text, true).
        if all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (x, y)):
            self._on_click(float(x), float(y))

    def show(self, spec: figures.Spec) -> None:
        self.spec = spec
        if isinstance(self._chart, w.Output):
            self._chart.outputs = (figures.as_output(spec, self.config),)
        else:
            self._chart.spec = spec
