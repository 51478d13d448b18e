// A first phone call whose phrases can be marked (chapter 03), as an anywidget. The kernel sends the
// turns; the person marks phrases with the mouse or the keyboard (Tab to a phrase, Space or Enter to mark);
// the marked ids go back to the kernel, which later sends the result of a check (found, missed, extra) for
// each phrase. Text is only ever set with textContent: nothing from the data is parsed as HTML.

export default {
  render({ model, el }) {
    el.classList.add("wb-transcript");
    const phrases = new Map();

    const send = () => {
      if (window.__workbookLeaving) {
        return;
      }
      const marked = [];
      for (const [id, node] of phrases) {
        if (node.getAttribute("aria-checked") === "true") {
          marked.push(id);
        }
      }
      model.set("marked", marked);
      model.save_changes();
    };

    const toggle = (node) => {
      node.setAttribute("aria-checked", node.getAttribute("aria-checked") === "true" ? "false" : "true");
      send();
    };

    const build = () => {
      el.replaceChildren();
      phrases.clear();
      const labels = model.get("speakers");
      for (const turn of model.get("turns")) {
        const row = document.createElement("div");
        row.className = `wb-turn wb-turn-${turn.speaker}`;
        const who = document.createElement("span");
        who.className = "wb-speaker";
        who.textContent = labels[turn.speaker] || turn.speaker;
        const words = document.createElement("p");
        for (const phrase of turn.phrases) {
          const node = document.createElement("span");
          node.textContent = phrase.text;
          if (phrase.markable) {
            node.className = "wb-phrase";
            node.dataset.phrase = phrase.id;
            node.setAttribute("role", "checkbox");
            node.setAttribute("tabindex", "0");
            node.setAttribute("aria-checked", "false");
            node.addEventListener("click", () => toggle(node));
            node.addEventListener("keydown", (event) => {
              if (event.key === " " || event.key === "Enter") {
                event.preventDefault();
                toggle(node);
              }
            });
            phrases.set(phrase.id, node);
          }
          words.append(node, " ");
        }
        row.append(who, words);
        el.append(row);
      }
      showMarks();
      showResults();
    };

    const showMarks = () => {
      const marked = new Set(model.get("marked"));
      for (const [id, node] of phrases) {
        node.setAttribute("aria-checked", marked.has(id) ? "true" : "false");
      }
    };

    const showResults = () => {
      const results = model.get("results");
      const names = model.get("result_labels");
      for (const [id, node] of phrases) {
        node.classList.remove("wb-found", "wb-missed", "wb-extra");
        const state = results[id];
        if (state) {
          node.classList.add(`wb-${state}`);
          node.title = names[state] || "";
        } else {
          node.removeAttribute("title");
        }
      }
    };

    model.on("change:turns", build);
    model.on("change:marked", showMarks);
    model.on("change:results", showResults);
    build();
    return () => {
      model.off("change:turns", build);
      model.off("change:marked", showMarks);
      model.off("change:results", showResults);
    };
  },
};
