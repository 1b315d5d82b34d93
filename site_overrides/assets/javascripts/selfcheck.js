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
