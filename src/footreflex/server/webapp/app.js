// footreflex web app: plain JavaScript, no build step, talks only to the server it came from.
// Flow: complaint -> red-flag questions -> advice (a red flag) or the routine -> session -> end.
// The session follows the server's cues (Routine.cues()) exactly: same texts, same seconds.

const $ = (id) => document.getElementById(id);
const VIEWS = ["ask", "questions", "advice", "routine", "session", "end"];
const RATINGS = [["helped", "Helped"], ["neutral", "No change"], ["did_not_help", "Didn't help"]];

// ?speed=N runs the session clock N times faster (demos and tests); 1 otherwise.
const SPEED = (() => {
  const value = Number(new URLSearchParams(location.search).get("speed"));
  return Number.isFinite(value) && value > 0 ? Math.min(value, 1000) : 1;
})();

const state = {
  request: null,     // {symptoms, minutes, conditions}
  answers: {},
  plan: null,        // the POST /session answer
  speechChoice: null, // the person's own choice of the speech toggle, once made
};

// ------------------------------------------------------------------ helpers
function show(name) {
  for (const view of VIEWS) $(`view-${view}`).hidden = view !== name;
  const heading = $(`view-${name}`).querySelector("h1");
  if (heading) heading.focus();
  window.scrollTo(0, 0);
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function clock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function duration(seconds) {
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function footText(foot) {
  return foot === "both" ? "both feet" : `${foot} foot`;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `the server answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body),
  };
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new ApiError(0, {message: "The footreflex server cannot be reached. Is it still running?"});
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function showError(node, error) {
  let text = error.message;
  const suggestions = error.body && error.body.suggestions;
  if (suggestions && suggestions.length) text += ` Did you mean: ${suggestions.join(", ")}?`;
  if (error.body && error.body.minimum_minutes) {
    text += ` (at least ${error.body.minimum_minutes} minutes)`;
  }
  node.textContent = text;
  node.hidden = false;
}

// ------------------------------------------------------------------ 1. the complaint
async function loadConditions() {
  const box = $("conditions");
  let list = [];
  try {
    list = await api("/conditions");
  } catch (error) {
    showError($("ask-error"), error);
    return;
  }
  for (const condition of list) {
    const id = `cond-${condition.id}`;
    const check = el("input", {type: "checkbox", id, value: condition.id});
    const row = el("div", {class: "condition"}, check,
      el("label", {for: id, text: condition.name}));
    if (condition.foot_level) {
      const select = el("select", {id: `${id}-foot`, "aria-label": `Which foot: ${condition.name}`});
      for (const [value, label] of [["both", "both feet"], ["left", "left foot"], ["right", "right foot"]]) {
        select.append(el("option", {value, text: label}));
      }
      select.disabled = true;
      check.addEventListener("change", () => { select.disabled = !check.checked; });
      row.append(select);
    }
    box.append(row);
  }
}

function chosenConditions() {
  const out = [];
  for (const check of $("conditions").querySelectorAll("input[type=checkbox]")) {
    if (!check.checked) continue;
    const foot = $(`${check.id}-foot`);
    out.push(foot ? `${check.value}:${foot.value}` : check.value);
  }
  return out;
}

async function submitComplaint(event) {
  event.preventDefault();
  const error = $("ask-error");
  error.hidden = true;
  const text = $("complaint").value.trim();
  if (!text) {
    showError(error, new Error("Please say what hurts, in your own words."));
    $("complaint").focus();
    return;
  }
  const minutes = Number($("minutes").value);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    showError(error, new Error("Minutes must be a number greater than 0."));
    $("minutes").focus();
    return;
  }
  state.request = {symptoms: text, minutes, conditions: chosenConditions()};
  state.answers = {};
  $("ask-next").disabled = true;
  try {
    // Screen the text (and check it can be planned) before asking anything else.
    await api("/session", {...state.request, answers: {}, record: false});
    const questions = await api(`/questions?text=${encodeURIComponent(text)}`);
    renderQuestions(questions);
    show("questions");
  } catch (failure) {
    if (failure.status === 409) showAdvice(failure.body.triage);
    else showError(error, failure);
  } finally {
    $("ask-next").disabled = false;
  }
}

// ------------------------------------------------------------------ 2. the questions
function renderQuestions(questions) {
  const box = $("questions");
  clear(box);
  questions.forEach((question, i) => {
    const name = `q-${question.id}`;
    const legend = el("legend", {text: question.text});
    const set = el("fieldset", {class: "question", "data-id": question.id}, legend);
    for (const [value, label] of [["yes", "Yes"], ["no", "No"]]) {
      const id = `${name}-${value}`;
      set.append(el("span", {class: "choice"},
        el("input", {type: "radio", name, id, value, required: ""}),
        el("label", {for: id, text: label})));
    }
    set.setAttribute("aria-describedby", "questions-title");
    box.append(set);
    if (i === 0) set.classList.add("first");
  });
}

async function submitAnswers(event) {
  event.preventDefault();
  const error = $("questions-error");
  error.hidden = true;
  const answers = {};
  let missing = null;
  for (const set of $("questions").querySelectorAll("fieldset.question")) {
    const picked = set.querySelector("input:checked");
    if (!picked) { missing = missing || set; continue; }
    answers[set.dataset.id] = picked.value === "yes";
  }
  if (Object.values(answers).some((yes) => yes)) {
    // A "yes" ends here whatever else is unanswered; the server gives the advice.
  } else if (missing) {
    showError(error, new Error("Please answer every question (yes or no)."));
    missing.querySelector("input").focus();
    return;
  }
  state.answers = answers;
  $("questions-next").disabled = true;
  try {
    const plan = await api("/session", {...state.request, answers, record: false});
    showRoutine(plan);
  } catch (failure) {
    if (failure.status === 409) showAdvice(failure.body.triage);
    else showError(error, failure);
  } finally {
    $("questions-next").disabled = false;
  }
}

// ------------------------------------------------------------------ 3. the advice
function showAdvice(triage) {
  forgetRoutine();
  $("advice-title").textContent = triage.level === "emergency" ? "Get help now" : "See a clinician";
  $("view-advice").classList.toggle("emergency", triage.level === "emergency");
  $("advice-text").textContent = triage.advice;
  const list = $("advice-findings");
  clear(list);
  for (const finding of triage.findings) {
    const item = el("li", {}, el("strong", {text: finding.message}), " ",
      el("span", {text: `Why: ${finding.reason}`}));
    if (finding.sources && finding.sources.length) {
      item.append(el("small", {class: "source",
        text: `Source: ${finding.sources.map((s) => s.citation).join("; ")}`}));
    }
    list.append(item);
  }
  show("advice");
}

function startOver() {
  stopSession(false);
  forgetRoutine();
  $("ask-form").reset();
  $("questions-form").reset();
  for (const select of $("conditions").querySelectorAll("select")) select.disabled = true;
  clear($("questions"));
  for (const id of ["ask-error", "questions-error"]) $(id).hidden = true;
  state.request = null;
  state.answers = {};
  show("ask");
}

function forgetRoutine() {
  state.plan = null;
  for (const id of ["map-home", "map-session", "routine-steps", "feedback-rows"]) clear($(id));
  $("feedback-result").textContent = "";
  const frame = $("card-frame");
  if (frame) frame.remove();
}

// ------------------------------------------------------------------ 4. the routine
function showRoutine(plan) {
  state.plan = plan;
  const routine = plan.routine;
  $("routine-summary").textContent = `${duration(routine.total_seconds)} for your ${plan.regions}: `
    + `${routine.steps.length} steps, on ${feet(routine)}.`;
  fillList($("routine-warnings"), routine.warnings);
  fillList($("routine-watch"), routine.watch_for);
  placeMap($("map-home"), plan.map_svg);
  const steps = $("routine-steps");
  clear(steps);
  for (const step of routine.steps) {
    const item = el("li", {"data-step": step.index},
      el("strong", {text: step.name}), ` — ${footText(step.foot)}, ${duration(step.duration_s)}. `,
      el("span", {text: step.instructions}));
    for (const caution of step.cautions) item.append(el("span", {class: "caution", text: `Careful: ${caution}`}));
    steps.append(item);
  }
  $("disclaimer").textContent = routine.disclaimer;
  updateSpeechToggle();
  show("routine");
}

function feet(routine) {
  const used = new Set();
  for (const step of routine.steps) {
    if (step.foot === "both") { used.add("left"); used.add("right"); } else used.add(step.foot);
  }
  return used.size === 2 ? "both feet" : `the ${[...used][0]} foot`;
}

function placeMap(figure, svgText) {
  clear(figure);
  figure.insertAdjacentHTML("afterbegin", svgText);
  const svg = figure.querySelector("svg");
  const desc = svg && svg.querySelector("desc");
  if (desc) figure.append(el("figcaption", {class: "hint", text: desc.textContent}));
}

function fillList(box, lines) {
  const list = box.querySelector("ul");
  clear(list);
  for (const line of lines) list.append(el("li", {text: line}));
  box.hidden = lines.length === 0;
}

// ------------------------------------------------------------------ speech, chime, wake lock
function voices() {
  return "speechSynthesis" in window ? window.speechSynthesis.getVoices() : [];
}

function updateSpeechToggle() {
  const toggle = $("opt-speech");
  const note = $("speech-note");
  const available = voices().length > 0;
  toggle.disabled = !available;
  if (available) {
    toggle.checked = state.speechChoice === null ? true : state.speechChoice;
    note.hidden = true;
  } else {
    toggle.checked = false;
    note.textContent = "This browser has no voice for speech, so the cues are shown on "
      + "screen only.";
    note.hidden = false;
  }
}

function say(text) {
  if (!$("opt-speech").checked || !("speechSynthesis" in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  const list = voices();
  const lang = (document.documentElement.lang || "en").toLowerCase();
  const voice = list.find((v) => v.default && v.lang && v.lang.toLowerCase().startsWith(lang))
    || list.find((v) => v.lang && v.lang.toLowerCase().startsWith(lang));
  if (voice) utterance.voice = voice;
  utterance.lang = voice ? voice.lang : "en";
  window.speechSynthesis.speak(utterance);
}

let audio = null;
function chime() {
  if (!$("opt-chime").checked) return;
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    audio = audio || new Context();
    if (audio.state === "suspended") audio.resume();
    const now = audio.currentTime;
    [880, 1320].forEach((frequency, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.25, now + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.18 + 0.5);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.18);
      osc.stop(now + i * 0.18 + 0.55);
    });
  } catch (error) {
    audio = null; // no sound device: the cue is still shown (and spoken)
  }
}

let wakeLock = null;
async function keepAwake() {
  const note = $("wake-note");
  if (!("wakeLock" in navigator)) {
    note.textContent = "This browser cannot keep the screen on: the screen may dim during the session.";
    note.hidden = false;
    return;
  }
  try {
    wakeLock = await navigator.wakeLock.request("screen");
    note.hidden = true;
  } catch (error) {
    note.textContent = "The screen may dim during the session (the browser did not allow keeping it on).";
    note.hidden = false;
  }
}

function releaseWake() {
  if (wakeLock) wakeLock.release().catch(() => {});
  wakeLock = null;
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && session && !session.ended) keepAwake();
});

// ------------------------------------------------------------------ 5. the session
let session = null;

function startSession() {
  const plan = state.plan;
  if (!plan) return;
  $("start").disabled = true;
  $("routine-error").hidden = true;
  // Record the session in the server's profile (when it has one), then run it.
  api("/session", {...state.request, answers: state.answers, record: true}).then((recorded) => {
    $("start").disabled = false;
    state.plan = recorded;
    runSession(recorded);
  }).catch((failure) => {
    $("start").disabled = false;
    if (failure.status === 409) showAdvice(failure.body.triage);
    else showError($("routine-error"), failure);
  });
}

function runSession(plan) {
  const routine = plan.routine;
  // the same drawing moves to the session view (one copy: its ids stay unique)
  clear($("map-home"));
  placeMap($("map-session"), plan.map_svg);
  session = {
    plan, routine, cues: plan.cues, t: 0, next: 0, paused: false, ended: false,
    last: performance.now(), timer: null, skipped: [], skippedTime: 0, shownStep: null,
  };
  $("view-session").dataset.t = "0";
  $("pause").textContent = "Pause";
  $("paused-note").hidden = true;
  $("cue").textContent = "";
  show("session");
  keepAwake();
  tick();
}

function currentStep(t) {
  if (!session || t >= session.routine.total_seconds) return null;
  return session.routine.steps.find((s) => s.start_s <= t && t < s.start_s + s.duration_s) || null;
}

function emit(cues) {
  if (!cues.length) return;
  if (cues.some((c) => c.kind === "step_start" || c.kind === "switch_foot" || c.kind === "session_end")) {
    chime();
  }
  $("cue").textContent = cues.map((c) => c.text).join(" ");
  for (const cue of cues) say(cue.text);
}

function due() {
  const out = [];
  while (session.next < session.cues.length && session.cues[session.next].at_s <= session.t) {
    out.push(session.cues[session.next]);
    session.next += 1;
  }
  return out;
}

function tick() {
  if (!session || session.ended) return;
  const now = performance.now();
  if (!session.paused) {
    session.t = Math.min(session.routine.total_seconds, session.t + ((now - session.last) / 1000) * SPEED);
  }
  session.last = now;
  $("view-session").dataset.t = String(session.t);
  emit(due());
  render();
  if (session.next >= session.cues.length) {
    finish(true);
    return;
  }
  const nextAt = session.cues[session.next].at_s;
  const wait = session.paused ? 250 : Math.max(0, Math.min(250, ((nextAt - session.t) / SPEED) * 1000));
  session.timer = setTimeout(tick, wait);
}

function render() {
  const {routine, t} = session;
  const step = currentStep(t);
  const total = routine.steps.length;
  if (step) {
    const end = step.start_s + step.duration_s;
    $("now-label").textContent = `Step ${step.index} of ${total} · ${footText(step.foot)}`;
    $("now-name").textContent = step.name;
    $("now-where").textContent = step.location ? `Where: ${step.location}` : "";
    $("now-how").textContent = step.instructions;
    $("step-left").textContent = clock(end - t);
    const next = routine.steps[step.index];
    $("next-step").textContent = next
      ? `Next: ${next.name}, ${footText(next.foot)}, ${duration(next.duration_s)}.` : "Next: the end.";
    if (session.shownStep !== step.index) {
      session.shownStep = step.index;
      highlight(step.index);
    }
  }
  $("total-left").textContent = clock(routine.total_seconds - t);
}

function highlight(index) {
  const svg = $("map-session").querySelector("svg");
  if (!svg) return;
  if (!svg.dataset.viewBox) {
    svg.dataset.viewBox = svg.getAttribute("viewBox");
    svg.dataset.width = svg.getAttribute("width");
    svg.dataset.height = svg.getAttribute("height");
  }
  svg.classList.add("in-session");
  for (const node of svg.querySelectorAll(".current")) node.classList.remove("current");
  const cells = new Set();
  for (const title of svg.querySelectorAll("title")) {
    if (title.textContent.startsWith(`Step ${index}:`) && title.parentNode !== svg) {
      title.parentNode.classList.add("current");
      const cell = title.parentNode.closest("g.view");
      if (cell) cells.add(cell);
    }
  }
  svg.classList.toggle("whole-foot", cells.size === 0);
  // Zoom onto the views that show this step (the whole drawing for a whole-foot step).
  let box = null;
  for (const cell of cells) {
    const b = cell.getBBox();
    box = box ? {x1: Math.min(box.x1, b.x), y1: Math.min(box.y1, b.y),
      x2: Math.max(box.x2, b.x + b.width), y2: Math.max(box.y2, b.y + b.height)}
      : {x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height};
  }
  if (box && box.x2 > box.x1) {
    const pad = 12;
    const [x, y, w, h] = [box.x1 - pad, box.y1 - pad, box.x2 - box.x1 + 2 * pad, box.y2 - box.y1 + 2 * pad];
    svg.setAttribute("viewBox", `${x} ${y} ${w} ${h}`);
    svg.setAttribute("width", String(Math.round(w)));
    svg.setAttribute("height", String(Math.round(h)));
  } else {
    svg.setAttribute("viewBox", svg.dataset.viewBox);
    svg.setAttribute("width", svg.dataset.width);
    svg.setAttribute("height", svg.dataset.height);
  }
}

function togglePause() {
  if (!session || session.ended) return;
  session.paused = !session.paused;
  $("pause").textContent = session.paused ? "Resume" : "Pause";
  $("paused-note").hidden = !session.paused;
  if (session.paused && "speechSynthesis" in window) window.speechSynthesis.cancel();
  clearTimeout(session.timer);
  tick();
}

function skipStep() {
  if (!session || session.ended) return;
  const step = currentStep(session.t);
  if (!step) return;
  const end = step.start_s + step.duration_s;
  session.skipped.push(step.index);
  session.skippedTime += end - session.t;
  session.t = end;
  while (session.next < session.cues.length && session.cues[session.next].at_s < end) session.next += 1;
  if ("speechSynthesis" in window) window.speechSynthesis.cancel();
  clearTimeout(session.timer);
  session.last = performance.now();
  $("view-session").dataset.t = String(session.t);
  emit(due());
  render();
  tick();
}

function stopSession(showEnd) {
  if (!session) return;
  clearTimeout(session.timer);
  if (!session.ended && showEnd) {
    finish(false);
    return;
  }
  session.ended = true;
  releaseWake();
  if ("speechSynthesis" in window) window.speechSynthesis.cancel();
}

function finish(completed) {
  session.ended = true;
  clearTimeout(session.timer);
  releaseWake();
  const {routine, t, skipped} = session;
  const done = routine.steps.filter((s) => s.start_s + s.duration_s <= t && !skipped.includes(s.index));
  $("end-title").textContent = completed ? "Session complete" : "Session stopped";
  const parts = [`${done.length} of ${routine.steps.length} steps done`];
  if (skipped.length) parts.push(`${skipped.length} skipped`);
  $("end-summary").textContent = `${parts.join(", ")}. Time: ${clock(t - session.skippedTime)} `
    + `of ${clock(routine.total_seconds)}.`;
  renderFeedback(routine, t);
  show("end");
}

// ------------------------------------------------------------------ 6. the end
function renderFeedback(routine, t) {
  const rows = $("feedback-rows");
  clear(rows);
  $("feedback-result").textContent = "";
  const targets = new Map();
  for (const step of routine.steps) {
    if (step.kind === "warmup" || step.kind === "cooldown" || step.start_s >= t) continue;
    if (!targets.has(step.target_id)) targets.set(step.target_id, {name: step.name, steps: []});
    targets.get(step.target_id).steps.push(step.index);
  }
  for (const [id, info] of targets) {
    const label = info.steps.length > 1 ? `steps ${info.steps.join(" and ")}` : `step ${info.steps[0]}`;
    const set = el("fieldset", {class: "rating", "data-target": id},
      el("legend", {text: `${info.name} (${label})`}));
    for (const [value, text] of RATINGS) {
      const rid = `rate-${id}-${value}`;
      set.append(el("span", {class: "choice"},
        el("input", {type: "radio", name: `rate-${id}`, id: rid, value}),
        el("label", {for: rid, text})));
    }
    rows.append(set);
  }
  $("feedback-form").hidden = targets.size === 0;
  $("feedback-note").textContent = "Optional. Leave a row blank to not rate it. " + (
    session && session.plan.profile
      ? "Ratings are saved in your profile and later routines take them into account."
      : "This server runs without a profile, so ratings are not kept.");
}

async function sendFeedback(event) {
  event.preventDefault();
  const ratings = {};
  for (const set of $("feedback-rows").querySelectorAll("fieldset.rating")) {
    const picked = set.querySelector("input:checked");
    if (picked) ratings[set.dataset.target] = picked.value;
  }
  const pain = (id) => {
    const raw = $(id).value.trim();
    if (raw === "") return null;
    const value = Number(raw);
    return Number.isInteger(value) && value >= 0 && value <= 10 ? value : NaN;
  };
  const before = pain("pain-before");
  const after = pain("pain-after");
  const result = $("feedback-result");
  if (Number.isNaN(before) || Number.isNaN(after)) {
    result.textContent = "Pain must be a whole number from 0 to 10.";
    return;
  }
  const body = {session_id: state.plan ? state.plan.session_id : null, ratings};
  if (before !== null) body.pain_before = before;
  if (after !== null) body.pain_after = after;
  $("feedback-send").disabled = true;
  try {
    const answer = await api("/feedback", body);
    result.textContent = answer.message;
  } catch (failure) {
    result.textContent = failure.message;
  } finally {
    $("feedback-send").disabled = false;
  }
}

function printCard() {
  const plan = state.plan;
  if (!plan) return;
  let frame = $("card-frame");
  if (frame) frame.remove();
  frame = el("iframe", {id: "card-frame", title: "Printable card", class: "card-frame",
    "aria-hidden": "true", tabindex: "-1"});
  frame.addEventListener("load", () => {
    frame.contentWindow.focus();
    frame.contentWindow.print();
  }, {once: true});
  frame.srcdoc = plan.card_html;
  document.body.append(frame);
}

// ------------------------------------------------------------------ wiring
function onKey(event) {
  if ($("view-session").hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key === "p" || (key === " " && !["BUTTON", "INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName))) {
    event.preventDefault();
    togglePause();
  } else if (key === "s" || key === "n") {
    event.preventDefault();
    skipStep();
  }
}

function init() {
  $("ask-form").addEventListener("submit", submitComplaint);
  $("questions-form").addEventListener("submit", submitAnswers);
  $("questions-back").addEventListener("click", () => show("ask"));
  $("advice-restart").addEventListener("click", startOver);
  $("routine-restart").addEventListener("click", startOver);
  $("end-restart").addEventListener("click", startOver);
  $("start").addEventListener("click", startSession);
  $("pause").addEventListener("click", togglePause);
  $("skip").addEventListener("click", skipStep);
  $("stop").addEventListener("click", () => stopSession(true));
  $("routine-print").addEventListener("click", printCard);
  $("end-print").addEventListener("click", printCard);
  $("feedback-form").addEventListener("submit", sendFeedback);
  $("opt-speech").addEventListener("change", (event) => { state.speechChoice = event.target.checked; });
  document.addEventListener("keydown", onKey);
  if ("speechSynthesis" in window) {
    window.speechSynthesis.addEventListener("voiceschanged", updateSpeechToggle);
  }
  updateSpeechToggle();
  loadConditions();
  show("ask");
}

init();
