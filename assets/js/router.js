// The app's router (an anywidget): keeps the kernel's `route` and the page's URL fragment in step, so that
// links like <a href="#fr/01-…">, the back and forward buttons and a reload all land on the right chapter
// without loading a page or starting a kernel. It also keeps <html lang> and the tab title in step.

function hashRoute() {
  return decodeURIComponent(window.location.hash.replace(/^#\/?/, ""));
}

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

    window.addEventListener("hashchange", fromHash);
    model.on("change:route", onRouteChange);
    model.on("change:lang change:title", fromModel);
    // On load, the address bar wins (a reload or a shared link); without a fragment, the kernel's route.
    if (hashRoute()) {
      fromHash();
    }
    fromModel();
    return () => {
      window.removeEventListener("hashchange", fromHash);
      model.off("change:route", onRouteChange);
      model.off("change:lang change:title", fromModel);
    };
  },
};
