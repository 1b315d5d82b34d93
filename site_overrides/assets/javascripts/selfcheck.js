/* Self-check pages: saves answers, sends them to the scoring worker, shows its report.
   All scoring and the report's HTML come from the Python engine; this file only wires the
   form. One worker per tab, started by selfcheck-loader.js on the first check page and kept
   across instant navigation (the JS context survives page changes). Each check is sent to the
   worker once, then only its id and the answers; the protocol is described in selfcheck-worker.js. */

const MAX_IMPORT_BYTES = 64 * 1024;
const MAX_SAVED_CHARS = 64 * 1024;
const SHARE_PREFIX = "#answers=";
const UNREADABLE_SUFFIX = ":unreadable";

/* Answers as the engine takes them: a plain object of question id → option id, both strings.
   Nothing else reaches the worker (a deeply nested value cannot even be posted to it). */
function isAnswers(value) {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value) &&
    Object.values(value).every((option) => typeof option === "string");
}

/* Saved text as {answers}, or {answers: {}, problem} saying why it cannot be used. */
function parseSaved(raw) {
  const unusable = (problem) => ({ answers: {}, problem });
  if (raw.length > MAX_SAVED_CHARS) return unusable(`they are larger than ${MAX_SAVED_CHARS / 1024} KB.`);
  let saved;
  try {
    saved = JSON.parse(raw);
  } catch {
    return unusable("they are damaged (not valid JSON).");
  }
  if (!saved || typeof saved !== "object" || !isAnswers(saved.answers)) {
    return unusable("they are not a list of answers (each answer must be one option id).");
  }
  return { answers: saved.answers };
}

/* A value from a file or the browser's store, for a message; never throws (JSON can hold an
   object whose toString is not a function, which String() and templates throw on). */
function describe(value) {
  if (typeof value === "string") return value.length > 60 ? `${value.slice(0, 60)}…` : value;
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : typeof value;
}

let worker = null;
let runtimeState = "idle"; // idle | loading | ready | error
let runtimeText = "";
let runtimeStarted = ""; // snapshot | boot: how the worker started Python
let seq = 0;
const controllers = new Set();
const loaded = new Set(); // "<id>:v<version>" of the checks the worker holds

/* The loader started the worker and kept its first messages; take it over. */
function attachRuntime() {
  if (worker || !window.selfCheckRuntime) return;
  const runtime = window.selfCheckRuntime;
  worker = runtime.worker;
  runtimeState = "loading";
  runtimeText = "Starting…";
  if (!worker || runtime.failure) {
    fail(runtime.failure || "the scoring worker could not start");
    return;
  }
  worker.onmessage = (event) => handle(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message || "the scoring worker could not start");
  };
  runtime.early.splice(0).forEach(handle);
}

function handle(message) {
  if (message.type === "progress") {
    runtimeText = message.text;
    update();
  } else if (message.type === "ready") {
    runtimeState = "ready";
    runtimeStarted = message.started;
    update();
  } else if (message.type === "failed") {
    fail(message.text);
  } else if (message.type === "result") {
    controllers.forEach((controller) => controller.receive(message));
  }
}

function fail(reason) {
  runtimeState = "error";
  runtimeText = reason;
  update();
}

function update() {
  controllers.forEach((controller) => {
    if (!controller.form.isConnected) {
      controllers.delete(controller);
    } else {
      controller.runtimeChanged();
    }
  });
}

class CheckForm {
  constructor(form) {
    this.form = form;
    this.check = form.querySelector("[data-check-data]").getAttribute("data-check-data");
    const compiled = JSON.parse(this.check);
    this.id = compiled.id;
    this.version = compiled.version;
    this.options = new Map(compiled.questions.map((question) => [question.id, question.options.map((option) => option.id)]));
    this.storageKey = `selfcheck:${this.id}:v${this.version}`;
    this.body = form.querySelector("[data-result-body]");
    this.message = form.querySelector("[data-check-message]");
    this.latest = 0;
    this.shown = false;
    this.unreadable = null; // saved text that could not be used, kept until it is copied aside
    this.answers = this.restore();
    this.fill();
    form.querySelector("[data-check-tools]").hidden = false;
    form.addEventListener("change", (event) => this.changed(event));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("click", (event) => this.clicked(event));
  }

  restore() {
    const saved = this.readSaved();
    const notes = [];
    if (saved.problem) {
      notes.push(`Your saved answers could not be used: ${saved.problem} They are kept in this browser as they were; ` +
        "you can answer afresh.");
    }
    if (location.hash.startsWith(SHARE_PREFIX)) {
      const shared = this.validate(() => JSON.parse(decodeURIComponent(location.hash.slice(SHARE_PREFIX.length))), true);
      history.replaceState(history.state, "", location.pathname + location.search);
      if (shared.answers) {
        this.save(shared.answers);
        this.say(["Answers restored from the shared link.", ...notes].join(" "));
        return shared.answers;
      }
      notes.unshift(`The shared link was not used: ${shared.error}`);
    }
    if (notes.length) this.say(notes.join(" "));
    return saved.answers;
  }

  /* The saved answers ({answers}), or {answers: {}, problem} when the saved text cannot be used:
     that text is then left exactly as it is, and copied aside before anything replaces it. */
  readSaved() {
    let raw = null;
    try {
      raw = localStorage.getItem(this.storageKey);
    } catch {
      return { answers: {} }; // storage blocked: save() says so at the first answer
    }
    if (raw === null) return { answers: {} };
    const saved = parseSaved(raw);
    if (saved.problem) this.unreadable = raw;
    return saved;
  }

  save(answers) {
    try {
      this.keepUnreadable();
      localStorage.setItem(this.storageKey, JSON.stringify({ check: this.id, version: this.version, answers }));
    } catch {
      this.say("Your browser does not allow saving; answers will be lost when you leave the page.");
    }
  }

  /* Saved text that could not be used is never lost: before the key is written or cleared, it is
     copied to "<key>:unreadable" (or, if that holds something else, "<key>:unreadable:<time>"). */
  keepUnreadable() {
    if (this.unreadable === null) return;
    const aside = this.storageKey + UNREADABLE_SUFFIX;
    const kept = localStorage.getItem(aside);
    localStorage.setItem(kept === null || kept === this.unreadable ? aside : `${aside}:${Date.now()}`, this.unreadable);
    this.unreadable = null;
  }

  fill() {
    this.form.querySelectorAll("input[type=radio]").forEach((input) => {
      input.checked = this.answers[input.name] === input.value;
    });
  }

  say(text) {
    this.message.textContent = text;
  }

  /* Accept only an export of this check whose ids all exist; anything else is refused whole. */
  validate(read, shared = false) {
    let data;
    try {
      data = read();
    } catch {
      return { error: shared ? "the link is damaged." : "this is not a valid JSON file." };
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) return { error: "it does not hold answers." };
    if (!shared && data.check !== this.id) {
      const named = typeof data.check === "string" && data.check ? `“${describe(data.check)}”` : "something else";
      return { error: `it holds answers for ${named}, not for this check (${this.id}).` };
    }
    const answers = shared ? data : data.answers;
    if (!answers || typeof answers !== "object" || Array.isArray(answers)) return { error: "it does not hold answers." };
    for (const [question, option] of Object.entries(answers)) {
      if (!this.options.has(question)) {
        return { error: `it answers a question this check does not have (${describe(question)}).` };
      }
      if (typeof option !== "string" || !this.options.get(question).includes(option)) {
        return { error: `its answer to ${question} is not one of the options (${describe(option)}).` };
      }
    }
    return { answers };
  }

  changed(event) {
    const target = event.target;
    if (target.type === "radio") {
      this.answers = { ...this.answers, [target.name]: target.value };
      this.save(this.answers);
      this.request();
    } else if (target.dataset.action === "import" && target.files.length) {
      this.import(target.files[0]).finally(() => { target.value = ""; });
    }
  }

  async import(file) {
    if (file.size > MAX_IMPORT_BYTES) {
      this.say(`Import refused: the file is larger than ${MAX_IMPORT_BYTES / 1024} KB, too large for an answers file. Your saved answers were not changed.`);
      return;
    }
    const text = await file.text();
    const checked = this.validate(() => JSON.parse(text));
    if (checked.error) {
      this.say(`Import refused: ${checked.error} Your saved answers were not changed.`);
      return;
    }
    this.answers = checked.answers;
    this.save(this.answers);
    this.fill();
    this.request();
    this.say(`Imported ${Object.keys(this.answers).length} answers.`);
  }

  clicked(event) {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action === "export") this.export();
    if (action === "share") this.share();
    if (action === "print") this.print();
    if (action === "clear" && window.confirm("Clear every answer of this check? This cannot be undone.")) {
      this.answers = {};
      try {
        this.keepUnreadable();
        localStorage.removeItem(this.storageKey);
      } catch { /* nothing saved */ }
      this.fill();
      this.request();
      this.say("All answers cleared.");
    }
  }

  export() {
    const data = { check: this.id, version: this.version, exported: new Date().toISOString(), answers: this.answers };
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    link.download = `${this.id}-answers.json`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  share() {
    const url = location.href.split("#")[0] + SHARE_PREFIX + encodeURIComponent(JSON.stringify(this.answers));
    const field = this.form.querySelector("[data-share-url]");
    field.value = url;
    field.closest("[data-share]").hidden = false;
    field.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(url).then(() => this.say("Link copied."), () => this.say("Copy the link below."));
    }
  }

  print() {
    this.form.querySelector("[data-print-date]").textContent = `Report of ${new Date().toLocaleString()}`;
    window.print();
  }

  request() {
    if (runtimeState !== "ready") return;
    const key = `${this.id}:v${this.version}`;
    if (!loaded.has(key)) {
      worker.postMessage({ type: "load", check: this.check });
      loaded.add(key);
    }
    this.latest = ++seq;
    try {
      worker.postMessage({ type: "score", seq: this.latest, check: this.id, answers: this.answers });
    } catch (error) {
      this.body.textContent = `The answers could not be scored: ${(error && error.message) || error}`;
    }
  }

  receive(message) {
    if (message.seq !== this.latest) return;
    if (message.error) {
      this.body.textContent = `The answers could not be scored: ${message.error}`;
      return;
    }
    const hidden = new Set(message.result.hidden);
    this.form.querySelectorAll("[data-show-if]").forEach((item) => { item.hidden = hidden.has(item.dataset.question); });
    this.body.innerHTML = message.html;
    this.form.dataset.checkState = "ready";
  }

  runtimeChanged() {
    if (runtimeState === "ready") {
      this.form.dataset.checkStarted = runtimeStarted;
      if (this.form.dataset.checkState !== "ready") this.request();
      return;
    }
    this.form.dataset.checkState = runtimeState;
    if (runtimeState === "loading") {
      this.body.innerHTML = "";
      const note = document.createElement("p");
      note.className = "check-result__loading";
      note.textContent = `Loading the scoring engine: ${runtimeText} You can answer meanwhile; your answers are saved.`;
      this.body.appendChild(note);
    } else if (runtimeState === "error") {
      this.body.innerHTML = "";
      const note = document.createElement("p");
      note.className = "check-result__error";
      note.textContent = `The scoring engine could not start in this browser (${runtimeText}). ` +
        "Your answers are still saved in this browser; open this page in an up-to-date browser with WebAssembly enabled to see your score.";
      this.body.appendChild(note);
    }
  }
}

function wire() {
  document.querySelectorAll("form[data-check]:not([data-check-wired])").forEach((form) => {
    form.setAttribute("data-check-wired", "");
    const controller = new CheckForm(form);
    controllers.add(controller);
    attachRuntime();
    controller.runtimeChanged();
  });
}

window.addEventListener("beforeprint", () => {
  document.querySelectorAll("form[data-check] [data-print-date]").forEach((element) => {
    if (!element.textContent) element.textContent = `Report of ${new Date().toLocaleString()}`;
  });
});

function follow() {
  if (window.document$) {
    window.document$.subscribe(wire);
  } else {
    wire();
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", follow);
} else {
  follow();
}

/* ---------------------------------------------------------------------------------------------
   My plan (/checks/plan/, made by generator/plan_page.py): every check saved in this browser in
   one place. This reads the saved records, fetches each one's compiled check (check.json beside
   its page) and sends them to the worker ({type: "plan"}), whose engine (browser_plan) makes the
   plan's HTML and CSV; this code only shows the one and downloads the other. A PlanView is a
   controller like CheckForm (form, runtimeChanged, receive), so it shares the tab's worker and
   its state across instant navigation. Root: [data-plan], with the checks in data-plan-checks. */

const PLAN_RECORD_DEPTH = 8; // a record nests 4 deep (history → entry → answers → option)

/* Whether a parsed record nests at most `limit` deep (breadth first: no recursion to overflow). */
function shallow(value, limit) {
  let level = [value];
  for (let depth = 0; depth <= limit; depth += 1) {
    const next = [];
    level.forEach((item) => {
      if (item && typeof item === "object") Object.values(item).forEach((child) => next.push(child));
    });
    if (!next.length) return true;
    level = next;
  }
  return false;
}

class PlanView {
  constructor(root) {
    this.form = root; // update() forgets a controller whose element left the page
    this.checks = JSON.parse(root.getAttribute("data-plan-checks"));
    this.body = root.querySelector("[data-plan-body]");
    this.message = root.querySelector("[data-plan-message]");
    this.latest = 0;
    this.csv = "";
    this.requested = false;
    this.notes = [];
    this.saved = this.readSaved();
    root.addEventListener("click", (event) => this.clicked(event));
    if (!this.saved.length) {
      this.body.textContent = "";
      root.querySelector("[data-plan-empty]").hidden = false;
      root.dataset.planState = "empty";
    } else {
      this.show(`Building your plan from ${this.count()}…`);
    }
    this.say(this.notes.join(" "));
  }

  count() {
    return this.saved.length === 1 ? "1 saved check" : `${this.saved.length} saved checks`;
  }

  /* [{check, record}] for every listed check with a usable record saved in this browser. */
  readSaved() {
    const saved = [];
    let unreadable = 0;
    for (const check of this.checks) {
      let raw = null;
      try {
        raw = localStorage.getItem(`selfcheck:${check.id}:v${check.version}`);
      } catch {
        this.notes.push("This browser does not let the site read saved answers, so no plan can be made here.");
        return [];
      }
      if (raw === null) continue;
      let record = null;
      try {
        record = raw.length <= MAX_SAVED_CHARS ? JSON.parse(raw) : null;
      } catch {
        record = null;
      }
      if (record && typeof record === "object" && !Array.isArray(record) && shallow(record, PLAN_RECORD_DEPTH)) {
        saved.push({ check, record });
      } else {
        unreadable += 1;
      }
    }
    if (unreadable) {
      this.notes.push(`${unreadable} saved check${unreadable === 1 ? "" : "s"} could not be read and ` +
        `${unreadable === 1 ? "is" : "are"} left out; open ${unreadable === 1 ? "it" : "them"} to see why.`);
    }
    return saved;
  }

  say(text) {
    this.message.textContent = text;
  }

  show(text, className = "plan-body__loading") {
    this.body.textContent = "";
    const note = document.createElement("p");
    note.className = className;
    note.textContent = text;
    this.body.appendChild(note);
  }

  runtimeChanged() {
    if (runtimeState === "ready") {
      this.form.dataset.checkStarted = runtimeStarted;
      this.request();
      return;
    }
    if (!this.saved.length) return;
    this.form.dataset.planState = runtimeState;
    if (runtimeState === "loading") {
      this.show(`Building your plan from ${this.count()}: ${runtimeText}`);
    } else if (runtimeState === "error") {
      this.show(`Your plan could not be made: the scoring engine did not start (${runtimeText}). Your answers are ` +
        "still saved in this browser; reload this page to try again, or open the checks below.", "plan-body__error");
    }
  }

  async request() {
    if (this.requested || !this.saved.length) return;
    this.requested = true;
    this.form.dataset.planState = "loading";
    let texts;
    try {
      texts = await Promise.all(this.saved.map(({ check }) => fetch(new URL(check.json, location.href)).then((response) => {
        if (!response.ok) throw new Error(`${check.title}: HTTP ${response.status}`);
        return response.text();
      })));
    } catch (error) {
      this.requested = false;
      this.form.dataset.planState = "error";
      const offline = navigator.onLine === false ? " This browser is offline, and they were not kept for offline use." : "";
      this.show(`Your plan could not be made: the checks could not be downloaded (${(error && error.message) || error}).` +
        `${offline} Your answers are still saved in this browser.`, "plan-body__error");
      return;
    }
    if (!this.form.isConnected || runtimeState !== "ready") {
      this.requested = false;
      return;
    }
    // The compiled checks travel as the site published them; the records as they were saved.
    const entries = `[${this.saved.map(({ record }, index) => `{"check":${texts[index]},"record":${JSON.stringify(record)}}`).join(",")}]`;
    this.latest = ++seq;
    worker.postMessage({ type: "plan", seq: this.latest, entries });
  }

  receive(message) {
    if (!this.latest || message.seq !== this.latest) return;
    if (message.error) {
      this.form.dataset.planState = "error";
      this.show(`Your plan could not be made: ${message.error}`, "plan-body__error");
      return;
    }
    this.body.innerHTML = message.html; // the engine's HTML, every text in it escaped
    this.csv = message.csv;
    this.form.querySelector("[data-plan-tools]").hidden = false;
    this.form.dataset.planState = "ready";
    this.say([`Plan made from ${this.count()}.`, ...this.notes].join(" "));
  }

  clicked(event) {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action === "plan-print") {
      this.form.querySelector("[data-plan-print-date]").textContent = `Plan of ${new Date().toLocaleString()}`;
      window.print();
    } else if (action === "plan-csv" && this.csv) {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([this.csv], { type: "text/csv;charset=utf-8" }));
      link.download = `my-plan-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      this.say("The actions were downloaded as a CSV file, for a spreadsheet.");
    }
  }
}

function wirePlans() {
  document.querySelectorAll("[data-plan]:not([data-plan-wired])").forEach((root) => {
    root.setAttribute("data-plan-wired", "");
    const view = new PlanView(root);
    controllers.add(view);
    attachRuntime();
    view.runtimeChanged();
  });
}

window.addEventListener("beforeprint", () => {
  document.querySelectorAll("[data-plan] [data-plan-print-date]").forEach((element) => {
    if (!element.textContent) element.textContent = `Plan of ${new Date().toLocaleString()}`;
  });
});

function followPlans() {
  if (window.document$) {
    window.document$.subscribe(wirePlans);
  } else {
    wirePlans();
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", followPlans);
} else {
  followPlans();
}
