/* Self-check pages: saves the record (answers, notes, review-later marks, the assessment's
   organisation, assessor and date, and saved assessments), sends it to the scoring worker and
   shows its report. All scoring and the report's HTML come from the Python engine; this file only
   wires the form. One worker per tab, started by selfcheck-loader.js on the first check page and
   kept across instant navigation (the JS context survives page changes). Each check is sent to the
   worker once, then only its id and the record; the protocol is described in selfcheck-worker.js.
   The record's format is the manual's "Answers file" page. */

const MAX_IMPORT_BYTES = 256 * 1024;
const MAX_SAVED_CHARS = 256 * 1024;
const MAX_NOTE_CHARS = 2000;
const MAX_FIELD_CHARS = 200;
const MAX_HISTORY = 20;
const ASSESSMENT_FIELDS = ["organisation", "assessor", "date"];
const SHARE_PREFIX = "#answers=";
const UNREADABLE_SUFFIX = ":unreadable";
/* Where a check's answers are saved in localStorage (the manual's "Answers file"). */
const savedKey = (id, version) => `selfcheck:${id}:v${version}`;
/* How many versions back a check page looks for answers to offer (see offerEarlier). */
const MAX_EARLIER_VERSIONS = 20;
const TYPING_DELAY_MS = 400;

/* Interface texts in the page's language (interface-texts.js): t("progress", {...}) is checks.progress. */
const t = (key, values) => window.interfaceText(`checks.${key}`, values);
const planText = (key, values) => window.interfaceText(`plan.${key}`, values);
const moment = (date) => window.interfaceText.dateTime(date);
const number = (value) => window.interfaceText.number(value);

function isObject(value) {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value);
}

/* Answers as the engine takes them: a plain object of question id → option id, both strings.
   Nothing else reaches the worker (a deeply nested value cannot even be posted to it). */
function isAnswers(value) {
  return isObject(value) && Object.values(value).every((option) => typeof option === "string");
}

function emptyRecord() {
  return { answers: {}, notes: {}, review: [], assessment: {}, history: [] };
}

/* The fields of a record besides its answers, checked for shape only (ids are checked on import;
   in saved values the engine reports unknown ones): {fields} or {problem}. Absent fields are absent. */
function otherFields(data) {
  const fields = {};
  if (data.notes !== undefined) {
    if (!isObject(data.notes) || !Object.values(data.notes).every((note) => typeof note === "string" && note.length <= MAX_NOTE_CHARS)) {
      return { problem: t("problem_notes", { max: MAX_NOTE_CHARS }) };
    }
    fields.notes = data.notes;
  }
  if (data.review !== undefined) {
    if (!Array.isArray(data.review) || !data.review.every((question) => typeof question === "string")) {
      return { problem: t("problem_review") };
    }
    fields.review = [...new Set(data.review)];
  }
  if (data.assessment !== undefined && data.assessment !== null) {
    const assessment = data.assessment;
    if (!isObject(assessment) || !ASSESSMENT_FIELDS.every((name) => assessment[name] === undefined ||
        assessment[name] === null || (typeof assessment[name] === "string" && assessment[name].length <= MAX_FIELD_CHARS))) {
      return { problem: t("problem_assessment", { max: MAX_FIELD_CHARS }) };
    }
    if (assessment.date && !/^\d{4}-\d{2}-\d{2}$/.test(assessment.date)) {
      return { problem: t("problem_date") };
    }
    fields.assessment = Object.fromEntries(ASSESSMENT_FIELDS.filter((name) => assessment[name]).map((name) => [name, assessment[name]]));
  }
  if (data.history !== undefined) {
    if (!Array.isArray(data.history) || !data.history.every((entry) => isObject(entry) &&
        typeof entry.saved === "string" && entry.saved.length <= 40 && isAnswers(entry.answers))) {
      return { problem: t("problem_history") };
    }
    fields.history = data.history.slice(-MAX_HISTORY).map((entry) => ({ saved: entry.saved, answers: entry.answers }));
  }
  return { fields };
}

/* Saved text as {record}, or {record: empty, problem} saying why it cannot be used. Today's saved
   values ({check, version, answers}) are records without the optional fields. */
function parseSaved(raw) {
  const unusable = (problem) => ({ record: emptyRecord(), problem });
  if (raw.length > MAX_SAVED_CHARS) return unusable(t("saved_too_large", { size: number(MAX_SAVED_CHARS / 1024) }));
  let saved;
  try {
    saved = JSON.parse(raw);
  } catch {
    return unusable(t("saved_damaged"));
  }
  if (!isObject(saved) || !isAnswers(saved.answers)) {
    return unusable(t("saved_not_answers"));
  }
  const other = otherFields(saved);
  if (other.problem) return unusable(other.problem.replace(/^its /, "their ")); // English: of the saved answers
  return { record: { ...emptyRecord(), ...other.fields, answers: saved.answers } };
}

/* A value from a file or the browser's store, for a message; never throws (JSON can hold an
   object whose toString is not a function, which String() and templates throw on). */
function describe(value) {
  if (typeof value === "string") return value.length > 60 ? `${value.slice(0, 60)}…` : value;
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return t("value_list");
  return typeof value === "object" ? t("value_object") : typeof value;
}

function sameAnswers(left, right) {
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}

let worker = null;
let runtimeState = "idle"; // idle | loading | ready | error
let runtimeText = "";
let runtimeCause = ""; // network | unsupported | other, once failed
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
  runtimeText = t("engine_preparing");
  if (!worker || runtime.failure !== null) {
    fail(runtime.failure || t("worker_failed"), "other");
    return;
  }
  worker.onmessage = (event) => handle(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    // A module worker whose script cannot be fetched reports an error without a message.
    fail(event.message || t("worker_not_downloaded"), event.message ? "other" : "network");
  };
  runtime.early.splice(0).forEach(handle);
}

/* Try again: end the failed worker and start a new one from the same addresses, no reload. */
function restartRuntime(urls) {
  if (worker) {
    worker.onmessage = null;
    worker.onerror = null;
    worker.terminate();
  }
  worker = null;
  loaded.clear();
  runtimeState = "idle";
  if (typeof window.selfCheckRestart !== "function") {
    fail(t("loader_missing"), "other");
    return;
  }
  window.selfCheckRestart(urls);
  attachRuntime();
  update();
}

function handle(message) {
  if (message.type === "progress") {
    runtimeText = message.step ? t(`step_${message.step}`) : message.text;
    update();
  } else if (message.type === "ready") {
    runtimeState = "ready";
    runtimeStarted = message.started;
    update();
  } else if (message.type === "failed") {
    fail(message.reason ? t(`reason_${message.reason}`, message.values) : message.text, message.cause || "other");
  } else if (message.type === "result") {
    controllers.forEach((controller) => controller.receive(message));
  }
}

function fail(reason, cause) {
  runtimeState = "error";
  runtimeText = reason;
  runtimeCause = cause;
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

/* What the page says when the engine could not start: the cause in plain words, never blaming
   the browser for the network. */
function failureText(reason, cause) {
  const kept = t("failure_kept");
  if (cause === "unsupported") return t("failure_unsupported", { kept });
  if (cause === "network") return t("failure_network", { reason, kept });
  return t("failure_other", { reason, kept });
}

class CheckForm {
  constructor(form) {
    this.form = form;
    this.check = form.querySelector("[data-check-data]").getAttribute("data-check-data");
    const compiled = JSON.parse(this.check);
    this.id = compiled.id;
    this.version = compiled.version;
    this.questions = compiled.questions;
    this.options = new Map(compiled.questions.map((question) => [question.id, question.options.map((option) => option.id)]));
    this.storageKey = savedKey(this.id, this.version);
    this.body = form.querySelector("[data-result-body]");
    this.message = form.querySelector("[data-check-message]");
    this.progress = form.querySelector("[data-check-progress]");
    this.retry = form.querySelector("[data-check-retry]");
    this.undoButton = form.querySelector('button[data-action="undo"]');
    this.choice = form.querySelector("[data-check-choice]");
    this.earlierBox = form.querySelector("[data-check-earlier]");
    this.latest = 0;
    this.result = null; // the latest result for these answers, or null while one is awaited
    this.unreadable = null; // saved text that could not be used, kept until it is copied aside
    this.shared = null; // a shared link's answers, while the reader chooses
    this.earlier = null; // answers to an earlier version that still match, while the reader chooses
    this.undo = null; // {record, label}: the record before the last import, clear or use-shared
    this.typing = 0;
    this.restore();
    this.fill();
    form.querySelector("[data-check-tools]").hidden = false;
    if (this.progress) this.progress.hidden = false;
    this.showProgress();
    form.addEventListener("change", (event) => this.changed(event));
    form.addEventListener("input", (event) => this.typed(event));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("click", (event) => this.clicked(event));
  }

  restore() {
    const saved = this.readSaved();
    this.record = saved.record;
    const notes = [];
    if (saved.problem) {
      notes.push(t("saved_unusable", { problem: saved.problem }));
    }
    if (location.hash.startsWith(SHARE_PREFIX)) {
      const shared = this.validate(() => JSON.parse(decodeURIComponent(location.hash.slice(SHARE_PREFIX.length))), true);
      if (shared.error) {
        notes.unshift(t("link_not_used", { problem: shared.error }));
        this.dropShareLink();
      } else if (!Object.keys(shared.answers).length) {
        notes.unshift(t("link_empty"));
        this.dropShareLink();
      } else if (!Object.keys(this.record.answers).length || sameAnswers(shared.answers, this.record.answers)) {
        // Nothing saved that the link could replace: use it, as a link is meant to be used.
        this.record = { ...this.record, answers: shared.answers };
        this.save();
        notes.unshift(t("link_restored"));
        this.dropShareLink();
      } else {
        this.shared = shared.answers; // the link stays in the address until the reader chooses
        this.offerChoice();
        notes.unshift(t("link_differs"));
      }
    }
    if (!saved.problem && !this.shared && this.isEmpty()) {
      const note = this.offerEarlier();
      if (note) notes.push(note);
    }
    if (notes.length) this.say(notes.join(" "));
  }

  /* Answers saved for the newest earlier version of this check, kept only where the question and
     the option still exist: {version, answers}, or null when there are none (or none readable). */
  earlierAnswers() {
    for (let version = this.version - 1; version >= Math.max(1, this.version - MAX_EARLIER_VERSIONS); version -= 1) {
      let raw = null;
      try {
        raw = localStorage.getItem(savedKey(this.id, version));
      } catch {
        return null;
      }
      if (raw === null) continue;
      const saved = parseSaved(raw);
      if (saved.problem) continue;
      const answers = {};
      for (const [question, option] of Object.entries(saved.record.answers)) {
        if ((this.options.get(question) || []).includes(option)) answers[question] = option;
      }
      return { version, answers };
    }
    return null;
  }

  /* Nothing saved for this version: offer the answers to an earlier one that still match. They
     are used only if the reader says so (a version is raised when questions change meaning), and
     the earlier record is never changed. Returns the note for the message line, or null. */
  offerEarlier() {
    const earlier = this.earlierBox && this.earlierAnswers();
    if (!earlier) return null;
    const count = Object.keys(earlier.answers).length;
    if (!count) return t("earlier_none_fit", { version: number(earlier.version) });
    this.earlier = earlier.answers;
    this.earlierBox.querySelector("[data-check-earlier-summary]").textContent =
      t("earlier_summary", { count, version: number(earlier.version) });
    this.earlierBox.hidden = false;
    return t("earlier_found");
  }

  /* The answers the reader chose to use instead of theirs (a shared link's, or an earlier
     version's), with one undo; notes, review marks and saved assessments stay. */
  useAnswers(answers, undoLabel, said) {
    this.remember(undoLabel);
    this.record = { ...this.record, answers };
    this.save();
    this.fill();
    this.request();
    this.say(said);
  }

  dropEarlier() {
    if (!this.earlier) return;
    this.earlier = null;
    this.earlierBox.hidden = true;
  }

  settleEarlier(use) {
    if (!this.earlier) return;
    if (use) {
      this.useAnswers(this.earlier, t("undo_use_earlier"), t("earlier_used"));
    } else {
      this.say(t("earlier_declined"));
    }
    this.dropEarlier();
    (use ? this.undoButton : this.message).focus?.();
  }

  dropShareLink() {
    if (location.hash.startsWith(SHARE_PREFIX)) history.replaceState(history.state, "", location.pathname + location.search);
  }

  /* The box asking Keep mine / Use the shared answers, with the questions where they differ. */
  offerChoice() {
    const mine = this.record.answers;
    const theirs = this.shared;
    const differ = this.questions.filter((question) => mine[question.id] !== theirs[question.id]);
    const count = (answers) => Object.keys(answers).length;
    this.choice.querySelector("[data-check-choice-summary]").textContent =
      t("choice_summary", { count: count(theirs), mine: number(count(mine)), differ: number(differ.length) });
    const list = this.choice.querySelector("[data-check-choice-list]");
    list.replaceChildren(...differ.map((question) => {
      const item = document.createElement("li");
      item.textContent = t("choice_item", {
        question: question.text,
        mine: this.label(question, mine[question.id]),
        theirs: this.label(question, theirs[question.id]),
      });
      return item;
    }));
    this.choice.hidden = false;
  }

  label(question, option) {
    if (option === undefined) return t("not_answered");
    return question.options.find((candidate) => candidate.id === option)?.label ?? option;
  }

  settleChoice(useShared) {
    if (!this.shared) return;
    if (useShared) {
      this.useAnswers(this.shared, t("undo_use_shared"), t("shared_used"));
    } else {
      this.say(t("mine_kept"));
    }
    this.shared = null;
    this.choice.hidden = true;
    this.dropShareLink();
    (useShared ? this.undoButton : this.message).focus?.();
  }

  /* The saved record ({record}), or {record: empty, problem} when the saved text cannot be used:
     that text is then left exactly as it is, and copied aside before anything replaces it. */
  readSaved() {
    let raw = null;
    try {
      raw = localStorage.getItem(this.storageKey);
    } catch {
      return { record: emptyRecord() }; // storage blocked: save() says so at the first answer
    }
    if (raw === null) return { record: emptyRecord() };
    const saved = parseSaved(raw);
    if (saved.problem) this.unreadable = raw;
    return saved;
  }

  /* The record as saved, exported and scored: today's {check, version, answers}, plus each
     optional field that holds something. */
  stored() {
    const { answers, notes, review, assessment, history: kept } = this.record;
    const data = { check: this.id, version: this.version, answers };
    if (Object.keys(notes).length) data.notes = notes;
    if (review.length) data.review = review;
    if (Object.keys(assessment).length) data.assessment = assessment;
    if (kept.length) data.history = kept;
    return data;
  }

  isEmpty() {
    const { answers, notes, review, assessment, history: kept } = this.record;
    return !Object.keys(answers).length && !Object.keys(notes).length && !review.length &&
      !Object.keys(assessment).length && !kept.length;
  }

  save() {
    try {
      this.keepUnreadable();
      if (this.isEmpty()) {
        localStorage.removeItem(this.storageKey);
      } else {
        localStorage.setItem(this.storageKey, JSON.stringify(this.stored()));
      }
    } catch {
      this.say(t("no_saving"));
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
    const { answers, notes, review, assessment } = this.record;
    this.form.querySelectorAll("input[type=radio]").forEach((input) => {
      input.checked = answers[input.name] === input.value;
    });
    this.form.querySelectorAll("textarea[data-note]").forEach((field) => {
      field.value = notes[field.dataset.note] || "";
    });
    this.form.querySelectorAll("input[data-review]").forEach((box) => {
      box.checked = review.includes(box.dataset.review);
    });
    this.form.querySelectorAll("input[data-assessment]").forEach((field) => {
      field.value = assessment[field.dataset.assessment] || "";
      this.markEmpty(field);
    });
    this.showFollowUps();
  }

  /* An empty assessment field is left off the printed report. */
  markEmpty(field) {
    field.closest(".check-assessment__field")?.toggleAttribute("data-empty", !field.value);
  }

  /* Follow-ups shown as the answers stand, the engine's rule (a condition on a hidden question
     does not hold): visibility only, decided at once; each result's `hidden` then has the last word. */
  showFollowUps() {
    const answers = this.record.answers;
    const shown = new Set();
    // {question, answer_in}, or all / any / not of conditions: scoring.py's _holds.
    const holds = (condition) => {
      if (condition.all) return condition.all.every(holds);
      if (condition.any) return condition.any.some(holds);
      if (condition.not) return !holds(condition.not);
      return shown.has(condition.question) && condition.answer_in.includes(answers[condition.question]);
    };
    this.questions.forEach((question) => {
      if (!question.show_if || holds(question.show_if)) shown.add(question.id);
    });
    this.form.querySelectorAll("[data-show-if]").forEach((item) => { item.hidden = !shown.has(item.dataset.question); });
  }

  /* "3 of 10 answered" from the latest result; until the engine has answered, a plain count. */
  showProgress() {
    if (!this.progress) return;
    if (this.result) {
      const { answered, applicable } = this.result.progress;
      this.progress.textContent = t("progress", { answered: number(answered), count: applicable });
      this.progress.dataset.checkComplete = String(this.result.status === "complete");
    } else {
      const given = Object.keys(this.record.answers).filter((question) => {
        const item = this.form.querySelector(`li[data-question="${CSS.escape(question)}"]`);
        return item && !item.hidden;
      }).length;
      this.progress.textContent = t("progress_given", { count: given });
      delete this.progress.dataset.checkComplete;
    }
  }

  say(text) {
    this.message.textContent = text;
  }

  /* One level of undo for import, clear and use-shared: the whole record as it was. */
  remember(label) {
    this.undo = { record: structuredClone(this.record), label };
    this.undoButton.textContent = label;
    this.undoButton.hidden = false;
  }

  forget() {
    if (!this.undo) return;
    this.undo = null;
    if (document.activeElement === this.undoButton) this.message.focus?.();
    this.undoButton.hidden = true;
  }

  restoreUndo() {
    if (!this.undo) return;
    this.record = this.undo.record;
    this.undo = null;
    this.undoButton.hidden = true;
    this.save();
    this.fill();
    this.request();
    this.say(t("undone"));
  }

  /* Accept only an export of this check whose ids all exist; anything else is refused whole.
     A shared link holds bare answers: {answers}. A file is a record: {record}. */
  validate(read, shared = false) {
    let data;
    try {
      data = read();
    } catch {
      return { error: shared ? t("error_link_damaged") : t("error_not_json") };
    }
    if (!isObject(data)) return { error: t("error_no_answers") };
    if (!shared && data.check !== this.id) {
      const named = typeof data.check === "string" && data.check
        ? t("error_check_named", { name: describe(data.check) })
        : t("error_check_unnamed");
      return { error: t("error_other_check", { named, id: this.id }) };
    }
    const answers = shared ? data : data.answers;
    const wrong = this.wrongAnswer(answers);
    if (wrong) return { error: wrong };
    if (shared) return { answers };
    const other = otherFields(data);
    if (other.problem) return { error: other.problem };
    const fields = other.fields;
    const unknown = [...Object.keys(fields.notes || {}), ...(fields.review || [])].find((question) => !this.options.has(question));
    if (unknown !== undefined) return { error: t("error_unknown_mark", { id: describe(unknown) }) };
    for (const entry of fields.history || []) {
      const wrongEntry = this.wrongAnswer(entry.answers);
      if (wrongEntry) return { error: t("error_history", { saved: describe(entry.saved), problem: wrongEntry }) };
    }
    return { record: { answers, ...fields } };
  }

  wrongAnswer(answers) {
    if (!isObject(answers)) return t("error_no_answers");
    for (const [question, option] of Object.entries(answers)) {
      if (!this.options.has(question)) {
        return t("error_unknown_question", { id: describe(question) });
      }
      if (typeof option !== "string" || !this.options.get(question).includes(option)) {
        return t("error_bad_option", { question, option: describe(option) });
      }
    }
    return null;
  }

  changed(event) {
    const target = event.target;
    if (target.type === "radio") {
      this.forget();
      this.dropEarlier(); // answering afresh is the reader's choice
      this.record = { ...this.record, answers: { ...this.record.answers, [target.name]: target.value } };
      this.save();
      this.showFollowUps();
      this.request();
    } else if (target.matches("input[data-review]")) {
      this.forget();
      const others = this.record.review.filter((question) => question !== target.dataset.review);
      this.record = { ...this.record, review: target.checked ? [...others, target.dataset.review] : others };
      this.save();
      this.request();
    } else if (target.dataset.action === "import" && target.files.length) {
      this.import(target.files[0]).finally(() => { target.value = ""; });
    }
  }

  /* Notes and the assessment's fields save as they are typed, and are scored once typing pauses. */
  typed(event) {
    const target = event.target;
    if (target.matches("textarea[data-note]")) {
      const notes = { ...this.record.notes };
      const text = target.value.slice(0, MAX_NOTE_CHARS);
      if (text.trim()) notes[target.dataset.note] = text;
      else delete notes[target.dataset.note];
      this.record = { ...this.record, notes };
    } else if (target.matches("input[data-assessment]")) {
      const assessment = { ...this.record.assessment };
      const name = target.dataset.assessment;
      const text = target.value.slice(0, MAX_FIELD_CHARS);
      if (text.trim() && (name !== "date" || /^\d{4}-\d{2}-\d{2}$/.test(text))) assessment[name] = text;
      else delete assessment[name];
      this.markEmpty(target);
      this.record = { ...this.record, assessment };
    } else {
      return;
    }
    this.forget();
    this.save();
    clearTimeout(this.typing);
    this.typing = setTimeout(() => this.request(), TYPING_DELAY_MS);
  }

  async import(file) {
    if (file.size > MAX_IMPORT_BYTES) {
      this.say(t("import_too_large", { size: number(MAX_IMPORT_BYTES / 1024) }));
      return;
    }
    const text = await file.text();
    const checked = this.validate(() => JSON.parse(text));
    if (checked.error) {
      this.say(t("import_refused", { problem: checked.error }));
      return;
    }
    this.remember(t("undo_import"));
    // Fields the file does not hold (an older file has answers only) keep their saved values.
    this.record = { ...this.record, ...checked.record };
    this.save();
    this.fill();
    this.request();
    this.say(t("imported", { count: Object.keys(this.record.answers).length }));
  }

  clicked(event) {
    const button = event.target.closest("button[data-action], button[data-check-retry]");
    if (!button) return;
    if (button.hasAttribute("data-check-retry")) {
      this.say(t("retrying"));
      this.form.querySelector("#check-result-title")?.focus();
      restartRuntime(this.form.dataset);
      return;
    }
    const action = button.dataset.action;
    if (action === "export") this.export();
    if (action === "share") this.share();
    if (action === "print") this.print();
    if (action === "save-assessment") this.saveAssessment();
    if (action === "keep-mine") this.settleChoice(false);
    if (action === "use-shared") this.settleChoice(true);
    if (action === "use-earlier") this.settleEarlier(true);
    if (action === "start-afresh") this.settleEarlier(false);
    if (action === "undo") this.restoreUndo();
    if (action === "clear") {
      if (!Object.keys(this.record.answers).length && this.unreadable === null) {
        this.say(t("nothing_to_clear"));
        return;
      }
      this.remember(t("undo_clear"));
      this.record = { ...this.record, answers: {} };
      this.save();
      this.fill();
      this.request();
      this.say(t("cleared"));
    }
  }

  saveAssessment() {
    const answers = this.record.answers;
    if (!Object.keys(answers).length) {
      this.say(t("nothing_to_save"));
      return;
    }
    const saved = new Date();
    const kept = [...this.record.history, { saved: saved.toISOString(), answers: { ...answers } }].slice(-MAX_HISTORY);
    this.record = { ...this.record, history: kept };
    this.save();
    this.request();
    this.say(t("assessment_saved", { time: moment(saved), kept: number(kept.length), count: MAX_HISTORY }));
  }

  export() {
    const data = { ...this.stored(), exported: new Date().toISOString() };
    const ordered = { check: data.check, version: data.version, exported: data.exported, ...data };
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(ordered, null, 2)], { type: "application/json" }));
    link.download = `${this.id}-answers.json`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  share() {
    const url = location.href.split("#")[0] + SHARE_PREFIX + encodeURIComponent(JSON.stringify(this.record.answers));
    const field = this.form.querySelector("[data-share-url]");
    field.value = url;
    field.closest("[data-share]").hidden = false;
    field.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(url).then(() => this.say(t("link_copied")), () => this.say(t("copy_below")));
    }
  }

  print() {
    this.form.querySelector("[data-print-date]").textContent = t("report_of", { time: moment(new Date()) });
    window.print();
  }

  request() {
    if (runtimeState !== "ready") {
      this.result = null; // a plain count until the engine answers; when ready, the next result follows at once
      this.showProgress();
      return;
    }
    const key = `${this.id}:v${this.version}`;
    if (!loaded.has(key)) {
      worker.postMessage({ type: "load", check: this.check });
      loaded.add(key);
    }
    this.latest = ++seq;
    try {
      worker.postMessage({ type: "score", seq: this.latest, check: this.id, record: this.stored() });
    } catch (error) {
      this.body.textContent = t("not_scored", { error: (error && error.message) || error });
    }
  }

  receive(message) {
    if (message.seq !== this.latest) return;
    if (message.error) {
      this.body.textContent = t("not_scored", { error: message.error });
      return;
    }
    const hidden = new Set(message.result.hidden);
    this.form.querySelectorAll("[data-show-if]").forEach((item) => { item.hidden = hidden.has(item.dataset.question); });
    this.body.innerHTML = message.html;
    this.result = message.result;
    this.showProgress();
    this.form.dataset.checkState = "ready";
  }

  runtimeChanged() {
    this.retry.hidden = runtimeState !== "error";
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
      note.textContent = t("loading_note", { status: runtimeText });
      this.body.appendChild(note);
    } else if (runtimeState === "error") {
      this.body.innerHTML = "";
      const note = document.createElement("p");
      note.className = "check-result__error";
      note.textContent = failureText(runtimeText, runtimeCause);
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
    if (!element.textContent) element.textContent = t("report_of", { time: moment(new Date()) });
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
    this.retry = root.querySelector("[data-plan-retry]");
    this.empty = root.querySelector("[data-plan-empty]");
    this.latest = 0;
    this.csv = "";
    this.requested = false;
    this.notes = [];
    root.addEventListener("click", (event) => this.clicked(event));
    this.read();
  }

  /* (Re)read what this browser has saved: at the start, when another tab saves a check, and on
     Try again. */
  read() {
    this.notes = [];
    this.saved = this.readSaved();
    this.requested = false;
    this.latest = 0;
    this.empty.hidden = this.saved.length > 0;
    this.retry.hidden = true;
    this.form.querySelector("[data-plan-tools]").hidden = true;
    if (!this.saved.length) {
      this.body.textContent = "";
      this.form.dataset.planState = "empty";
    } else {
      this.show(planText("building", { saved: this.count() }));
    }
    this.say(this.notes.join(" "));
  }

  /* Make the plan again from what is saved now (another tab saved, cleared or imported a check;
     or the checks could not be downloaded and the reader pressed Try again). */
  refresh() {
    this.read();
    this.runtimeChanged();
  }

  failed(text) {
    this.form.dataset.planState = "error";
    this.show(text, "plan-body__error");
    this.retry.hidden = false;
  }

  count() {
    return planText("saved_checks", { count: this.saved.length });
  }

  /* [{check, record}] for every listed check with a usable record saved in this browser. */
  readSaved() {
    const saved = [];
    let unreadable = 0;
    for (const check of this.checks) {
      let raw = null;
      try {
        raw = localStorage.getItem(savedKey(check.id, check.version));
      } catch {
        this.notes.push(planText("storage_blocked"));
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
      this.notes.push(planText("unreadable", { count: unreadable }));
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
      this.show(planText("building_status", { saved: this.count(), status: runtimeText }));
    } else if (runtimeState === "error") {
      this.failed(planText("engine_failed", { reason: runtimeText }));
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
      const offline = navigator.onLine === false ? planText("offline") : "";
      this.failed(planText("download_failed", { reason: (error && error.message) || error, offline }));
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
      this.failed(planText("failed", { reason: message.error }));
      return;
    }
    this.body.innerHTML = message.html; // the engine's HTML, every text in it escaped
    this.csv = message.csv;
    this.form.querySelector("[data-plan-tools]").hidden = false;
    this.form.dataset.planState = "ready";
    this.say([planText("made", { saved: this.count() }), ...this.notes].join(" "));
  }

  clicked(event) {
    if (event.target.closest("button[data-plan-retry]")) {
      if (runtimeState === "error") {
        this.retry.hidden = true;
        restartRuntime(this.form.dataset); // a new worker; runtimeChanged() asks again once it is ready
      } else {
        this.refresh();
      }
      return;
    }
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action === "plan-print") {
      this.form.querySelector("[data-plan-print-date]").textContent = planText("plan_of", { time: moment(new Date()) });
      window.print();
    } else if (action === "plan-csv" && this.csv) {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([this.csv], { type: "text/csv;charset=utf-8" }));
      link.download = `my-plan-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      this.say(planText("csv_downloaded"));
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

/* A check saved, cleared or imported in another tab of this site: plans on show follow it. */
window.addEventListener("storage", (event) => {
  if (event.key !== null && !event.key.startsWith("selfcheck:")) return;
  controllers.forEach((controller) => {
    if (controller instanceof PlanView && controller.form.isConnected) controller.refresh();
  });
});

window.addEventListener("beforeprint", () => {
  document.querySelectorAll("[data-plan] [data-plan-print-date]").forEach((element) => {
    if (!element.textContent) element.textContent = planText("plan_of", { time: moment(new Date()) });
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
