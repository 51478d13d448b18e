// The participant's code lives in this browser's localStorage, so reloads, chapter changes and server
// restarts find the same person with nothing to type. The kernel makes new codes and checks typed ones;
// this only remembers. "new" asks the kernel for a fresh code.

const KEY = "alliance-workbook.participant";

function read() {
  try {
    return window.localStorage.getItem(KEY);
  } catch (error) {
    return null; // storage disabled: the code then lasts as long as the page
  }
}

function write(code) {
  try {
    window.localStorage.setItem(KEY, code);
  } catch (error) {
    // nothing more to do: the page still works, the code is shown to the person
  }
}

export default {
  render({ model, el }) {
    el.classList.add("wb-identity");
    if (window.__workbookLeaving) {
      return undefined; // the page is being left: its kernel connection is already gone (see the template)
    }
    const remember = () => {
      const code = model.get("participant");
      if (code && code !== "new") {
        write(code);
      }
    };
    // Leaving (reload, closed tab): ask the kernel to write what is still waiting, before it is shut down.
    const leaving = () => model.send({ event: "leaving" });
    model.on("change:participant", remember);
    window.addEventListener("workbook:leaving", leaving);
    if (!model.get("participant")) {
      model.set("participant", read() || "new");
      model.save_changes();
    } else {
      remember();
    }
    return () => {
      model.off("change:participant", remember);
      window.removeEventListener("workbook:leaving", leaving);
    };
  },
};
