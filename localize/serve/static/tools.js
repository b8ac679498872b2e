// The article's tools: filters and search, the live progress line, bulk approval of drafts
// with no issues, Publish, the translation memory's concordance, the warning before leaving
// with unsaved text.
"use strict";

import {entries, fieldOf, hasBlocking, isReviewed, post, postTo, text, toReview} from "./api.js";
import {applyAnswer, unsaved} from "./segments.js";

let kind = "todo";
const byId = (id) => document.getElementById(id);

// Lower case, no Arabic vowel marks or tatweel, one space: what a search compares.
const folded = (value) => value.normalize("NFC").toLowerCase()
  .replace(/[\u064b-\u065f\u0670\u0640]/g, "").replace(/\s+/g, " ");

function shows(entry, query, type) {
  const byKind = kind === "all" || (kind === "todo" && toReview(entry)) ||
    (kind === "issues" && entry.classList.contains("has-issues")) || entry.classList.contains(`state-${kind}`);
  if (!byKind) return false;
  if (type && !entry.querySelector(`ul.issues li[data-type="${CSS.escape(type)}"]`)) return false;
  return !query || folded(entry.dataset.msgid).includes(query) || folded(fieldOf(entry).value).includes(query);
}

export function applyFilters() {
  const query = folded(byId("search")?.value.trim() || "");
  const type = byId("issue-type")?.value || "";
  let shown = 0;
  const all = entries();
  for (const entry of all) {
    const show = shows(entry, query, type);
    entry.classList.toggle("hidden", !show);
    shown += show;
  }
  const status = byId("shown");
  if (status) status.textContent = `${shown} of ${all.length} segments shown`;
}

export function filter(name) {
  kind = name;
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.setAttribute("aria-pressed", button.dataset.filter === name ? "true" : "false");
  }
  applyFilters();
}

// Drafts the bulk approval may take: not empty, no issue at all, nothing unsaved.
const bulkable = (entry) => entry.classList.contains("state-draft") && !entry.classList.contains("has-issues") &&
  !entry.classList.contains("dirty") && !!entry.dataset.baseMsgstr;

// The progress line, the issue-type counts, the bulk and Publish buttons, as the page is now.
export function refresh() {
  const all = entries();
  const count = (test) => all.filter(test).length;
  const reviewed = count(isReviewed), drafts = count((e) => e.classList.contains("state-draft"));
  const flagged = count((e) => isReviewed(e) && hasBlocking(e));
  const progress = byId("progress");
  if (progress) {
    progress.textContent = `${reviewed} of ${all.length} reviewed · ${drafts} drafts · ` +
      `${all.length - reviewed - drafts} untranslated` + (flagged ? ` · ${flagged} reviewed with issues` : "");
  }
  const bulk = byId("bulk-approve");
  if (bulk) {
    const n = count(bulkable);
    bulk.textContent = `Approve ${n} draft${n === 1 ? "" : "s"} with no issues…`;
    bulk.disabled = n === 0;
  }
  const publish = byId("publish");
  if (publish) publish.hidden = reviewed < all.length;
  for (const option of byId("issue-type")?.options || []) {
    if (!option.value) continue;
    const n = count((e) => !!e.querySelector(`ul.issues li[data-type="${CSS.escape(option.value)}"]`));
    option.textContent = `${option.value} (${n})`;
  }
}

function result(message, items, error) {
  const node = byId("result");
  node.replaceChildren();
  text(node, "p", error ? "error" : "", message);
  if (items.length) {
    const list = text(node, "ul", "", "");
    for (const item of items) text(list, "li", "", item);
  }
}

async function bulkApprove() {
  const chosen = entries().filter(bulkable);
  if (!chosen.length) return;
  const question = `Approve ${chosen.length} draft${chosen.length === 1 ? "" : "s"} with no issues, as they are on ` +
    "the page now, without reading them one by one?\n\nSegments with issues, empty ones and ones with unsaved " +
    "changes are left for you.";
  if (!window.confirm(question)) return;
  const {status, body} = await post("bulk-approve", {entries: chosen.map((entry) => ({
    msgctxt: entry.dataset.key, msgid: entry.dataset.msgid,
    base: {msgstr: entry.dataset.baseMsgstr, fuzzy: entry.dataset.baseFuzzy === "true"}}))});
  if (status !== 200) {
    result(body.error || `HTTP ${status}`, [], true);
    return;
  }
  const byKey = new Map(chosen.map((entry) => [entry.dataset.key, entry]));
  for (const answer of body.approved) applyAnswer(byKey.get(answer.msgctxt), answer);
  result(`approved ${body.approved.length}` + (body.refused.length ? `; left ${body.refused.length}:` : ""),
         body.refused.map((item) => `${item.msgctxt}: ${item.reason}`), body.refused.length > 0);
}

async function publish() {
  const {status, body} = await post("publish", {});
  if (status === 200) {
    result(`published: ${body.files.length} file${body.files.length === 1 ? "" : "s"} written`, body.files);
  } else {
    result(body.error || `HTTP ${status}`, (body.held || []).map((hold) => `${hold.msgctxt}: ${hold.reason}`), true);
  }
}

async function concordance(event) {
  event.preventDefault();
  const query = byId("concordance-query").value.trim();
  const status = byId("concordance-status"), list = byId("concordance-results");
  list.replaceChildren();
  const answer = await postTo("/api/concordance", {query});
  if (answer.status !== 200) {
    status.textContent = answer.body.error || `HTTP ${answer.status}`;
    return;
  }
  const results = answer.body.results;
  status.textContent = `${results.length}${answer.body.more ? "+" : ""} in the memory for “${answer.body.query}”`;
  for (const unit of results) {
    const item = text(list, "li", "", "");
    text(item, "span", "", unit.source).lang = "en";
    item.append(" = ");
    const target = text(item, "bdi", "target", unit.target);
    target.lang = "ar";
    target.dir = "rtl";
    text(item, "span", "muted", ` ${unit.origin}`);
  }
}

export function install() {
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-filter]");
    if (button) filter(button.dataset.filter);
  });
  byId("search")?.addEventListener("input", applyFilters);
  byId("issue-type")?.addEventListener("change", applyFilters);
  byId("find")?.addEventListener("submit", (event) => event.preventDefault());
  byId("bulk-approve")?.addEventListener("click", bulkApprove);
  byId("publish")?.addEventListener("click", publish);
  byId("concordance")?.addEventListener("submit", concordance);
  let pending = 0;
  document.addEventListener("localize:changed", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(refresh);
  });
  window.onbeforeunload = (event) => {
    if (!entries().some(unsaved)) return undefined;
    event.preventDefault(); // the browser asks whether to leave: the text typed is not saved
    event.returnValue = "unsaved text";
    return "unsaved text";
  };
}
