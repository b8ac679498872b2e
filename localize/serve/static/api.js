// The review page's helpers shared by its modules: the JSON API, the entries and their fields.
"use strict";

export const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
export const summary = document.getElementById("summary");
export const po = summary ? summary.dataset.po : "";

// POST a JSON body to an API path; {status, body} (body: the JSON answer, or {error}).
export async function postTo(path, data) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(data), credentials: "same-origin"});
  } catch (error) {
    return {status: 0, body: {error: "the server cannot be reached; nothing was saved"}};
  }
  let body = {};
  try { body = await response.json(); } catch (error) { body = {error: `HTTP ${response.status}`}; }
  return {status: response.status, body};
}

// POST to this article's API: /api/po/<po>/<action>.
export function post(action, data) {
  return postTo(`/api/po/${po}/${action}`, data);
}

export function text(parent, tag, cls, value) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  node.textContent = value;
  parent.appendChild(node);
  return node;
}

export const entries = () => Array.from(document.querySelectorAll("article.entry"));
export const visible = () => entries().filter((e) => !e.classList.contains("hidden"));
export const fieldOf = (entry) => entry.querySelector("textarea.translation");
export const noteOf = (entry) => entry.querySelector("textarea.note");
export const isReviewed = (entry) => entry.classList.contains("state-reviewed");
export const hasBlocking = (entry) => entry.classList.contains("has-blocking");
// To review: not approved yet, or approved with open (blocking) issues that publish refuses.
export const toReview = (entry) => !isReviewed(entry) || hasBlocking(entry);
export const withIssues = (entry) => entry.classList.contains("has-issues");

// The text as the server keeps it: less the spaces and line breaks around it.
export const asSaved = (value) => value.replace(/^[ \t\n]+|[ \t\n]+$/g, "");

// Tell the page that an entry's state changed (progress line, filters, bulk count listen).
export function changed(entry) {
  document.dispatchEvent(new CustomEvent("localize:changed", {detail: {entry}}));
}

// Put the cursor in the entry's Arabic field, the entry in the middle of the screen.
// The cursor goes to the end of the text (where a reviewer goes on typing); block: where it scrolls to.
export function focusEntry(entry, block = "center") {
  if (!entry) return;
  const field = fieldOf(entry);
  field.focus({preventScroll: true});
  field.setSelectionRange(field.value.length, field.value.length);
  entry.scrollIntoView({block});
}

// The next visible entry after `from` (step -1: before it) that passes test, round the end.
export function next(from, test, step = 1) {
  const list = visible();
  let index = list.indexOf(from);
  if (index < 0) index = step > 0 ? -1 : list.length;
  for (let i = 1; i <= list.length; i++) {
    const candidate = list[(index + step * i + list.length * 2) % list.length];
    if (candidate !== from && test(candidate)) return candidate;
  }
  return null;
}
