// The facilitator's dashboard and the projector: they follow the room live (a long poll that the server
// answers as soon as something changes), and the dashboard's controls post the facilitator's choices.
// Everything shown comes from the server already rendered and escaped (assets/facilitator/*.j2): this
// script never puts a participant's words into the page itself.
(function () {
  "use strict";
  const root = document.querySelector("[data-room]");
  if (!root) {
    return;
  }
  const base = root.dataset.base;
  const room = root.dataset.room;
  const audience = root.dataset.audience;
  const area = document.getElementById("fa-debrief");
  const problem = document.querySelector(".fa-live-problem");
  let version = root.dataset.version;
  let filter = "";

  function xsrf() {
    const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function post(path, body) {
    const response = await fetch(`${base}facilitator/room/${room}/${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-XSRFToken": xsrf() },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${response.status}`);
    }
    return response.json();
  }

  function applyFilter() {
    for (const card of area.querySelectorAll(".fa-wall .fa-card")) {
      card.hidden = filter !== "" && !card.dataset.criteria.includes(` ${filter} `);
    }
    for (const button of area.querySelectorAll(".fa-filter")) {
      button.setAttribute("aria-pressed", String(button.dataset.criterion === filter));
    }
  }

  function show(state) {
    version = state.version;
    area.innerHTML = state.html; // rendered and escaped by the server's templates
    if (audience === "dashboard") {
      const reveal = document.querySelector(".fa-reveal");
      reveal.dataset.revealed = String(state.revealed);
      reveal.textContent = state.revealed ? state.labels.conceal : state.labels.reveal;
      document.querySelector(".fa-approved-only").checked = state.approved_only;
      // The picker's options follow what was sent (new items, counts), unless the facilitator is in it.
      const picker = document.querySelector(".fa-shown");
      if (state.choices_html !== picker.dataset.choices && document.activeElement !== picker) {
        picker.innerHTML = state.choices_html; // rendered and escaped by the server's templates
        picker.dataset.choices = state.choices_html;
        picker.value = state.shown;
      }
      applyFilter();
    }
  }

  async function follow() {
    for (;;) {
      try {
        const response = await fetch(
          `${base}facilitator/room/${room}/live?audience=${audience}&since=${encodeURIComponent(version)}`,
          { credentials: "same-origin", cache: "no-store" },
        );
        if (response.status === 403 || response.status === 404) {
          window.location.reload(); // signed out, or the room was deleted: the page says which
          return;
        }
        if (!response.ok) {
          throw new Error(`${response.status}`);
        }
        problem.hidden = true;
        const state = await response.json();
        if (state.version !== version) {
          show(state);
        }
      } catch (error) {
        problem.hidden = false;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  if (audience === "dashboard") {
    document.querySelector(".fa-shown").addEventListener("change", (event) => {
      filter = "";
      post("state", { shown: event.target.value }).then(show).catch(() => (problem.hidden = false));
    });
    document.querySelector(".fa-reveal").addEventListener("click", (event) => {
      const revealed = event.currentTarget.dataset.revealed !== "true";
      post("state", { revealed }).then(show).catch(() => (problem.hidden = false));
    });
    document.querySelector(".fa-approved-only").addEventListener("change", (event) => {
      post("state", { approved_only: event.target.checked }).then(show).catch(() => (problem.hidden = false));
    });
    area.addEventListener("click", (event) => {
      const target = event.target.closest("button");
      if (!target) {
        return;
      }
      if (target.classList.contains("fa-filter")) {
        filter = target.dataset.criterion;
        applyFilter();
      } else if (target.dataset.post) {
        target.disabled = true;
        const body = { [target.dataset.flag]: target.dataset.value === "true" };
        post(`posts/${target.dataset.post}`, body).then(show).catch(() => (problem.hidden = false));
      }
    });
  }
  follow();
})();
