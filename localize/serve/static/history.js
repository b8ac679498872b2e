// Undo and redo that stay in their own field.
//
// A browser keeps one undo stack per page: Ctrl+Z in one field can revert another one (an
// approved segment), move the cursor there, and the next keys then land in it. So every text
// field here keeps its own history, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y and the browser's own
// undo (beforeinput historyUndo/historyRedo) are taken over everywhere on the page, and what
// the page itself puts in a field (Use, Insert, copy the English) goes through the same
// history, so it can be undone too. Keys are matched by their place (event.code), so they
// work under any keyboard layout.
"use strict";

const LIMIT = 500; // states kept per field
const PAUSE = 1000; // ms: typing after a pause is a new undo step
const histories = new WeakMap();
const listeners = [];

export const isTextField = (el) => !!el && (el.tagName === "TEXTAREA" ||
  (el.tagName === "INPUT" && /^(search|text)$/.test(el.type)));

const snap = (field) => ({value: field.value, start: field.selectionStart, end: field.selectionEnd});

function historyOf(field) {
  let history = histories.get(field);
  if (!history) {
    history = {states: [snap(field)], index: 0, kind: "", time: 0, sealed: true};
    histories.set(field, history);
  }
  return history;
}

// Call fn(field, how) after every change of a field: typed, edit, undo, redo.
export function onChange(fn) {
  listeners.push(fn);
}

function told(field, how) {
  for (const fn of listeners) fn(field, how);
}

// Record the field's value as the newest state (typing merges into the step it continues).
function record(field, kind) {
  const history = historyOf(field);
  const now = Date.now();
  history.states.length = history.index + 1; // a change after an undo drops the redo states
  const top = history.states[history.index];
  if (top.value === field.value) {
    top.start = field.selectionStart;
    top.end = field.selectionEnd;
    return;
  }
  const merge = kind && kind === history.kind && !history.sealed && now - history.time < PAUSE;
  if (merge) {
    history.states[history.index] = snap(field);
  } else {
    history.states.push(snap(field));
    if (history.states.length > LIMIT) history.states.shift();
    history.index = history.states.length - 1;
  }
  history.kind = kind;
  history.time = now;
  history.sealed = false;
}

// Put value in the field as one undoable step, the cursor at start..end.
export function edit(field, value, start, end = start) {
  const history = historyOf(field); // (the state before, if the field had none yet)
  history.sealed = true;
  field.value = value;
  field.setSelectionRange(start, end);
  record(field, "");
  history.sealed = true;
  told(field, "edit");
}

// Forget the field's history (a save that replaced its text from the server).
export function reset(field) {
  histories.delete(field);
}

function go(field, step) {
  const history = histories.get(field);
  const index = history ? history.index + step : -1;
  if (!history || index < 0 || index >= history.states.length) return false;
  history.index = index;
  history.sealed = true;
  const state = history.states[index];
  field.value = state.value;
  field.setSelectionRange(state.start, state.end);
  told(field, step < 0 ? "undo" : "redo");
  return true;
}

export const undo = (field) => go(field, -1);
export const redo = (field) => go(field, 1);

function kindOf(event) {
  const type = event.inputType || "";
  if (type.startsWith("insertText") || type === "insertCompositionText") return "insert";
  if (type.startsWith("delete")) return "delete";
  return "";
}

function onBeforeInput(event) {
  const field = event.target;
  if (!isTextField(field)) return;
  if (event.inputType === "historyUndo" || event.inputType === "historyRedo") {
    event.preventDefault(); // never the browser's page-wide undo
    go(field, event.inputType === "historyUndo" ? -1 : 1);
    return;
  }
  historyOf(field); // the state before this change
}

function onInput(event) {
  const field = event.target;
  if (!isTextField(field)) return;
  if (event.inputType === "historyUndo" || event.inputType === "historyRedo") {
    const history = historyOf(field); // the browser's undo got through (it could not be refused):
    const state = history.states[history.index]; // put back what this field's own history says
    field.value = state.value;
    field.setSelectionRange(state.start, state.end);
    told(field, "restore");
    return;
  }
  if (event.isComposing) return; // recorded at compositionend
  record(field, kindOf(event));
  if (event.inputType === "insertText" && /\s/.test(event.data || "")) historyOf(field).sealed = true;
  told(field, "input");
}

function onKeyDown(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const key = event.code || `Key${(event.key || "").toUpperCase()}`;
  const undoKey = key === "KeyZ", redoKey = key === "KeyY" && !event.shiftKey;
  if (!undoKey && !redoKey) return;
  event.preventDefault(); // in a field or not: the browser's undo would reach into another field
  event.stopImmediatePropagation();
  if (isTextField(event.target)) go(event.target, undoKey && !event.shiftKey ? -1 : 1);
}

export function install() {
  document.addEventListener("beforeinput", onBeforeInput, true);
  document.addEventListener("input", onInput, true);
  document.addEventListener("compositionend", (event) => {
    if (isTextField(event.target)) {
      record(event.target, "insert");
      told(event.target, "input");
    }
  }, true);
  document.addEventListener("keydown", onKeyDown, true);
}
