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

// The kernel is asked every few seconds whether it still answers (a small "ping" custom message). A killed
// kernel, a stopped server or a lost network then gets a line at the bottom of the page, in the page's
// language: what was saved is kept, what was typed since may not be, reload when it comes back.
const PING_MS = 5000;
const LOST_MS = 16000;

function notice(model, key) {
  const notices = model.get("notices") || {};
  const lang = document.documentElement.lang;
  const strings = notices[lang] || notices[Object.keys(notices)[0]] || {};
  return strings[key] || "";
}

function banner() {
  let line = document.querySelector(".wb-connection");
  if (!line) {
    line = document.createElement("div");
    line.className = "wb-connection";
    line.setAttribute("role", "alert");
    line.style.cssText =
      "position:fixed;left:0;right:0;bottom:0;z-index:1000;padding:0.75em 1em;background:#7a2e0e;" +
      "color:#fff;font-weight:600;text-align:center;display:none";
    document.body.appendChild(line);
  }
  return line;
}

function show(line, text, state) {
  line.textContent = text; // words from the catalog, set as text: never parsed as HTML
  line.dataset.state = state;
  line.style.display = text ? "block" : "none";
}

function watchConnection(model) {
  let waitingSince = null; // when the oldest unanswered ping left (a hidden tab's slowed timers are no loss)
  let number = 0;
  let hideLater = null;
  const line = banner();
  const state = () => line.dataset.state || "";
  const onMessage = (content) => {
    if (!content || content.event !== "pong") {
      return;
    }
    waitingSince = null;
    if (state() === "lost" && navigator.onLine) {
      show(line, notice(model, "reconnected"), "reconnected");
      clearTimeout(hideLater);
      hideLater = setTimeout(() => state() === "reconnected" && show(line, "", ""), 6000);
    }
  };
  const ping = () => {
    if (window.__workbookLeaving) {
      return;
    }
    if (!navigator.onLine) {
      if (state() !== "offline") {
        show(line, notice(model, "offline"), "offline");
      }
    } else if (waitingSince !== null && Date.now() - waitingSince > LOST_MS && state() !== "lost") {
      show(line, notice(model, "connection_lost"), "lost");
    }
    if (waitingSince === null) {
      waitingSince = Date.now();
    }
    // Jupyter's kernel connection gives up after a few reconnections spread over about a minute (a random
    // back-off): a cut longer than that would leave the page dead for good. While the page says the
    // connection is lost and the network is back, ask for a fresh connection at every ping.
    const kernel = model.widget_manager && model.widget_manager.kernel;
    if (state() === "lost" && navigator.onLine && kernel && kernel.connectionStatus === "disconnected") {
      try {
        Promise.resolve(kernel.reconnect()).catch(() => {});
      } catch (error) {
        // a kernel that is really gone (killed, server stopped): the line keeps saying to reload
      }
    }
    try {
      number += 1;
      model.send({ event: "ping", n: number });
    } catch (error) {
      // the kernel connection is gone: the line above says so once the answers stop
    }
  };
  const offline = () => show(line, notice(model, "offline"), "offline");
  const online = () => {
    if (state() === "offline") {
      show(line, "", "");
    }
    ping();
  };
  model.on("msg:custom", onMessage);
  window.addEventListener("offline", offline);
  window.addEventListener("online", online);
  const timer = setInterval(ping, PING_MS);
  return () => {
    clearInterval(timer);
    clearTimeout(hideLater);
    model.off("msg:custom", onMessage);
    window.removeEventListener("offline", offline);
    window.removeEventListener("online", online);
  };
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
    const stopWatching = watchConnection(model);
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
      stopWatching();
    };
  },
};
