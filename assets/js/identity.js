// The participant's code lives in this browser's localStorage, so reloads, chapter changes and server
// restarts find the same person with nothing to type. The kernel makes new codes and checks typed ones;
// this only remembers. "new" asks the kernel for a fresh code.

// The workshop room joined ("CODE|display name") is remembered the same way: the join link writes it, the
// kernel checks it (a closed or unknown room is forgotten).

const KEY = "alliance-workbook.participant";
const ROOM_KEY = "alliance-workbook.room";

function read(key = KEY) {
  try {
    return window.localStorage.getItem(key);
  } catch (error) {
    return null; // storage disabled: the code then lasts as long as the page
  }
}

function write(code, key = KEY) {
  try {
    if (code) {
      window.localStorage.setItem(key, code);
    } else {
      window.localStorage.removeItem(key);
    }
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
    const rememberRoom = () => write(model.get("room"), ROOM_KEY);
    // Leaving (reload, closed tab): ask the kernel to write what is still waiting, before it is shut down.
    const leaving = () => model.send({ event: "leaving" });
    model.on("change:participant", remember);
    model.on("change:room", rememberRoom);
    window.addEventListener("workbook:leaving", leaving);
    if (!model.get("participant")) {
      model.set("participant", read() || "new");
      const room = read(ROOM_KEY);
      if (room) {
        model.set("room", room);
      }
      model.save_changes();
    } else {
      remember();
    }
    return () => {
      model.off("change:participant", remember);
      model.off("change:room", rememberRoom);
      window.removeEventListener("workbook:leaving", leaving);
    };
  },
};
