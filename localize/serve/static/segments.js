// One segment on the review page: live checks, save, approve (asking first when issues are
// open), send back, accept or revoke an issue, comments, memory suggestions and placeholders,
// the "unsaved" mark. Every change to a field goes through its own undo history (history.js).
"use strict";

import {asSaved, changed, fieldOf, hasBlocking, isReviewed, noteOf, post, text} from "./api.js";
import {edit} from "./history.js";
import {rendering} from "./render.js";

const timers = new WeakMap();
const checked = new WeakMap(); // entry: the text its issue list is for

const base = (entry) => ({msgstr: entry.dataset.baseMsgstr, fuzzy: entry.dataset.baseFuzzy === "true"});
const who = (entry) => ({msgctxt: entry.dataset.key, msgid: entry.dataset.msgid});

export function say(entry, message, error) {
  const node = entry.querySelector(".message");
  node.textContent = message;
  node.classList.toggle("error", !!error);
}

export function showIssues(entry, issues) {
  const list = entry.querySelector("ul.issues");
  list.replaceChildren();
  for (const issue of issues) {
    const item = text(list, "li", issue.severity, issue.text);
    item.dataset.type = issue.type;
    item.dataset.term = issue.term;
    if (issue.severity === "advisory") text(item, "span", "muted", " (advisory)");
    if (issue.acceptable) {
      item.append(" ");
      const button = text(item, "button", "accept", `Accept for “${issue.term}”`);
      button.type = "button";
      button.dataset.type = issue.type;
      button.dataset.term = issue.term;
    }
  }
  entry.classList.toggle("has-issues", issues.length > 0);
  entry.classList.toggle("has-blocking", issues.some((issue) => issue.severity === "blocking"));
  badge(entry);
  changed(entry);
}

function badge(entry) {
  const state = ["reviewed", "draft", "untranslated"].find((name) => entry.classList.contains(`state-${name}`));
  entry.querySelector(".badge").textContent = state === "reviewed" && hasBlocking(entry) ?
    "reviewed with issues" : state;
  entry.querySelector("button.send-back").hidden = state !== "reviewed";
}

function setState(entry, state) {
  entry.classList.remove("state-reviewed", "state-draft", "state-untranslated");
  entry.classList.add(`state-${state}`);
  badge(entry);
}

function showHistory(entry, approved) {
  let node = entry.querySelector(".history");
  if (!approved) {
    node?.remove();
    return;
  }
  if (!node) {
    node = document.createElement("p");
    node.className = "history";
    entry.querySelector(".state").after(node);
  }
  node.textContent = `History: approved by ${approved}`;
}

function showIgnores(entry, lines) {
  const list = entry.querySelector("ul.ignores");
  list.replaceChildren();
  for (const line of lines) {
    const item = text(list, "li", "", "accepted: ");
    text(item, "span", "line", line.replace(/^\s*ignore:\s*/i, ""));
    item.append(" ");
    const button = text(item, "button", "revoke", "Revoke");
    button.type = "button";
    button.dataset.line = line;
  }
}

// The entry as the server answered (save, accept, revoke, comment, bulk approval).
export function applyAnswer(entry, body) {
  entry.dataset.baseMsgstr = body.msgstr;
  entry.dataset.baseFuzzy = body.fuzzy ? "true" : "false";
  entry.dataset.tcomment = body.tcomment || "";
  entry.dataset.baseNotes = body.notes || "";
  const field = fieldOf(entry);
  if (asSaved(field.value) === body.msgstr && field.value !== body.msgstr) {
    edit(field, body.msgstr, Math.min(field.selectionStart, body.msgstr.length)); // as saved (trimmed)
  }
  checked.set(entry, body.msgstr); // (the issues answered are those of the text saved)
  if (field.value !== body.msgstr) recheck(entry); // typed on meanwhile
  setState(entry, body.state);
  showIssues(entry, body.issues);
  showHistory(entry, body.approved);
  showIgnores(entry, body.ignores || []);
  markUnsaved(entry);
}

function showTheirs(entry, theirs) {
  entry.querySelector(".theirs")?.remove();
  if (!theirs) return;
  const node = document.createElement("p");
  node.className = "theirs";
  node.append("On disk now: ");
  const bdi = text(node, "bdi", "", theirs.msgstr || "(empty)");
  bdi.lang = "ar";
  bdi.dir = "rtl";
  node.append(theirs.fuzzy ? " (draft)" : " (reviewed)");
  if (theirs.notes) node.append(`; comments: ${theirs.notes}`);
  entry.querySelector(".buttons").after(node);
}

// Send a write; on success apply the answer; else say why (and show the version on disk).
async function write(entry, action, data, doing) {
  say(entry, `${doing}…`);
  const {status, body} = await post(action, {...who(entry), ...data});
  showTheirs(entry, status === 409 ? body.theirs : null);
  if (status !== 200) {
    say(entry, body.error || `HTTP ${status}`, true);
    return false;
  }
  applyAnswer(entry, body);
  return true;
}

// mode: "approve", "draft" or "send_back".
export async function save(entry, mode) {
  const doing = {approve: "approving", draft: "saving", send_back: "sending back"}[mode];
  const done = await write(entry, "save", {msgstr: fieldOf(entry).value, approve: mode === "approve",
                                           send_back: mode === "send_back", base: base(entry)}, doing);
  if (done) say(entry, {approve: "approved", draft: "saved", send_back: "sent back to review"}[mode]);
  return done;
}

async function checkText(entry, value) {
  const {status, body} = await post("check", {msgid: entry.dataset.msgid, msgstr: value,
                                              tcomment: entry.dataset.tcomment});
  if (status === 200 && fieldOf(entry).value === value) {
    checked.set(entry, value);
    showIssues(entry, body.issues);
  }
}

export function recheck(entry) {
  clearTimeout(timers.get(entry));
  timers.set(entry, setTimeout(() => checkText(entry, fieldOf(entry).value), 250));
}

// The issues of the text as it is now (checked at once if the list is for another text).
async function checkNow(entry) {
  const value = fieldOf(entry).value;
  const known = checked.has(entry) ? checked.get(entry) : entry.dataset.baseMsgstr;
  if (known === value) return;
  clearTimeout(timers.get(entry));
  await checkText(entry, value);
}

// Approve, asking first when blocking issues are open; false if not approved.
export async function approve(entry) {
  const field = fieldOf(entry);
  if (!asSaved(field.value)) {
    say(entry, "an empty translation cannot be approved", true);
    return false;
  }
  if (isReviewed(entry) && asSaved(field.value) === entry.dataset.baseMsgstr) return true; // approved already
  await checkNow(entry);
  const open = Array.from(entry.querySelectorAll("ul.issues li.blocking"), (item) => item.firstChild.textContent);
  if (open.length) {
    const question = `This segment has ${open.length} open issue${open.length === 1 ? "" : "s"}:\n\n` +
      `${open.join("\n")}\n\nApprove it anyway? It stays in "To review" as reviewed with issues, and ` +
      "publish refuses the article until they are fixed or accepted.";
    if (!window.confirm(question)) {
      say(entry, "not approved: fix or accept its issues first", true);
      field.focus();
      return false;
    }
  }
  return save(entry, "approve");
}

// Ctrl+U: a reviewed segment back to review, a draft approved (asking as approve does).
export function toggleNeedsWork(entry) {
  return isReviewed(entry) ? save(entry, "send_back") : approve(entry);
}

export function unsaved(entry) {
  const note = noteOf(entry);
  return asSaved(fieldOf(entry).value) !== entry.dataset.baseMsgstr ||
    (!!note && asSaved(note.value) !== (entry.dataset.baseNotes || ""));
}

// The visible "unsaved" mark (text, not colour only) while a field differs from what was saved.
export function markUnsaved(entry) {
  const text = asSaved(fieldOf(entry).value) !== entry.dataset.baseMsgstr;
  const note = noteOf(entry);
  const comment = !!note && asSaved(note.value) !== (entry.dataset.baseNotes || "");
  let mark = entry.querySelector(".state .unsaved");
  if (text && !mark) {
    mark = document.createElement("span");
    mark.className = "unsaved";
    mark.textContent = "unsaved";
    entry.querySelector(".badge").after(" ", mark);
  }
  if (mark) mark.hidden = !text;
  const summary = entry.querySelector("details.notes summary");
  if (summary) summary.classList.toggle("unsaved-note", comment);
  entry.classList.toggle("dirty", text || comment);
}

// A field of the entry changed (typed, edited, undone): check it, render it, mark it.
export function fieldChanged(entry, field) {
  if (field === fieldOf(entry)) {
    recheck(entry);
    rendering(entry, field);
  }
  markUnsaved(entry);
}

export function useSuggestion(entry, value) {
  const field = fieldOf(entry);
  edit(field, value, value.length);
  field.focus();
}

export function insertPlaceholder(entry, tag) {
  const field = fieldOf(entry);
  const start = field.selectionStart ?? field.value.length, end = field.selectionEnd ?? start;
  edit(field, field.value.slice(0, start) + tag + field.value.slice(end), start + tag.length);
  field.focus();
}

export function copySource(entry) {
  const field = fieldOf(entry);
  edit(field, entry.dataset.msgid, entry.dataset.msgid.length);
  field.focus();
}

export async function accept(entry, type, term) {
  const done = await write(entry, "ignore", {type, term, base: base(entry)}, "accepting");
  fieldOf(entry).focus(); // (the Accept button is gone: focus stays in this segment)
  if (done) {
    say(entry, `accepted: ${type} ${term}`);
    await checkText(entry, fieldOf(entry).value); // the text as typed, with the new ignore line
  }
}

export async function revoke(entry, line) {
  const done = await write(entry, "unignore", {line, base: base(entry)}, "revoking");
  fieldOf(entry).focus();
  if (done) {
    say(entry, `revoked: ${line}`);
    await checkText(entry, fieldOf(entry).value);
  }
}

export async function saveNote(entry) {
  const note = noteOf(entry);
  const value = note.value;
  const done = await write(entry, "comment", {notes: value, base: {...base(entry), notes: entry.dataset.baseNotes}},
                           "saving the comment");
  if (done) {
    say(entry, "comment saved");
    if (asSaved(note.value) === asSaved(value)) markUnsaved(entry);
  }
  return done;
}

// Backspace / Delete next to a placeholder deletes it whole (one undo step).
export function atomicDelete(event) {
  const field = event.target;
  const back = event.inputType === "deleteContentBackward", forward = event.inputType === "deleteContentForward";
  if ((!back && !forward) || field.selectionStart !== field.selectionEnd) return;
  const at = field.selectionStart, value = field.value;
  const match = back ? value.slice(0, at).match(/<\/?\d+\/?>$/) : value.slice(at).match(/^<\/?\d+\/?>/);
  if (!match) return;
  event.preventDefault();
  const start = back ? at - match[0].length : at;
  edit(field, value.slice(0, start) + value.slice(start + match[0].length), start);
}
