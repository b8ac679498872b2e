"""TBX termbases in and out (ISO 30042: TBX v2 ``martif`` and v3 ``tbx``, TBX-Basic).

In: ``termEntry`` / ``langSet`` / ``tig`` (v2) and ``conceptEntry`` / ``langSec``
/ ``termSec`` (v3, DCA and DCT style); language codes with regions in any case
(``en-GB``, ``AR_iq``).  Every English term of an entry that is not deprecated is
a glossary term of its own with the entry's Arabic forms (ISIS, ISIL, Islamic
State, Daesh: four terms).  Entries with the same English, exactly, are one term
(Weblate writes one entry per Arabic form); case is identity, so ISIS and Isis
(the goddess) stay two terms.  An ``administrativeStatus`` of deprecated,
obsolete, superseded or forbidden makes a forbidden form; an entry whose every
term is deprecated (a forbidden pair, as Translate Toolkit marks one) gives its
Arabic as forbidden forms of its English.  Do not translate: ``descrip type=
"Translation needed"`` or ``termNote type="translationNote"`` ``no``, or a term
with the note ``do not translate`` (our v3 export).  Definitions and contexts go
to the note as ``definition: ...`` and ``context: ...`` parts after the plain
notes.  An entity reference the file does not resolve is an error, never part
of a term.

Out, v2 (``martif``, TBX-Basic, for Translate Toolkit and Weblate, which read one
source-target pair per entry): one ``termEntry`` per Arabic form, the approved one
``preferredTerm-admn-sts``, variants ``admittedTerm-admn-sts``; a forbidden form
is an entry whose English and Arabic are both ``deprecatedTerm-admn-sts`` (what
Translate Toolkit reads as an obsolete unit); do not translate is ``descrip
type="Translation needed"`` ``no``; the note a ``note``, definitions ``descrip
type="definition"``, contexts ``descrip type="context"`` on the English term.

Out, v3 (``tbx``, TBX-Basic, DCA style, namespace ``urn:iso:std:iso:30042:ed-2``, ISO 30042:2019
as in the TBX-Basic v3 RELAX NG schema, for CAT tools): one ``conceptEntry`` per
term, English preferred, Arabic preferred / admitted / deprecated; a
do-not-translate term has its English as its Arabic term too, with the note
``do not translate`` (TBX-Basic has no data category for it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from localize.checks.glossary import Term
from localize.errors import LocalizeError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_REJECTED = ("deprecated", "superseded", "notrecommended", "obsolete", "forbidden")
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
TBX3, TBX3_NAMESPACE = 3, "urn:iso:std:iso:30042:ed-2"
DNT_NOTE = "do not translate"
_NOT_TRANSLATED = ("translationNote", "Translation needed")  # their value "no": do not translate
_PARTS = ("definition", "context")  # descrip types kept apart in the note, in this order after the plain notes
_HOLDERS = ("{*}tig", "{*}ntig", "{*}termSec")


@dataclass
class Termbase:
    """What a TBX file gave: the terms, the entries without English or Arabic, and whether any
    term had an administrativeStatus (without one, forbidden forms cannot have been marked)."""

    terms: list[Term]
    skipped: int
    statuses: bool


def read_tbx(data: bytes, where: str) -> tuple[list[Term], int]:
    """English-Arabic terms of a TBX termbase, and how many entries lacked English or Arabic."""
    found = read_termbase(data, where)
    return found.terms, found.skipped


def read_termbase(data: bytes, where: str) -> Termbase:
    root = _parse(data, where)
    merged: dict[str, _Found] = {}  # by the English exactly as written: ISIS is not Isis
    skipped = 0
    for entry in root.iter("{*}termEntry", "{*}conceptEntry"):
        concept = _concept(entry)
        if concept is None:
            skipped += 1
            continue
        for english, notes in concept.english:
            found = merged.setdefault(english, _Found(english, f"{where}:{entry.sourceline}"))
            found.forms += concept.arabic
            found.dnt |= concept.dnt
            found.marked |= concept.marked
            found.notes += [note for note in notes if note not in found.notes]
    terms = [found.term() for found in merged.values()]
    usable = [term for term in terms if term.target or term.type == "dnt"]  # not only forbidden forms
    statuses = any(_is_status(element) for element in root.iter())
    return Termbase(usable, skipped + len(terms) - len(usable), statuses)


def _parse(data: bytes, where: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise LocalizeError(f"{where}:{error.lineno or 1}", f"malformed TBX: {error.msg}",
                            "fix the XML or export the termbase again") from None
    if etree.QName(root).localname not in ("martif", "tbx"):
        raise LocalizeError(where, "not a TBX file (no <martif> or <tbx> root)", "give a TBX termbase")
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        raise LocalizeError(f"{where}:{entity.sourceline or 1}", f"unresolved entity reference {entity.text}",
                            "replace it with the text it stands for, or export the termbase again")
    return root


@dataclass
class _Concept:
    english: list[tuple[str, list[str]]]  # each English term with its notes (the entry's and its own)
    arabic: list[tuple[str, str]]  # (form, status)
    dnt: bool
    marked: bool  # its Arabic had the English as written, noted "do not translate" (taken out)


@dataclass
class _Found:
    source: str
    origin: str
    forms: list[tuple[str, str]] = field(default_factory=list)
    dnt: bool = False
    marked: bool = False
    notes: list[str] = field(default_factory=list)

    def term(self) -> Term:
        accepted = [text for text, status in sorted(self.forms, key=lambda form: "preferred" not in form[1])
                    if not _rejected(status)]
        accepted = list(dict.fromkeys(accepted))
        if self.marked and not any("preferred" in status for _, status in self.forms):
            accepted.insert(0, "")  # kept as written, with no Arabic target: the others are variants
        forbidden = tuple(dict.fromkeys(text for text, status in self.forms if _rejected(status)))
        notes = sorted(self.notes, key=_part_rank)  # plain notes, then definitions, then contexts
        return Term(self.source, accepted[0] if accepted else "", "dnt" if self.dnt else "term", forbidden,
                    tuple(accepted[1:]), "; ".join(notes), self.origin)


def _concept(entry) -> _Concept | None:
    terms = []  # (language, text, status, holder)
    for section in entry.iter("{*}langSet", "{*}langSec"):
        language = re.split(r"[-_]", (section.get(_XML_LANG) or section.get("lang") or "").strip())[0].lower()
        for holder in section.iter(*_HOLDERS):
            element = next(holder.iter("{*}term"), None)
            text = " ".join(_text(element).split()) if element is not None else ""
            if text:
                status = " ".join(_text(note) for note in holder.iter() if _is_status(note))
                terms.append((language, text, status.lower().replace(" ", ""), holder))
    dnt = any(_says_do_not_translate(element) for element in entry.iter())
    english = [term for term in terms if term[0] == "en"]
    accepted = [term for term in english if not _rejected(term[2])]
    if not accepted and english and all(_rejected(term[2]) for term in terms):
        accepted = english  # a forbidden pair: every term deprecated, the Arabic forbidden for the English
    markers = {holder for _, _, _, holder in terms if any(_is_dnt_note(note) for note in holder.iter())}
    written = {term[1] for term in english}
    arabic = [(text, status) for language, text, status, holder in terms
              if language == "ar" and not (holder in markers and text in written)]
    if not accepted or not (arabic or dnt):
        return None
    shared, own = _notes(entry, {term[3] for term in accepted})
    marked = any(language == "ar" and holder in markers and text in written for language, text, _, holder in terms)
    return _Concept([(text, shared + own.get(holder, [])) for _, text, _, holder in accepted], arabic, dnt, marked)


def _notes(entry, english: set) -> tuple[list[str], dict]:
    """The entry's notes for all its terms, and those of each English term on its own (a context)."""
    shared: list[str] = []
    own: dict = {}
    for element in entry.iter("{*}descrip", "{*}note"):
        kind = element.get("type") or ""
        text = " ".join(_text(element).split())
        if not text or kind in _NOT_TRANSLATED or _is_dnt_note(element):
            continue
        note = f"{kind}: {text}" if kind in _PARTS else text
        holder = next(element.iterancestors(*_HOLDERS), None)
        notes = own.setdefault(holder, []) if holder in english else shared
        if note not in notes:
            notes.append(note)
    return shared, own


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _localname(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_status(element) -> bool:
    """``termNote type="administrativeStatus"`` (DCA) or ``<basic:administrativeStatus>`` (DCT)."""
    return isinstance(element.tag, str) and (element.get("type") == "administrativeStatus"
                                             or _localname(element) == "administrativeStatus")


def _says_do_not_translate(element) -> bool:
    if not isinstance(element.tag, str):
        return False
    flagged = element.get("type") in _NOT_TRANSLATED or _localname(element) == "translationNote"
    return flagged and _text(element).strip().lower() == "no" or _is_dnt_note(element)


def _is_dnt_note(element) -> bool:
    """A term's own note "do not translate" (an entry's note that says so is just a note)."""
    parent = element.getparent()
    return _localname(element) == "note" and parent is not None and _localname(parent) in ("tig", "ntig", "termSec") \
        and " ".join(_text(element).split()).lower() == DNT_NOTE


def _rejected(status: str) -> bool:
    return any(word in status for word in _REJECTED)


def _part_rank(note: str) -> int:
    return next((rank for rank, part in enumerate(_PARTS, 1) if note.startswith(f"{part}: ")), 0)


def split_note(note: str) -> tuple[str, list[str], list[str]]:
    """A glossary note as (plain note, definitions, contexts): its ``; ``-separated parts that
    start with ``definition:`` or ``context:`` are those, and a part that follows one of them
    without a prefix continues it (the import writes plain notes first)."""
    plain: list[str] = []
    parts: dict[str, list[str]] = {part: [] for part in _PARTS}
    current = plain
    for piece in (note.split("; ") if note.strip() else []):
        kind = next((part for part in _PARTS if piece.startswith(f"{part}: ")), None)
        if kind:
            parts[kind].append(piece[len(kind) + 2:].strip())
            current = parts[kind]
        elif current is plain:
            plain.append(piece)
        else:
            current[-1] += "; " + piece
    return "; ".join(plain).strip(), parts["definition"], parts["context"]


# --- out -------------------------------------------------------------------------

def write_tbx(terms: list[Term], version: int = 2) -> bytes:
    """The glossary as TBX-Basic: v2 (``martif``, one entry per Arabic form) or v3 (``tbx``, DCA
    style, one concept per term)."""
    from localize.files import check_xml_text

    for term in terms:
        for text in (term.source, term.target, *term.forbidden, *term.variants, term.note):
            check_xml_text(text, term.origin or term.source, "remove it from the glossary")
    return _write_v3(terms) if version == TBX3 else _write_v2(terms)


def _write_v2(terms: list[Term]) -> bytes:
    from lxml import etree

    root = etree.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = etree.SubElement(root, "martifHeader")
    etree.SubElement(etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc"), "p").text = \
        "localize glossary export"
    etree.SubElement(etree.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    number = 0
    for term in terms:
        plain, definitions, contexts = split_note(term.note)
        for arabic, status in _forms(term) or [("", "")]:
            number += 1
            entry = etree.SubElement(body, "termEntry", id=f"t{number}")
            if term.type == "dnt":
                etree.SubElement(entry, "descrip", type="Translation needed").text = "no"
            for definition in definitions:
                etree.SubElement(entry, "descrip", type="definition").text = definition
            if plain:
                etree.SubElement(entry, "note").text = plain
            english = etree.SubElement(etree.SubElement(entry, "langSet", {_XML_LANG: "en"}), "tig")
            etree.SubElement(english, "term").text = term.source
            if status == DEPRECATED:  # the pair is forbidden: Translate Toolkit wants every term deprecated
                etree.SubElement(english, "termNote", type="administrativeStatus").text = DEPRECATED
            for context in contexts:
                etree.SubElement(english, "descrip", type="context").text = context
            if arabic:
                tig = etree.SubElement(etree.SubElement(entry, "langSet", {_XML_LANG: "ar"}), "tig")
                etree.SubElement(tig, "term").text = arabic
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _forms(term: Term) -> list[tuple[str, str]]:
    forms = [(term.target, PREFERRED)] if term.target else []
    forms += [(form, ADMITTED) for form in term.variants]
    return forms + [(form, DEPRECATED) for form in term.forbidden]


def _write_v3(terms: list[Term]) -> bytes:
    from lxml import etree

    def element(parent, name: str, text: str | None = None, **attributes):
        made = etree.SubElement(parent, f"{{{TBX3_NAMESPACE}}}{name}", attributes)
        made.text = text
        return made

    root = etree.Element(f"{{{TBX3_NAMESPACE}}}tbx", {"type": "TBX-Basic", "style": "dca", _XML_LANG: "en"},
                         nsmap={None: TBX3_NAMESPACE})
    element(element(element(element(root, "tbxHeader"), "fileDesc"), "sourceDesc"), "p", "localize glossary export")
    body = element(element(root, "text"), "body")
    for number, term in enumerate(terms, 1):
        plain, definitions, contexts = split_note(term.note)
        concept = element(body, "conceptEntry", id=f"c{number}")
        for definition in definitions:
            element(concept, "descrip", definition, type="definition")
        if plain:
            element(concept, "note", plain)
        english = element(element(concept, "langSec", **{_XML_LANG: "en"}), "termSec")
        element(english, "term", term.source)
        element(english, "termNote", PREFERRED, type="administrativeStatus")
        for context in contexts:
            element(english, "descrip", context, type="context")
        forms = _forms(term)
        if term.type == "dnt":  # its Arabic is the English as written (preferred, unless it has a target)
            forms = [form for form in forms if form[0] != term.source]
            forms.insert(0, (term.source, ADMITTED if any(status == PREFERRED for _, status in forms) else PREFERRED))
        if forms:
            arabic = element(concept, "langSec", **{_XML_LANG: "ar"})
            for form, status in forms:
                held = element(arabic, "termSec")
                element(held, "term", form)
                element(held, "termNote", status, type="administrativeStatus")
                if term.type == "dnt" and form == term.source:
                    element(held, "note", DNT_NOTE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
