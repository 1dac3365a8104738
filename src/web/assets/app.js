// proctor exam room: the live clock, saving each click, keyboard keys. The pages work
// without it (every button is a form submit); this only saves sooner and counts down.
"use strict";
(function () {
  const form = document.getElementById("question");
  const save = document.getElementById("save");

  // Every choice is saved at once (the server answers with the page as it now stands).
  if (form && save) {
    form.addEventListener("change", (event) => {
      // The "how sure" mark goes with the answer, on its next save.
      if (event.target.name === "sure") return;
      if (event.target.matches("input, select")) {
        // Multiple response: saved once the stem's number of options is chosen (or none).
        const group = event.target.closest("fieldset[data-select]");
        if (group && event.target.type === "checkbox") {
          const chosen = group.querySelectorAll("input[type=checkbox]:checked").length;
          if (chosen !== 0 && chosen !== Number(group.dataset.select)) return;
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
      if (event.ctrlKey || event.metaKey || event.altKey) return;
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
        else if (letter === "F") click("flag");
      }
    });
  }

  // The clock: the server's time remaining when the page was drawn, counted down here.
  // At zero the page reloads, and the server (which ends the attempt at its deadline on
  // its own) shows the report.
  const timer = document.getElementById("timer");
  const clock = document.getElementById("clock");
  const warning = document.getElementById("warning");
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
          if (warning) warning.textContent = m + (m === 1 ? " minute" : " minutes") + " remaining.";
        }
      }
      if (left <= 5 * 60000) timer.classList.add("low");
      if (left <= 0) { window.location.replace(window.location.pathname); return; }
      setTimeout(tick, Math.min(1000, left + 50));
    };
    tick();
  }
})();
