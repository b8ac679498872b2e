"""Checks of a translation: the glossary's terms (English finding, Arabic forms) and QA rules.

One registry: every issue type a check reports is declared here once, with the
check that reports it, its severity (``blocking``: it holds a PO back from
``publish``; ``advisory``: shown, never holding anything back), its message
and whether a reviewer may accept it for one term (``# ignore: TYPE TERM``, the
review page's Accept button).  ``check --type``, ``# ignore:`` lines, the
page's issue list and Accept buttons and the publish gate all read it.  A desk
makes a type advisory in ``localize.toml`` (``advisory = ["length-ratio"]``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from localize.records import Issue

BLOCKING, ADVISORY = "blocking", "advisory"


@dataclass(frozen=True)
class IssueType:
    name: str
    check: str  # the check that reports it (glossary, numbers, protected items, ...)
    message: str  # the line after "TYPE: ", with {term}, {found}, {expected} filled in
    severity: str = BLOCKING
    acceptable: bool = True  # a reviewer may accept it for one term of one entry


_MISSING = "{term} (not in the translation; put it back)"
_DUPLICATED = "{term} (more often than in the English)"
_TYPES = (
    IssueType("missing-term", "glossary", "{term} (expected {expected})"),
    IssueType("forbidden-term", "glossary", "{term} (found {found}, use {expected})"),
    IssueType("dnt-altered", "glossary", "{term} (keep {expected} as is)"),
    IssueType("unknown-ignore", "ignores", "'{term}' (not an issue type, or a term this entry's English does not "
              "hold; fix the # ignore: line)", acceptable=False),
    IssueType("empty-translation", "empty", "the translation is empty", acceptable=False),
    IssueType("untranslated", "untranslated", "the translation is the English text"),
    IssueType("changed-number", "numbers", "{term} (found {found})"),
    IssueType("missing-number", "numbers", _MISSING),
    *(IssueType(f"missing-{kind}", "protected items", _MISSING) for kind in ("placeholder", "url", "email")),
    *(IssueType(f"duplicated-{kind}", "protected items", _DUPLICATED) for kind in ("placeholder", "url", "email")),
    IssueType("misplaced-placeholder", "protected items",
              "{term} (an end before its start, or pairs crossed: the markup would break; put them in order)"),
    IssueType("unbalanced-brackets", "balance", "brackets do not pair up as in the English"),
    IssueType("unbalanced-quotes", "balance", "quotation marks do not pair up as in the English"),
    IssueType("latin-word", "latin words", "{term} (translate, or make do-not-translate terms)"),
    IssueType("english-draft", "latin words",
              "{found} of the letters are Latin (the model left it in English; translate it)"),
    IssueType("question-mark", "question marks", "use \u061f, not ?"),
    IssueType("length-ratio", "length ratio", "the translation is {found} times the length of the English"),
    IssueType("repeated-words", "repeated words", "{term} (repeated three times or more; the model looped)"),
    IssueType("bidi-control", "hidden characters",
              "{term} (an invisible direction override that can reorder the text; delete it)"),
    IssueType("control-character", "hidden characters", "{term} (an invisible control character; delete it)"),
)
REGISTRY = {kind.name: kind for kind in _TYPES}
ISSUE_TYPES = frozenset(REGISTRY)  # for `# ignore:` lines, --type, localize.toml's advisory list
GLOSSARY_ISSUES = tuple(kind.name for kind in _TYPES if kind.check == "glossary")


def describe(issue: Issue) -> str:
    """One line for an issue, as ``check``, the page and the PO's ``#. issue:`` lines show it
    (values cut to 60 characters: a 500-character token is not worth a screenful)."""
    from localize.wording import cut

    kind = REGISTRY.get(issue.type)
    if kind is None:
        return issue.type
    issue = replace(issue, term=cut(issue.term), found=cut(issue.found))
    return f"{issue.type}: {kind.message.format(term=issue.term, found=issue.found, expected=issue.expected)}"


def severity(issue_type: str, advisory=frozenset()) -> str:
    """``blocking`` or ``advisory``: the registry's, unless the desk made the type advisory."""
    if issue_type in advisory:
        return ADVISORY
    kind = REGISTRY.get(issue_type)
    return kind.severity if kind else BLOCKING


def acceptable(issue: Issue) -> bool:
    """Whether a reviewer may accept this issue for its term (it names one)."""
    kind = REGISTRY.get(issue.type)
    return bool(issue.term) and kind is not None and kind.acceptable
