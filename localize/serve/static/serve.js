// The review page: live checks, save and approve, keyboard, filters, memory, conflicts.
// No build step, no framework: the page is server-rendered, these modules only wire it
// (api: the server; history: undo per field; segments: one entry; render: placeholders and
// white space as they read; keys: the keyboard; tools: filters, progress, bulk, publish).
"use strict";

import {entries, fieldOf, focusEntry, next, noteOf, summary, toReview} from "./api.js";
import * as history from "./history.js";
import * as keys from "./keys.js";
import {rendering} from "./render.js";
import * as segments from "./segments.js";
import * as tools from "./tools.js";

async function onClick(event) {
  const button = event.target.closest("button");
  const entry = button ? button.closest("article.entry") : null;
  if (!entry) return;
  if (button.classList.contains("approve")) {
    if (await segments.approve(entry)) focusEntry(next(entry, toReview) || entry);
  } else if (button.classList.contains("save")) {
    await segments.save(entry, "draft");
  } else if (button.classList.contains("send-back")) {
    await segments.save(entry, "send_back");
    fieldOf(entry).focus();
  } else if (button.classList.contains("use")) {
    segments.useSuggestion(entry, button.dataset.text);
  } else if (button.dataset.insert) {
    segments.insertPlaceholder(entry, button.dataset.insert);
  } else if (button.classList.contains("accept")) {
    await segments.accept(entry, button.dataset.type, button.dataset.term);
  } else if (button.classList.contains("revoke")) {
    await segments.revoke(entry, button.dataset.line);
  } else if (button.classList.contains("save-note")) {
    await segments.saveNote(entry);
  }
}

function start() {
  history.install();
  keys.install();
  tools.install();
  history.onChange((field, how) => {
    const entry = field.closest("article.entry");
    if (entry && (field === fieldOf(entry) || field === noteOf(entry))) segments.fieldChanged(entry, field);
    else if (field.id === "search" && how !== "input") tools.applyFilters(); // (typing: its own listener)
  });
  document.addEventListener("beforeinput", (event) => {
    if (event.target.classList?.contains("translation")) segments.atomicDelete(event);
  });
  document.addEventListener("click", onClick);
  for (const entry of entries()) rendering(entry, fieldOf(entry));
  tools.filter(entries().some(toReview) ? "todo" : "all");
  tools.refresh();
  focusEntry(entries().find((entry) => !entry.classList.contains("hidden") && toReview(entry)), "nearest");
}

if (summary) start();
