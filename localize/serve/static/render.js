// How a translation reads: under a field whose text holds placeholders or special white space,
// a live rendering shows each placeholder as one chip, isolated left to right (in a right-to-left
// field "</1>" otherwise shows as "<1/>"), saying what it stands for (bold, a link and its URL),
// and makes no-break, narrow and thin spaces, tabs, line breaks and invisible marks visible.
"use strict";

const TAG = /<\/?\d+\/?>/;
const SPECIAL = {
  "\u00a0": ["nbsp", "no-break space (U+00A0)"],
  "\u202f": ["nnbsp", "narrow no-break space (U+202F)"],
  "\u2009": ["thin", "thin space (U+2009)"],
  "\u2007": ["fig", "figure space (U+2007)"],
  "\u200b": ["zwsp", "zero-width space (U+200B)"],
  "\u200c": ["zwnj", "zero-width non-joiner (U+200C)"],
  "\u200d": ["zwj", "zero-width joiner (U+200D)"],
  "\u200e": ["lrm", "left-to-right mark (U+200E)"],
  "\u200f": ["rlm", "right-to-left mark (U+200F)"],
  "\u061c": ["alm", "Arabic letter mark (U+061C)"],
  "\t": ["tab", "tab"],
  "\n": ["↵", "line break"],
};
const SPECIAL_CHARS = new RegExp(`[${Object.keys(SPECIAL).join("")}]`);
const SPLIT = new RegExp(`(<\\/?\\d+\\/?>|[${Object.keys(SPECIAL).join("")}])`);

export const needsRendering = (value) => TAG.test(value) || SPECIAL_CHARS.test(value);

// {tag: what it stands for} from the entry's Insert buttons (the English's placeholders).
export function placeholdersOf(entry) {
  const found = {};
  for (const button of entry.querySelectorAll("button[data-insert]")) {
    found[button.dataset.insert] = button.dataset.what || "markup";
  }
  return found;
}

function chip(parent, tag, what) {
  const node = document.createElement("bdi");
  node.dir = "ltr";
  node.className = `chip ${what ? "" : "chip-unknown"}`.trim();
  const shown = what || "not in the English: remove it";
  node.title = `${tag}: ${shown}`;
  const code = document.createElement("span");
  code.className = "tag";
  code.textContent = tag;
  const label = document.createElement("span");
  label.className = "what";
  label.textContent = shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
  node.append(code, " ", label);
  parent.appendChild(node);
}

function mark(parent, char) {
  const [label, name] = SPECIAL[char];
  const node = document.createElement("span");
  node.className = "ws";
  node.title = name;
  node.setAttribute("role", "img");
  node.setAttribute("aria-label", name);
  node.textContent = label;
  parent.appendChild(node);
  if (char === "\n") parent.appendChild(document.createElement("br"));
}

// Fill target with the rendering of value; hidden when there is nothing to show.
export function renderInto(target, value, described) {
  if (!needsRendering(value)) {
    target.hidden = true;
    target.replaceChildren();
    return;
  }
  const parts = document.createDocumentFragment();
  const label = document.createElement("span");
  label.className = "reads visually-hidden";
  label.textContent = "Reads: ";
  parts.appendChild(label);
  for (const piece of value.split(SPLIT)) {
    if (!piece) continue;
    if (SPECIAL[piece]) mark(parts, piece);
    else if (/^<\/?\d+\/?>$/.test(piece)) chip(parts, piece, described[piece]);
    else parts.appendChild(document.createTextNode(piece));
  }
  target.replaceChildren(parts);
  target.hidden = false;
}

// The rendering under an entry's field, made on first need.
export function rendering(entry, field) {
  let target = entry.querySelector(".rendering");
  if (!target && needsRendering(field.value)) {
    target = document.createElement("div");
    target.className = "rendering";
    target.lang = "ar";
    target.dir = "rtl";
    target.id = `r-${entry.dataset.key}`;
    field.after(target);
  }
  if (target) renderInto(target, field.value, placeholdersOf(entry));
}
