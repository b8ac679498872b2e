// The review page's keys, and the ? overlay that lists them.
//
// Letters and digits are matched by the key's place (event.code, e.g. "KeyN"), never by the
// character it types (event.key): under an Arabic layout Alt+N types "ى" and must still work.
// Undo and redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) are history.js's.
"use strict";

import {fieldOf, focusEntry, next, noteOf, toReview, withIssues} from "./api.js";
import {isTextField} from "./history.js";
import * as segments from "./segments.js";

const dialog = () => document.getElementById("keys");
let before = null; // what had the focus when the overlay opened

export function openKeys() {
  const overlay = dialog();
  if (!overlay || overlay.open) return;
  before = document.activeElement;
  overlay.showModal();
  overlay.querySelector(".close-keys").focus();
}

export function closeKeys() {
  const overlay = dialog();
  if (!overlay || !overlay.open) return;
  overlay.close();
}

// The key's place: event.code, or (an event made without one) what its key names.
function place(event) {
  if (event.code) return event.code;
  const key = event.key || "";
  if (/^[a-z]$/i.test(key)) return `Key${key.toUpperCase()}`;
  if (/^[0-9]$/.test(key)) return `Digit${key}`;
  return key;
}

const digit = (code) => (/^(Digit|Numpad)([1-9])$/.exec(code) || [])[2];

// The action a key asks for, or "".
function actionOf(event, code) {
  const ctrl = event.ctrlKey || event.metaKey, alt = event.altKey, shift = event.shiftKey;
  if (ctrl && !alt && (code === "Enter" || code === "NumpadEnter")) return shift ? "" : "approve";
  if (ctrl && !alt && !shift && code === "KeyS") return "draft";
  if (ctrl && !alt && !shift && code === "KeyU") return "needs-work";
  if (ctrl && !alt && !shift && code === "KeyB") return "copy-source";
  if (ctrl && !alt && !shift && digit(code)) return "insert";
  if (alt && !ctrl && !shift && digit(code)) return "use";
  if (alt && !ctrl && code === "KeyN") return shift ? "previous-issue" : "next-issue";
  if (alt && !ctrl && !shift && code === "ArrowDown") return "next";
  if (alt && !ctrl && !shift && code === "ArrowUp") return "previous";
  return "";
}

async function run(action, entry, event, code) {
  const inNote = entry && event.target === noteOf(entry);
  if (action === "next-issue" || action === "previous-issue") {
    focusEntry(next(entry, withIssues, action === "next-issue" ? 1 : -1));
  } else if (!entry) {
    return;
  } else if ((action === "approve" || action === "draft") && inNote) {
    await segments.saveNote(entry);
  } else if (action === "approve") {
    if (await segments.approve(entry)) focusEntry(next(entry, toReview) || entry);
  } else if (action === "draft") {
    await segments.save(entry, "draft");
  } else if (action === "needs-work") {
    await segments.toggleNeedsWork(entry);
    fieldOf(entry).focus();
  } else if (action === "copy-source") {
    segments.copySource(entry);
  } else if (action === "insert") {
    const button = entry.querySelectorAll("button[data-insert]")[digit(code) - 1];
    if (button) segments.insertPlaceholder(entry, button.dataset.insert);
  } else if (action === "use") {
    const button = entry.querySelectorAll("button.use")[digit(code) - 1];
    if (button) segments.useSuggestion(entry, button.dataset.text);
  } else if (action === "next" || action === "previous") {
    focusEntry(next(entry, () => true, action === "next" ? 1 : -1));
  }
}

function onKey(event) {
  if (event.isComposing || event.defaultPrevented) return;
  const code = place(event);
  const overlay = dialog();
  if (overlay && overlay.open) {
    if (code === "Escape") {
      event.preventDefault();
      closeKeys();
    }
    return; // nothing else while the list is open
  }
  const target = event.target;
  const entry = target.closest ? target.closest("article.entry") : null;
  const inField = isTextField(target) || target.tagName === "SELECT";
  const ctrl = event.ctrlKey || event.metaKey;
  const question = event.key === "?" || event.key === "\u061f" || (code === "Slash" && event.shiftKey);
  if ((ctrl && !event.altKey && code === "Slash") || (!inField && !ctrl && !event.altKey && question)) {
    event.preventDefault();
    openKeys();
  } else if (!inField && !ctrl && !event.altKey && !event.shiftKey && code === "Slash") {
    event.preventDefault();
    document.getElementById("search")?.focus();
  } else if (code === "Escape" && inField && entry) {
    event.preventDefault();
    entry.focus({preventScroll: true}); // out of the field, still on its segment
  } else {
    const action = actionOf(event, code);
    if (!action || (!entry && !action.endsWith("issue"))) return; // (outside a segment: the browser's)
    event.preventDefault();
    run(action, entry, event, code);
  }
}

export function install() {
  document.addEventListener("keydown", onKey);
  const overlay = dialog();
  if (!overlay) return;
  overlay.addEventListener("close", () => {
    if (before && document.contains(before)) before.focus({preventScroll: true});
    before = null;
  });
  overlay.querySelector(".close-keys").addEventListener("click", closeKeys);
  document.querySelector(".show-keys")?.addEventListener("click", openKeys);
}
