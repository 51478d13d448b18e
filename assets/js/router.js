// The app's router (an anywidget): keeps the kernel's `route` and the page's URL fragment in step, so that
// links like <a href="#fr/01-…">, the back and forward buttons and a reload all land on the right chapter
// without loading a page or starting a kernel. It also keeps <html lang> and the tab title in step.

function hashRoute() {
  return decodeURIComponent(window.location.hash.replace(/^#\/?/, ""));
}

// What ipywidgets' DOM leaves out for assistive technology and the keyboard, completed wherever a widget
// appears (the app draws chapters as they are opened): a slider's handle (role "slider") is named by the
// slider's description; radio buttons share one name (one Tab stop, the arrow keys move the choice), and
// their box is a radiogroup named by the description.
let labelCount = 0;

function labelId(label) {
  if (!label.id) {
    labelCount += 1;
    label.id = `wb-label-${labelCount}`;
  }
  return label.id;
}

function completeWidgets(root) {
  for (const handle of root.querySelectorAll(".widget-slider .noUi-handle:not([aria-labelledby])")) {
    const label = handle.closest(".widget-slider").querySelector(":scope > .widget-label");
    if (label && label.textContent.trim()) {
      handle.setAttribute("aria-labelledby", labelId(label));
    }
  }
  for (const box of root.querySelectorAll(".widget-radio-box")) {
    const label = box.parentElement.querySelector(":scope > .widget-label");
    if (!box.hasAttribute("role")) {
      box.setAttribute("role", "radiogroup");
      if (label && label.textContent.trim()) {
        box.setAttribute("aria-labelledby", labelId(label));
      }
    }
    const name = `${labelId(label || box)}-choice`;
    for (const radio of box.querySelectorAll("input[type=radio]:not([name])")) {
      radio.name = name; // ipywidgets redraws the buttons when the options change: named again here
    }
  }
}

let completing = false;
const completer = new MutationObserver(() => {
  if (!completing) {
    completing = true;
    requestAnimationFrame(() => {
      completing = false;
      completeWidgets(document);
    });
  }
});

export default {
  render({ model, el }) {
    el.classList.add("wb-router");

    const fromHash = () => {
      const route = hashRoute();
      if (route && route !== model.get("route") && !window.__workbookLeaving) {
        model.set("route", route);
        model.save_changes();
      }
    };

    const fromModel = () => {
      const route = model.get("route");
      if (route && hashRoute() !== route) {
        // The kernel chose or corrected the route: show it in the address bar, as one history entry.
        const url = new URL(window.location.href);
        url.hash = route;
        window.history.replaceState(null, "", url);
      }
      document.documentElement.lang = model.get("lang");
      document.title = model.get("title");
      // On a phone the chapter list is one row that scrolls sideways: bring the current chapter into view.
      // (The kernel sets the title after it has drawn the header of the new chapter.)
      requestAnimationFrame(() => {
        const current = document.querySelector('.wb-chapters a[aria-current="page"]');
        const row = current && current.closest("ol");
        if (row && row.scrollWidth > row.clientWidth) {
          row.scrollLeft += current.getBoundingClientRect().left - row.getBoundingClientRect().left - 12;
        }
      });
    };

    const onRouteChange = () => {
      fromModel();
      const scroller = document.getElementById("rendered_cells");
      if (scroller) {
        scroller.scrollTop = 0;
      }
    };

    completeWidgets(document);
    completer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("hashchange", fromHash);
    model.on("change:route", onRouteChange);
    model.on("change:lang change:title", fromModel);
    // On load, the address bar wins (a reload or a shared link); without a fragment, the kernel's route.
    if (hashRoute()) {
      fromHash();
    }
    fromModel();
    return () => {
      completer.disconnect();
      window.removeEventListener("hashchange", fromHash);
      model.off("change:route", onRouteChange);
      model.off("change:lang change:title", fromModel);
    };
  },
};
