// A plotly chart as an anywidget. plotly.js (4.8 MB, ~1.4 MB gzipped) is not sent with the widget (that is
// what makes FigureWidget heavy): it is loaded once per page from the workbook's server, only when a chart
// is shown, and cached by the browser after that. The figure itself is the `spec` trait (JSON).

function loadPlotly(url) {
  if (!window.__workbookPlotly) {
    window.__workbookPlotly = new Promise((resolve, reject) => {
      if (window.Plotly) {
        resolve(window.Plotly);
        return;
      }
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.__workbookPlotly = null;
        reject(new Error(`could not load ${url}`));
      };
      document.head.appendChild(script);
    });
  }
  return window.__workbookPlotly;
}

// Below this width (a phone), the chart's type is smaller, its margins narrower and its long words wrapped:
// plotly.js wraps neither titles nor labels, so at a desktop's sizes they ran past a 320 px screen.
const NARROW = 480;
const TOOLBAR = 34; // plotly.js's toolbar, in pixels

function wrap(text, limit) {
  // Break a label into lines of at most `limit` characters, at spaces (plotly.js draws <br> as a new line).
  if (typeof text !== "string" || text.length <= limit) {
    return text;
  }
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join("<br>");
}

function fitted(spec, width) {
  const layout = spec.layout || {};
  if (!width || width >= NARROW) {
    return { data: spec.data, layout };
  }
  const size = 12;
  const title = layout.title || {};
  const titleText = wrap(title.text, Math.floor(width / (13 * 0.58)));
  const titleLines = typeof titleText === "string" && titleText ? titleText.split("<br>").length : 0;
  const margin = layout.margin || {};
  // A legend above the plot wraps to one row per entry.
  const legend = layout.legend && layout.showlegend !== false ? spec.data.length * 19 : 0;
  // Category labels beside horizontal bars take the chart's width from the bars: wrap them.
  const data = spec.data.map((trace) =>
    trace.orientation === "h" && Array.isArray(trace.y)
      ? { ...trace, y: trace.y.map((label) => wrap(label, 14)) }
      : trace,
  );
  return {
    data,
    layout: {
      ...layout,
      font: { ...(layout.font || {}), size },
      title: {
        ...title,
        text: titleText,
        font: { ...(title.font || {}), size: 13 },
        yref: "container",
        y: 1,
        yanchor: "top",
        pad: { t: TOOLBAR }, // below the toolbar (its camera saves the chart), which sits over the title
      },
      margin: {
        ...margin,
        l: Math.min(margin.l ?? 60, 44),
        r: Math.min(margin.r ?? 20, 16),
        t: TOOLBAR + titleLines * 17 + legend + 14,
      },
    },
  };
}

export default {
  async render({ model, el }) {
    el.classList.add("wb-chart-plot");
    let listening = false;
    let drawnWidth = 0; // the width the chart was last laid out for
    let pending = true; // a figure is waiting to be drawn (the element had no width yet)
    const draw = async () => {
      const spec = model.get("spec");
      if (!spec.data || spec.data.length === 0) {
        pending = false;
        return; // nothing to show yet: do not load plotly.js for an empty chart
      }
      const width = el.clientWidth;
      if (width === 0) {
        // Not on screen yet (a chapter being put in place): plotly.js would lay it out 700 px wide, past
        // a phone's edge. The observer below draws it once it has a width.
        pending = true;
        return;
      }
      pending = false;
      drawnWidth = width;
      const Plotly = await loadPlotly(model.get("plotly_url"));
      const figure = fitted(spec, width);
      await Plotly.react(el, figure.data, figure.layout, model.get("config"));
      if (el._fullLayout && Math.abs(el._fullLayout.width - el.clientWidth) > 1) {
        await Plotly.Plots.resize(el);
      }
      if (model.get("clickable") && !listening) {
        // A click names the point under the pointer: the figure's invisible grid makes every place a point.
        el.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point && !window.__workbookLeaving) {
            model.send({ type: "click", x: point.x, y: point.y });
          }
        });
        listening = true;
      }
    };
    const redraw = () =>
      draw().catch((error) => {
        el.textContent = model.get("fallback_text"); // plotly.js could not be loaded
        console.warn(error);
      });
    model.on("change:spec", redraw);
    // The chart follows its box: shown for the first time, a phone turned, a window resized.
    const resized = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width === 0 || (!pending && Math.abs(width - drawnWidth) <= 1)) {
        return;
      }
      redraw();
    });
    resized.observe(el);
    await redraw();
    return () => {
      resized.disconnect();
      model.off("change:spec", redraw);
      if (window.Plotly) {
        window.Plotly.purge(el);
      }
    };
  },
};
