"""Strict PO reading: what GNU msgfmt rejects is refused here, with the line.

polib alone is lenient: it reads an unterminated string as if it were
complete, a ``msgid`` cut off before its ``msgstr`` as an empty translation,
``msgstr[0]`` without ``msgid_plural`` as no translation at all, and ``\\q`` as
the two characters it writes back as ``\\\\q``.  A file read that way and written
back loses a reviewer's work, so every one of these is either refused
(``FILE:LINE: ...``) or, where nothing can be lost, read as meant.

Lines are split on "\\n" only (as msgfmt does): a U+2028 or a form feed inside
a string or a comment is text, not a line break.
"""

from __future__ import annotations

import gettext
import re
from typing import NamedTuple

import polib

from localize.errors import LocalizeError

PO_FIX = "fix the file in a PO editor or restore it from version control"
_KEYWORD = re.compile(r"(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>\d+)\])?)\s*(?P<string>.*)$")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')
_SOUND_STRING = r'"[^"\\\n\x04]*(?:\\[\\"ntrvbf][^"\\\n\x04]*)*"'  # none of _check_string's faults
_SOUND = re.compile(_SOUND_STRING + r"\s*$")
_ESCAPE = re.compile(r"\\(.)")
_KEPT_ESCAPES = frozenset('\\"ntrvbf')  # what polib reads and writes back unchanged
_PREVIOUS = re.compile(r'(?:msgctxt|msgid_plural|msgid)\s*(?P<string>.*)$')
_INCOMPLETE = {"msgctxt": "msgctxt without msgid", "msgid": "msgid without msgstr (the file may be cut off)"}
_PLURAL_FIX = ("localize entries have one translation each: keep a single msgstr "
               "and remove msgid_plural and msgstr[N] in a PO editor")


def lines(text: str) -> list[str]:
    """The file's lines, split as msgfmt splits them: at line feeds, and at carriage returns in
    a file that has no line feed (classic Mac line ends, which msgfmt reads too; split on "\n"
    alone, such a file would be one header line hiding every entry)."""
    if "\r" not in text:
        return text.split("\n")
    if "\n" not in text:
        return text.split("\r")
    return re.split(r"\r?\n", text)


# Forms msgfmt reads that polib's parser does not: no space after a comment mark ("#,fuzzy")
# or between a keyword and its string ('msgstr"..."'); given the space, they read as meant.
_TIGHT_MARK = re.compile(r"^(\s*)#([,.:]|\||~(?!\|))(?=[^\s])")
_TIGHT_KEYWORD = re.compile(r'^(\s*(?:#~\s*)?(?:#\|\s*)?(?:#~\|\s*)?)(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)"')


_TIGHT = re.compile(r'^\s*(?:#[,.:|~][^\s]|(?:#~\s*)?(?:#\|\s*)?(?:msgctxt|msgid|msgstr)(?:_plural|\[\d+\])?")',
                    re.MULTILINE)


def _spaced(row: str) -> str:
    if '#' not in row[:3] and '"' not in row[:16]:
        return row
    row = _TIGHT_MARK.sub(r"\1#\2 ", row)
    return _TIGHT_KEYWORD.sub(r'\1\2 "', row)


def parse(text: str, where: str) -> polib.POFile:
    """A PO file's text, checked (whole, by ``_PLAIN``, when written as polib and editors write it;
    else line by line) and then read by polib."""
    rows = lines(text)
    if _TIGHT.search(text):  # (rare: most files are written with the spaces)
        rows = [_spaced(row) for row in rows]
        _check_lines(rows, where)
    elif "\r" in text or not _PLAIN.fullmatch(text if text.endswith("\n") else text + "\n"):
        _check_lines(rows, where)
    parser = polib._POFileParser("", wrapwidth=0)  # noqa: SLF001 (polib splits on U+2028 otherwise)
    parser.fhandle = rows
    try:
        po = parser.parse()
    except (OSError, ValueError) as error:
        line = re.search(r"line (\d+)", str(error))
        raise LocalizeError(f"{where}:{line.group(1)}" if line else where, "not a valid PO file", PO_FIX) from None
    po.wrapwidth = 0
    for entry in po:
        if entry.msgstr_plural and not entry.msgid_plural:  # msgstr[0] alone: the entry's one translation
            entry.msgstr, entry.msgstr_plural = entry.msgstr_plural.get(0, ""), {}
    _check_plural_forms(po, rows, where)
    _check_entries(po, where)
    return po


# A file as PO editors and polib write it, matched whole (C speed): each entry its comments, its previous
# msgctxt/msgid, msgctxt, msgid and msgstr (continued on string lines), all of it obsolete (#~) or none,
# every string sound (closed, no escape polib would not write back, no U+0004), blank lines between
# entries; what it matches, _check_lines accepts (anything else, valid or not, goes through _check_lines).
_PLAIN_ENTRY = (r"{c}(?:#(?![~|])[^\n]*\n)*)(?:{p}(?:msgctxt |msgid )?{s})*(?:{o}msgctxt {x}{s}(?:{o}{s})*))?"
                r"{o}msgid {i}{s}(?:{o}{s})*){o}msgstr {t}{s}(?:{o}{s})*)")


def _plain_entry(obsolete: bool, named: bool) -> str:
    """_PLAIN_ENTRY, live or obsolete; ``named``: its comments, msgctxt, msgid and msgstr captured (as
    comments0, msgctxt0... in a live entry, comments1... in an obsolete one)."""
    groups = {key: f"(?P<{name}{int(obsolete)}>" if named else "(?:"
              for key, name in (("c", "comments"), ("x", "msgctxt"), ("i", "msgid"), ("t", "msgstr"))}
    return _PLAIN_ENTRY.format(o="#~ " if obsolete else "", p=r"#~\| " if obsolete else r"#\| ",
                               s=_SOUND_STRING + "\n", **groups)


_PLAIN = re.compile(f"(?:\n|{_plain_entry(False, False)}|{_plain_entry(True, False)})*")
_PLAIN_ENTRIES = re.compile(f"{_plain_entry(False, True)}|{_plain_entry(True, True)}")
_QUOTED = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
_UNESCAPE = re.compile(r'\\(\\|n|t|r|v|b|f|")')  # (polib's unescape)
_UNESCAPED = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}


class PlainEntry(NamedTuple):
    """What ``plain_entries`` reads of an entry: polib's attributes of the same names."""
    msgctxt: str | None
    msgid: str
    msgstr: str
    flags: list[str]
    tcomment: str
    obsolete: int


def plain_entries(text: str) -> list[PlainEntry] | None:
    """The entries of a PO file written as PO editors and polib write it (the text ``_PLAIN``
    matches), header left out, read as ``parse`` reads them, without polib's line-by-line parser
    (about a third of its time): for what only reads entries (the translation memory's index).  None
    where ``parse`` must read the file: where it is written otherwise, or where ``parse`` refuses
    it (``parse`` then says where and why) or reads its header as more than a header."""
    if "\r" in text:
        return None
    entries: list[PlainEntry] = []
    headers: list[PlainEntry] = []
    end = 0
    for match in _PLAIN_ENTRIES.finditer(text):
        if match.start() != end and text[end:match.start()].strip("\n"):  # (between two entries: blank lines)
            return None
        end = match.end()
        *live, comments, context, msgid, msgstr = match.groups()  # (the obsolete entry's groups)
        obsolete = msgid is not None
        if not obsolete:
            comments, context, msgid, msgstr = live
        noted = _comments(comments) if comments else ([], "")
        if noted is None:
            return None
        entry = PlainEntry(None if context is None else _string(context), _string(msgid), _string(msgstr), *noted,
                           int(obsolete))
        (headers if entry.msgid == "" and not obsolete else entries).append(entry)
    rest = text[end:]
    if rest.strip("\n") or len(headers) > 1 or headers and _plural_forms_fault(_metadata(headers[0].msgstr)):
        return None  # (more than one header: polib takes one of them as the header, the others as entries)
    return None if _entries_fault(entries) else entries


def _string(strings: str) -> str:
    """The text of a keyword's strings (one a line, sound), unescaped as polib unescapes them."""
    text = strings[1:-2] if strings.count("\n") == 1 else "".join(_QUOTED.findall(strings))
    return _UNESCAPE.sub(lambda escape: _UNESCAPED[escape[1]], text) if "\\" in text else text


def _comments(lines: str) -> tuple[list[str], str] | None:
    """(flags, translator comments) of an entry's comment lines as polib reads them; None for a line
    polib refuses ("#text")."""
    flags: list[str] = []
    notes: list[str] = []
    for row in lines.split("\n")[:-1]:
        line = row.strip()
        first, *more = line.split(None, 1)
        if first == "#,":
            flags += [flag.strip() for flag in line[3:].split(",")] if more else []
        elif first == "#" or first.startswith("##"):
            note = line.lstrip("#")
            notes.append(note[1:] if note.startswith(" ") else note)
        elif first not in ("#:", "#."):
            return None
    return flags, "\n".join(notes)


def _fail(where: str, number: int, what: str, hint: str = PO_FIX):
    return LocalizeError(f"{where}:{number}", f"not a valid PO file: {what}", hint)


def _check_lines(rows: list[str], where: str) -> None:
    state, started = None, 0  # the last keyword of the entry being read, and its first line
    for number, row in enumerate(rows, 1):
        line = row.strip()
        if line.startswith("#~"):
            line = line[2:].strip()
            if line.startswith("|"):
                _check_previous(line[1:].strip(), where, number)
                continue
        elif line.startswith("#|"):
            _check_previous(line[2:].strip(), where, number)
            continue
        elif line.startswith("#"):
            if state is not None and state in _INCOMPLETE:
                raise _fail(where, started, _INCOMPLETE[state])
            state = None
            continue
        if not line:
            continue
        keyword = _KEYWORD.match(line)
        if keyword is None:
            if not line.startswith('"'):
                raise _fail(where, number, f"unexpected text {line[:30]!r}")
            if state is None:
                raise _fail(where, number, "a string outside any entry")
            _check_string(line, where, number)
            continue
        _check_string(keyword["string"], where, number)
        state, started = _next_state(state, started, keyword, where, number)
    if state in _INCOMPLETE:
        raise _fail(where, started, _INCOMPLETE[state])


def _next_state(state, started, keyword, where: str, number: int):
    name, index = keyword["keyword"], keyword["index"]
    complete = state in (None, "msgstr", "msgstr[]")
    if name in ("msgctxt", "msgid"):
        if not complete and not (name == "msgid" and state == "msgctxt"):
            raise _fail(where, started, _INCOMPLETE[state])
        return name, started if state == "msgctxt" else number
    if name == "msgid_plural":
        if state != "msgid":
            raise _fail(where, number, "msgid_plural without msgid")
        raise _fail(where, number, "a plural entry (msgid_plural)", _PLURAL_FIX)
    if state != "msgid" and not (state == "msgstr[]" and index and int(index) > 0):
        raise _fail(where, number, f"{name} without msgid")
    if index is None:
        return "msgstr", started
    if int(index) != 0:
        raise _fail(where, number, f"{name} without msgid_plural", _PLURAL_FIX)
    return "msgstr[]", started


def _check_previous(line: str, where: str, number: int) -> None:
    """A ``#|`` line: the previous msgctxt/msgid of a fuzzy entry, or its continuation."""
    match = _PREVIOUS.match(line)
    string = match["string"] if match else line
    if not string.startswith('"'):
        raise _fail(where, number, f"unexpected text in a #| line {line[:30]!r}")
    _check_string(string, where, number)


def _check_string(string: str, where: str, number: int) -> None:
    if _SOUND.match(string):  # (nearly every string: one match, no faults to tell apart)
        return
    if not _STRING.match(string):
        what = "unterminated string" if string.startswith('"') else f"unexpected text {string[:30]!r}"
        raise _fail(where, number, what)
    for escape in _ESCAPE.finditer(string.rstrip()[1:-1]):
        if escape.group(1) not in _KEPT_ESCAPES:
            raise _fail(where, number, f"escape sequence \\{escape.group(1)} in a string",
                        "write the character itself, or \\\\ for a backslash, in a PO editor")
    if "\x04" in string:
        raise _fail(where, number, "a control character <EOT> (U+0004) in a string",
                    "remove it in a PO editor")


_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(?P<count>\S*?)\s*;\s*plural\s*=\s*(?P<rule>[^;]*?)\s*;?\s*$")


def _check_plural_forms(po: polib.POFile, rows: list[str], where: str) -> None:
    fault = _plural_forms_fault(po.metadata)
    if fault:
        number = next((n for n, row in enumerate(rows, 1) if "Plural-Forms:" in row), 1)
        raise _fail(where, number, fault, "set it to what Babel gives for Arabic: nplurals=6; plural=(n==0 ? 0 : "
                    "n==1 ? 1 : ...)")


def _plural_forms_fault(metadata: dict) -> str | None:
    """What is wrong with the header's Plural-Forms, if it has one."""
    value = metadata.get("Plural-Forms")
    if value is None:
        return None
    match = _PLURAL_FORMS.match(value)
    if match is None or not match["count"].isdigit() or int(match["count"]) < 1:
        return f"invalid Plural-Forms {value[:40]!r}"
    try:
        gettext.c2py(match["rule"])
    except (ValueError, SyntaxError, RecursionError):
        return f"invalid plural expression {match['rule'][:40]!r}"
    return None


def _metadata(header: str) -> dict[str, str]:
    """The header's fields as polib reads them (a line without a colon continues the field before)."""
    metadata: dict[str, str] = {}
    key = None
    for line in header.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def _check_entries(po: polib.POFile, where: str) -> None:
    fault = _entries_fault(po, where)
    if fault:
        raise fault


def _entries_fault(entries, where: str = "") -> LocalizeError | None:
    """Duplicate entries (msgfmt's rule and localize's: msgctxt is an entry's key), and
    translations that begin or end with a line break where the English does not: the first."""
    seen: dict = {}
    for entry in entries:
        if entry.obsolete:
            continue
        line = getattr(entry, "linenum", None) or 1  # polib numbers a headerless first entry 0
        context, msgid, msgstr = entry.msgctxt, entry.msgid, entry.msgstr
        for key in (("entry", context, msgid), ("msgctxt", context)) if context else (("entry", context, msgid),):
            if key in seen:
                what = (f"msgctxt {context!r} used twice (lines {seen[key]} and {line})" if key[0] == "msgctxt"
                        else f"duplicate entry for {msgid[:40]!r} (lines {seen[key]} and {line})")
                return LocalizeError(f"{where}:{line}", what,
                                     "merge or remove the second entry in a PO editor (msgcat --use-first)")
            seen[key] = line
        if msgid and msgstr and ("\n" in msgid or "\n" in msgstr):
            for end, test in (("begin", str.startswith), ("end", str.endswith)):
                if test(msgid, "\n") != test(msgstr, "\n"):
                    return _fail(where, line, f"msgid and msgstr do not both {end} with a line break",
                                 "make the translation begin and end as the English does")
    return None
