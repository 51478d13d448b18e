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

export default {
  async render({ model, el }) {
    el.classList.add("wb-chart-plot");
    let listening = false;
    const draw = async () => {
      const spec = model.get("spec");
      if (!spec.data || spec.data.length === 0) {
        return; // nothing to show yet: do not load plotly.js for an empty chart
      }
      const Plotly = await loadPlotly(model.get("plotly_url"));
      await Plotly.react(el, spec.data, spec.layout || {}, model.get("config"));
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
    model.on("change:spec", draw);
    try {
      await draw();
    } catch (error) {
      el.textContent = model.get("fallback_text");
      console.warn(error);
    }
    return () => {
      model.off("change:spec", draw);
      if (window.Plotly) {
        window.Plotly.purge(el);
      }
    };
  },
};
