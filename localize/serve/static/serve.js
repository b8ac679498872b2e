// The review page: live checks, save and approve, keyboard, filters, memory, conflicts.
// No build step, no framework: the page is server-rendered, this only wires it.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const summary = document.getElementById("summary");
  if (!summary) return;
  const po = summary.dataset.po;
  const entries = () => Array.from(document.querySelectorAll("article.entry"));
  const visible = () => entries().filter((e) => !e.classList.contains("hidden"));

  async function post(action, data) {
    const response = await fetch(`/api/po/${po}/${action}`, {
      method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(data), credentials: "same-origin"});
    let body = {};
    try { body = await response.json(); } catch (e) { body = {error: `HTTP ${response.status}`}; }
    return {status: response.status, body};
  }

  function text(el, tag, cls, value) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    node.textContent = value;
    el.appendChild(node);
    return node;
  }

  function showIssues(entry, issues) {
    const list = entry.querySelector("ul.issues");
    list.replaceChildren();
    for (const issue of issues) {
      const item = text(list, "li", issue.severity, issue.text);
      item.dataset.type = issue.type;
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
  }

  function setState(entry, state) {
    entry.classList.remove("state-reviewed", "state-draft", "state-untranslated");
    entry.classList.add(`state-${state}`);
    entry.querySelector(".badge").textContent = state;
  }

  function say(entry, message, error) {
    const node = entry.querySelector(".message");
    node.textContent = message;
    node.classList.toggle("error", !!error);
  }

  const timers = new WeakMap();
  function recheck(entry) {
    clearTimeout(timers.get(entry));
    timers.set(entry, setTimeout(async () => {
      const textarea = entry.querySelector("textarea");
      const {status, body} = await post("check", {msgid: entry.dataset.msgid, msgstr: textarea.value,
                                                 tcomment: entry.dataset.tcomment});
      if (status === 200) showIssues(entry, body.issues);
    }, 250));
  }

  async function save(entry, approve) {
    const textarea = entry.querySelector("textarea");
    const base = {msgstr: entry.dataset.baseMsgstr, fuzzy: entry.dataset.baseFuzzy === "true"};
    say(entry, approve ? "approving…" : "saving…");
    const {status, body} = await post("save", {msgctxt: entry.dataset.key, msgid: entry.dataset.msgid,
                                               msgstr: textarea.value, approve, base});
    entry.querySelector(".theirs")?.remove();
    if (status !== 200) {
      say(entry, body.error || `HTTP ${status}`, true);
      if (body.theirs) {
        const theirs = document.createElement("p");
        theirs.className = "theirs";
        theirs.append("On disk now: ");
        const bdi = text(theirs, "bdi", "", body.theirs.msgstr || "(empty)");
        bdi.lang = "ar"; bdi.dir = "rtl";
        theirs.append(body.theirs.fuzzy ? " (draft)" : " (reviewed)");
        entry.querySelector(".buttons").after(theirs);
      }
      return false;
    }
    entry.dataset.baseMsgstr = body.msgstr;
    entry.dataset.baseFuzzy = body.fuzzy ? "true" : "false";
    entry.dataset.tcomment = body.tcomment || "";
    textarea.value = body.msgstr;
    setState(entry, body.state);
    showIssues(entry, body.issues);
    say(entry, approve ? "approved" : "saved");
    return true;
  }

  function focusEntry(entry) {
    if (!entry) return;
    const textarea = entry.querySelector("textarea");
    textarea.focus();
    entry.scrollIntoView({block: "center"});
  }

  function next(from, test, step = 1) {
    const list = visible();
    let index = list.indexOf(from);
    for (let i = 1; i <= list.length; i++) {
      const candidate = list[(index + step * i + list.length * 2) % list.length];
      if (candidate !== from && test(candidate)) return candidate;
    }
    return null;
  }

  const unreviewed = (e) => !e.classList.contains("state-reviewed");
  const withIssues = (e) => e.classList.contains("has-issues");

  document.addEventListener("input", (event) => {
    const entry = event.target.closest("article.entry");
    if (entry && event.target.tagName === "TEXTAREA") recheck(entry);
  });

  document.addEventListener("keydown", async (event) => {
    const entry = event.target.closest ? event.target.closest("article.entry") : null;
    if (event.ctrlKey && event.key === "Enter" && entry) {
      event.preventDefault();
      if (await save(entry, true)) focusEntry(next(entry, unreviewed));
    } else if (event.altKey && (event.key === "n" || event.key === "N")) {
      event.preventDefault();
      focusEntry(next(entry || visible()[0], withIssues) || (entry ? null : visible().find(withIssues)));
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp") && entry) {
      event.preventDefault();
      focusEntry(next(entry, () => true, event.key === "ArrowDown" ? 1 : -1));
    }
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const entry = button.closest("article.entry");
    if (button.dataset.filter) {
      filter(button.dataset.filter);
    } else if (!entry) {
      return;
    } else if (button.classList.contains("approve")) {
      if (await save(entry, true)) focusEntry(next(entry, unreviewed));
    } else if (button.classList.contains("save")) {
      await save(entry, false);
    } else if (button.classList.contains("use")) {
      const textarea = entry.querySelector("textarea");
      textarea.value = button.dataset.text;
      textarea.focus();
      recheck(entry);
    } else if (button.dataset.insert) {
      const textarea = entry.querySelector("textarea");
      const start = textarea.selectionStart ?? textarea.value.length, end = textarea.selectionEnd ?? start;
      textarea.setRangeText(button.dataset.insert, start, end, "end");
      textarea.focus();
      recheck(entry);
    } else if (button.classList.contains("accept")) {
      const {status, body} = await post("ignore", {msgctxt: entry.dataset.key, msgid: entry.dataset.msgid,
                                                   type: button.dataset.type, term: button.dataset.term});
      if (status === 200) {
        entry.dataset.tcomment = body.tcomment || "";
        recheck(entry);
        say(entry, `accepted: ${button.dataset.type} ${button.dataset.term}`);
      } else {
        say(entry, body.error || `HTTP ${status}`, true);
      }
    }
  });

  function filter(kind) {
    for (const button of document.querySelectorAll("[data-filter]")) {
      button.setAttribute("aria-pressed", button.dataset.filter === kind ? "true" : "false");
    }
    for (const entry of entries()) {
      const show = kind === "all" || (kind === "todo" && unreviewed(entry)) ||
        (kind === "issues" && withIssues(entry)) || entry.classList.contains(`state-${kind}`);
      entry.classList.toggle("hidden", !show);
    }
  }

  filter(entries().some(unreviewed) ? "todo" : "all");
})();
