// proctor exam room: the live clock, saving each click, keyboard keys, and the drag-and-drop
// ordering and matching widgets. The pages work without it (every button is a form submit,
// ordering and matching are selects); this only saves sooner, counts down, and builds the
// widgets on top of the selects, which stay the fields the form posts.
"use strict";
(function () {
  const form = document.getElementById("question");
  const save = document.getElementById("save");

  // After a widget saved (the page is drawn again by the server), which element gets the
  // focus back and what the polite status line says about the saved state.
  const WIDGET = "proctor-widget";
  const remembered = (() => {
    const text = sessionStorage.getItem(WIDGET);
    sessionStorage.removeItem(WIDGET);
    try { return text ? JSON.parse(text) : null; } catch (_) { return null; }
  })();

  // Saves the form as it stands; the server answers with the page as it now is.
  const submit = (after) => {
    if (after) sessionStorage.setItem(WIDGET, JSON.stringify(after));
    form.requestSubmit(save);
  };

  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const button = (text, label, id, onClick) => {
    const b = make("button", "dnd-button", text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    if (id) b.id = id;
    b.addEventListener("click", onClick);
    return b;
  };

  // Drag with pointer events (mouse, pen and touch alike): press on `item`, move past a few
  // pixels, release over an element marked `data-drop` inside `root`. A press that does not
  // move stays a click; presses on the item's tool buttons are never drags. The page-wide
  // listeners (not pointer capture) keep a click on a button inside the item a click.
  const draggable = (item, root, onDrop) => {
    item.addEventListener("pointerdown", (down) => {
      if (down.button !== 0 || down.target.closest("button:not(.dnd-choose)")) return;
      const startX = down.clientX;
      const startY = down.clientY;
      let ghost = null;
      let over = null;
      const target = (x, y) => {
        const hit = document.elementFromPoint(x, y);
        const drop = hit && hit.closest("[data-drop]");
        return drop && root.contains(drop) ? drop : null;
      };
      const move = (event) => {
        if (!ghost) {
          if (Math.abs(event.clientX - startX) + Math.abs(event.clientY - startY) < 6) return;
          ghost = item.cloneNode(true);
          ghost.querySelectorAll(".dnd-tools").forEach((n) => n.remove());
          ghost.querySelectorAll("[id]").forEach((n) => n.removeAttribute("id"));
          ghost.removeAttribute("id");
          ghost.classList.add("dnd-ghost");
          ghost.setAttribute("aria-hidden", "true");
          document.body.appendChild(ghost);
          item.classList.add("dnd-dragging");
        }
        event.preventDefault();
        ghost.style.transform = "translate(" + (event.clientX + 10) + "px, " + (event.clientY + 10) + "px)";
        const now = target(event.clientX, event.clientY);
        if (now !== over) {
          if (over) over.classList.remove("dnd-over");
          over = now;
          if (over) over.classList.add("dnd-over");
        }
      };
      const end = (event, dropped) => {
        document.removeEventListener("pointermove", move);
        document.removeEventListener("pointerup", up);
        document.removeEventListener("pointercancel", cancel);
        document.removeEventListener("keydown", escape, true);
        if (over) over.classList.remove("dnd-over");
        item.classList.remove("dnd-dragging");
        if (!ghost) return;
        ghost.remove();
        // The click that may follow the release is part of the drag, not a choice.
        const swallow = (click) => { click.preventDefault(); click.stopPropagation(); };
        document.addEventListener("click", swallow, { capture: true, once: true });
        setTimeout(() => document.removeEventListener("click", swallow, { capture: true }), 0);
        if (dropped) {
          const drop = target(event.clientX, event.clientY);
          if (drop) onDrop(drop);
        }
      };
      const up = (event) => end(event, true);
      const cancel = (event) => end(event, false);
      // Escape drops nothing.
      const escape = (event) => { if (event.key === "Escape") { event.preventDefault(); end(event, false); } };
      document.addEventListener("keydown", escape, true);
      document.addEventListener("pointermove", move);
      document.addEventListener("pointerup", up);
      document.addEventListener("pointercancel", cancel);
    });
  };

  // The help line and the polite status line every widget has.
  const frame = (fieldset, kind, help) => {
    const root = make("div", "dnd " + kind);
    const helpLine = make("p", "dnd-help", help);
    helpLine.id = kind + "-help";
    const status = make("p", "dnd-status");
    status.id = kind + "-status";
    status.setAttribute("aria-live", "polite");
    root.append(helpLine);
    fieldset.classList.add("enhanced");
    fieldset.append(root, status);
    return { root, status };
  };

  // Says something about the saved state once the page is drawn (a little later, so that
  // screen readers notice the change of the live region).
  const announce = (status, text) => {
    setTimeout(() => { status.textContent = text; }, 150);
  };

  // Ordering: the steps not used on the left, "Your order" on the right.
  let letterKey = null;
  const ordering = (fieldset) => {
    const selects = Array.from(fieldset.querySelectorAll(".fallback select"));
    if (!selects.length || selects.some((s) => s.disabled)) return;
    const need = selects.length;
    const steps = Array.from(fieldset.querySelectorAll("ul.steps li[data-letter]")).map((li) => ({
      letter: li.dataset.letter,
      text: li.querySelector(".text").textContent,
      // The server's own markup, copied: a step holding a code block keeps its <pre>.
      node: li.querySelector(".text"),
    }));
    const order = selects.map((s) => s.value).filter((v) => v);
    const { root, status } = frame(
      fieldset,
      "ordering",
      "Drag steps into Your order, or use the buttons. In Your order, the Up and Down arrow keys move the focused step and Delete takes it out; a step's letter adds it.",
    );
    const commit = (next, letter, focus) => {
      selects.forEach((s, i) => { s.value = next[i] || ""; });
      status.textContent = "Saving...";
      submit({ kind: "ordering", letter, focus });
    };
    const place = (letter, at) => {
      const next = order.filter((l) => l !== letter);
      if (!order.includes(letter) && next.length >= need) {
        status.textContent = "Your order has " + need + " places: take a step out first.";
        return;
      }
      next.splice(Math.max(0, Math.min(at, next.length)), 0, letter);
      commit(next, letter, "order-item-" + letter);
    };
    const remove = (letter) => {
      const next = order.filter((l) => l !== letter);
      commit(next, letter, "order-add-" + letter);
    };
    const columns = make("div", "dnd-columns");
    const poolBox = make("section", "dnd-box");
    poolBox.append(make("h3", "", "Steps"));
    const pool = make("ul", "dnd-list dnd-pool");
    pool.dataset.drop = "pool";
    pool.setAttribute("aria-label", "Steps not in your order");
    const listBox = make("section", "dnd-box");
    listBox.append(make("h3", "", "Your order (" + need + " steps)"));
    const list = make("ol", "dnd-list dnd-order");
    list.dataset.drop = "order";
    list.dataset.index = String(need);
    list.setAttribute("aria-label", "Your order");
    const card = (step, className) => {
      const li = make("li", "dnd-item " + className);
      li.dataset.letter = step.letter;
      li.append(make("span", "letter", step.letter + "."), " ", step.node.cloneNode(true));
      return li;
    };
    steps.filter((s) => !order.includes(s.letter)).forEach((step) => {
      const li = card(step, "");
      li.id = "order-pool-" + step.letter;
      const tools = make("span", "dnd-tools");
      tools.append(button("Add", "Add step " + step.letter + " to your order", "order-add-" + step.letter, () => place(step.letter, order.length)));
      li.append(tools);
      draggable(li, root, (drop) => { if (drop.dataset.drop === "order") place(step.letter, Number(drop.dataset.index)); });
      pool.append(li);
    });
    if (!pool.children.length) pool.append(make("li", "dnd-empty", "Every step is in your order."));
    order.forEach((letter, i) => {
      const step = steps.find((s) => s.letter === letter);
      if (!step) return;
      const li = card(step, "placed");
      li.id = "order-item-" + letter;
      li.tabIndex = 0;
      li.dataset.drop = "order";
      li.dataset.index = String(i);
      li.setAttribute("aria-label", "Place " + (i + 1) + " of " + need + ": step " + letter + ". " + step.text);
      li.setAttribute("aria-describedby", "ordering-help");
      const tools = make("span", "dnd-tools");
      tools.append(
        button("Up", "Move step " + letter + " up", null, () => place(letter, i - 1)),
        button("Down", "Move step " + letter + " down", null, () => place(letter, i + 1)),
        button("Remove", "Take step " + letter + " out of your order", null, () => remove(letter)),
      );
      li.append(tools);
      li.addEventListener("keydown", (event) => {
        if (event.target !== li || event.ctrlKey || event.metaKey || event.altKey) return;
        if (event.key === "ArrowUp" && i > 0) { event.preventDefault(); place(letter, i - 1); }
        else if (event.key === "ArrowDown" && i < order.length - 1) { event.preventDefault(); place(letter, i + 1); }
        else if (event.key === "Delete" || event.key === "Backspace") { event.preventDefault(); remove(letter); }
      });
      draggable(li, root, (drop) => {
        if (drop.dataset.drop === "pool") remove(letter);
        else if (drop.dataset.drop === "order") place(letter, Number(drop.dataset.index));
      });
      list.append(li);
    });
    for (let i = order.length; i < need; i++) {
      const slot = make("li", "dnd-slot", "Place " + (i + 1) + ": drop a step here");
      slot.dataset.drop = "order";
      slot.dataset.index = String(i);
      list.append(slot);
    }
    poolBox.append(pool);
    listBox.append(list);
    columns.append(poolBox, listBox);
    root.append(columns);
    letterKey = (letter) => {
      if (!steps.some((s) => s.letter === letter)) return false;
      if (!order.includes(letter)) place(letter, order.length);
      return true;
    };
    if (remembered && remembered.kind === "ordering") {
      const at = order.indexOf(remembered.letter);
      announce(status, at >= 0
        ? "Saved: step " + remembered.letter + " is at place " + (at + 1) + " of " + need + "."
        : "Saved: step " + remembered.letter + " is not in your order.");
      const focus = document.getElementById(remembered.focus) || document.getElementById("order-item-" + remembered.letter) || list.querySelector("li.placed") || pool.querySelector("button");
      if (focus) focus.focus();
    }
  };

  // Matching: choose an item (or drag a response onto it), then its response.
  const matching = (fieldset) => {
    const labels = Array.from(fieldset.querySelectorAll(".fallback label[data-number]"));
    const selects = labels.map((l) => l.querySelector("select"));
    if (!selects.length || selects.some((s) => !s || s.disabled)) return;
    const responses = Array.from(fieldset.querySelectorAll("ul.steps li[data-letter]")).map((li) => ({
      letter: li.dataset.letter,
      text: li.querySelector(".text").textContent,
    }));
    const textOf = (letter) => (responses.find((r) => r.letter === letter) || { text: "" }).text;
    const { root, status } = frame(
      fieldset,
      "matching",
      "Drag a response onto an item, or choose an item and then its response (a click, Enter, or the response's letter).",
    );
    let picked = null;
    const commit = (number, letter) => {
      selects[number - 1].value = letter;
      status.textContent = "Saving...";
      submit({ kind: "matching", number, focus: "match-prompt-" + number });
    };
    const columns = make("div", "dnd-columns");
    const promptBox = make("section", "dnd-box");
    promptBox.append(make("h3", "", "Items"));
    const prompts = make("ol", "dnd-list dnd-prompts");
    const pickButtons = [];
    labels.forEach((label, i) => {
      const number = i + 1;
      const text = label.querySelector(".text").textContent;
      const matched = selects[i].value;
      const li = make("li", "dnd-prompt" + (matched ? " matched" : ""));
      li.dataset.drop = "prompt";
      li.dataset.number = String(number);
      const pick = make("button", "dnd-pick");
      pick.type = "button";
      pick.id = "match-prompt-" + number;
      pick.setAttribute("aria-pressed", "false");
      pick.append(make("span", "number", number + ". "), make("span", "text", text));
      const slot = make("span", "dnd-slot-text", matched ? "Matched: " + matched + ". " + textOf(matched) : "Not matched yet");
      slot.id = "match-slot-" + number;
      pick.setAttribute("aria-describedby", slot.id);
      pick.addEventListener("click", () => {
        const on = picked !== number;
        pickButtons.forEach((b) => b.setAttribute("aria-pressed", "false"));
        picked = on ? number : null;
        pick.setAttribute("aria-pressed", String(on));
        status.textContent = on ? "Item " + number + " chosen: now choose its response." : "No item chosen.";
      });
      pickButtons.push(pick);
      li.append(pick, slot);
      if (matched) {
        const tools = make("span", "dnd-tools");
        tools.append(button("Clear", "Clear the match of item " + number, "match-clear-" + number, () => commit(number, "")));
        li.append(tools);
      }
      prompts.append(li);
    });
    const responseBox = make("section", "dnd-box");
    responseBox.append(make("h3", "", "Responses"));
    const list = make("ul", "dnd-list dnd-responses");
    const choose = (letter) => {
      if (picked === null) {
        status.textContent = "Choose an item first, then its response.";
        return;
      }
      commit(picked, letter);
    };
    responses.forEach((r) => {
      const li = make("li", "dnd-item");
      li.dataset.letter = r.letter;
      const b = make("button", "dnd-choose");
      b.type = "button";
      b.id = "match-response-" + r.letter;
      b.append(make("span", "letter", r.letter + "."), " ", make("span", "text", r.text));
      b.addEventListener("click", () => choose(r.letter));
      li.append(b);
      draggable(li, root, (drop) => commit(Number(drop.dataset.number), r.letter));
      list.append(li);
    });
    promptBox.append(prompts);
    responseBox.append(list);
    columns.append(promptBox, responseBox);
    root.append(columns);
    letterKey = (letter) => {
      if (!responses.some((r) => r.letter === letter) || picked === null) return false;
      choose(letter);
      return true;
    };
    if (remembered && remembered.kind === "matching") {
      const n = remembered.number;
      const value = selects[n - 1] ? selects[n - 1].value : "";
      announce(status, value ? "Saved: item " + n + " is matched to " + value + ". " + textOf(value) + "." : "Saved: item " + n + " is not matched.");
      const focus = document.getElementById(remembered.focus);
      if (focus) focus.focus();
    }
  };

  // Every choice is saved at once (the server answers with the page as it now stands).
  if (form && save) {
    form.querySelectorAll("fieldset.ordering").forEach(ordering);
    form.querySelectorAll("fieldset.matching").forEach(matching);
    form.addEventListener("change", (event) => {
      // The "how sure" mark goes with the answer, on its next save.
      if (event.target.name === "sure") return;
      if (event.target.matches("input, select")) {
        // Multiple response: saved once the stem's number of options is chosen (or none).
        const group = event.target.closest("fieldset[data-select]");
        // Until then the status line under the options says so, and what was saved before
        // for the question stays saved (the server refuses two of three boxes, too).
        if (group && event.target.type === "checkbox") {
          const chosen = group.querySelectorAll("input[type=checkbox]:checked").length;
          const need = Number(group.dataset.select);
          const status = group.querySelector(".select-status");
          if (chosen !== 0 && chosen !== need) {
            if (status) {
              status.textContent = chosen + " of " + need + " chosen: choose exactly " + need +
                " to save this answer. Until then, what was saved before for this question stays.";
            }
            return;
          }
          if (status) status.textContent = "";
        }
        sessionStorage.setItem("proctor-focus", event.target.name + "=" + event.target.value);
        form.requestSubmit(save);
      }
    });
    const focus = sessionStorage.getItem("proctor-focus");
    sessionStorage.removeItem("proctor-focus");
    if (focus) {
      const [name, value] = focus.split("=");
      const input = Array.from(form.elements).find((e) => e.name === name && (e.value === value || e.tagName === "SELECT"));
      if (input) input.focus();
    }
    // Right-click an option to strike it out.
    form.querySelectorAll(".option").forEach((option) => {
      option.addEventListener("contextmenu", (event) => {
        const strike = option.querySelector("button.strike");
        if (strike) { event.preventDefault(); form.requestSubmit(strike); }
      });
    });
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target;
      if (target.matches("select, textarea, input[type=number], input[type=text]")) return;
      const click = (id) => { const b = document.getElementById(id); if (b && !b.disabled) { event.preventDefault(); form.requestSubmit(b); } };
      if (event.key === "ArrowRight") return click("next");
      if (event.key === "ArrowLeft") return click("prev");
      if (event.key === "F" && event.shiftKey) return click("flag");
      if (/^[a-zA-Z]$/.test(event.key) && !event.shiftKey) {
        const letter = event.key.toUpperCase();
        const input = form.querySelector('input[name="choice"][value="' + letter + '"]');
        if (input && !input.disabled) { event.preventDefault(); input.click(); }
        else if (letterKey && letterKey(letter)) event.preventDefault();
        else if (letter === "F") click("flag");
      }
    });
  }

  // A start form the server refused: the focus goes to the field that is wrong (marked
  // invalid and described by the message), or else to the message beside its form, so a
  // screen reader reads what was wrong first.
  const problem = document.querySelector("p.message[id$='-error']");
  if (problem) {
    const wrong = document.querySelector("[aria-invalid=true]");
    if (wrong) wrong.focus();
    else { problem.tabIndex = -1; problem.focus(); }
  }

  // The clock: the server's time remaining when the page was drawn, counted down here.
  // At zero the page reloads, and the server (which ends the attempt at its deadline on
  // its own) shows the report. The clock itself is not a live region; the warnings are
  // (30 minutes politely, 5 and 1 minutes assertively), and the pace cue says only changes.
  const timer = document.getElementById("timer");
  const clock = document.getElementById("clock");
  const notice = document.getElementById("notice");
  const warning = document.getElementById("warning");
  const pace = document.getElementById("pace");
  if (timer && clock) {
    const end = performance.now() + Number(timer.dataset.remainingMs);
    const marks = [30, 5, 1];
    let warned = marks.filter((m) => Number(timer.dataset.remainingMs) <= m * 60000);
    const pad = (n) => String(n).padStart(2, "0");
    const tick = () => {
      const left = Math.max(0, end - performance.now());
      const s = Math.ceil(left / 1000);
      clock.textContent = Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
      for (const m of marks) {
        if (left <= m * 60000 && !warned.includes(m)) {
          warned.push(m);
          const text = m + (m === 1 ? " minute" : " minutes") + " remaining.";
          if (m === 30) { if (notice) notice.textContent = text; }
          else {
            if (notice) notice.textContent = "";
            if (warning) warning.textContent = text;
          }
        }
      }
      if (pace) {
        // As exam::clock::behind_pace: the time left (plus one question's) would not cover
        // the questions not yet complete.
        const per = Number(pace.dataset.perQuestionMs);
        const behind = left + per < per * Number(pace.dataset.incomplete);
        const text = behind ? "Behind pace" : "On pace";
        if (pace.textContent !== text) pace.textContent = text;
      }
      if (left <= 5 * 60000) timer.classList.add("low");
      if (left <= 0) { window.location.replace(window.location.pathname); return; }
      setTimeout(tick, Math.min(1000, left + 50));
    };
    tick();
  }
})();
