"""TBX termbases in and out (ISO 30042: TBX v2 ``martif`` and v3 ``tbx``, TBX-Basic).

In: ``termEntry`` / ``langSet`` / ``tig`` (v2) and ``conceptEntry`` / ``langSec``
/ ``termSec`` (v3); language codes with regions in any case (``en-US``,
``AR_iq``).  Weblate's and TBX-Basic's conventions are read: an
``administrativeStatus`` of deprecated, obsolete, superseded or forbidden makes
a forbidden form; ``termNote type="translationNote"`` (or ``descrip type=
"Translation needed"``) ``no`` makes a do-not-translate term.  Entries with the
same English are one term (Weblate writes one entry per Arabic form).  An
entity reference the file does not resolve is an error, never part of a term.

Out: TBX-Basic v2 that Translate Toolkit and Weblate read: one ``termEntry`` per
Arabic form (the approved one ``preferredTerm-admn-sts``, variants
``admittedTerm-admn-sts``, forbidden forms ``forbidden``), the note as a
``descrip``, do-not-translate terms with ``translationNote`` ``no``.
"""

from __future__ import annotations

import re

from localize.errors import LocalizeError
from localize.checks.glossary import Term

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_REJECTED = ("deprecated", "superseded", "notrecommended", "obsolete", "forbidden")


def read_tbx(data: bytes, where: str) -> tuple[list[Term], int]:
    """English-Arabic terms of a TBX termbase, and how many entries lacked English or Arabic."""
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
    merged: dict[str, dict] = {}
    skipped = 0
    for entry in root.iter("{*}termEntry", "{*}conceptEntry"):
        found = _entry(entry)
        if found is None:
            skipped += 1
            continue
        english, forms, dnt, notes = found
        term = merged.setdefault(english.casefold(), {"source": english, "forms": [], "dnt": False, "notes": [],
                                                      "origin": f"{where}:{entry.sourceline}"})
        term["forms"] += forms
        term["dnt"] |= dnt
        term["notes"] += [note for note in notes if note not in term["notes"]]
    terms = [_term(term) for term in merged.values()]
    usable = [term for term in terms if term.target or term.type == "dnt"]  # not only forbidden forms
    return usable, skipped + len(terms) - len(usable)


def _entry(entry):
    from lxml import etree

    forms: dict[str, list[tuple[str, str]]] = {}
    dnt = any(_text(note).strip().lower() == "no" for note in entry.iter()
              if isinstance(note.tag, str) and (note.get("type") in ("translationNote", "Translation needed")
                                                or etree.QName(note).localname == "translationNote"))
    for section in entry.iter("{*}langSet", "{*}langSec"):
        language = re.split(r"[-_]", (section.get(_XML_LANG) or section.get("lang") or "").strip())[0].lower()
        for holder in section.iter("{*}tig", "{*}ntig", "{*}termSec"):
            element = next(holder.iter("{*}term"), None)
            text = " ".join(_text(element).split()) if element is not None else ""
            if text:
                status = " ".join(_text(note) for note in holder.iter()  # DCA: termNote type=...; DCT:
                                  if isinstance(note.tag, str) and (  # <basic:administrativeStatus>
                                      note.get("type") == "administrativeStatus"
                                      or etree.QName(note).localname == "administrativeStatus"))
                status = status.lower().replace(" ", "")
                forms.setdefault(language, []).append((text, status))
    english = [text for text, status in forms.get("en", []) if not _rejected(status)]
    arabic = forms.get("ar", [])
    if not english or not (arabic or dnt):
        return None
    notes = [" ".join(_text(note).split()) for note in entry.iter("{*}descrip", "{*}note")
             if note.get("type") not in ("Translation needed",)]
    return english[0], arabic, dnt, [note for note in notes if note]


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _rejected(status: str) -> bool:
    return any(word in status for word in _REJECTED)


def _term(found: dict) -> Term:
    accepted = [text for text, status in sorted(found["forms"], key=lambda form: "preferred" not in form[1])
                if not _rejected(status)]
    accepted = list(dict.fromkeys(accepted))
    forbidden = tuple(dict.fromkeys(text for text, status in found["forms"] if _rejected(status)))
    kind = "dnt" if found["dnt"] else "term"
    return Term(found["source"], accepted[0] if accepted else "", kind, forbidden, tuple(accepted[1:]),
                "; ".join(found["notes"]), found["origin"])


def write_tbx(terms: list[Term]) -> bytes:
    """TBX-Basic v2, one termEntry per Arabic form (as Weblate and Translate Toolkit read it)."""
    from lxml import etree

    root = etree.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = etree.SubElement(etree.SubElement(etree.SubElement(root, "martifHeader"), "fileDesc"), "sourceDesc")
    etree.SubElement(header, "p").text = "localize glossary export"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    number = 0
    for term in terms:
        forms = [(term.target, "preferredTerm-admn-sts")] if term.target else []
        forms += [(form, "admittedTerm-admn-sts") for form in term.variants]
        forms += [(form, "forbidden") for form in term.forbidden]
        for arabic, status in forms or [("", "")]:
            number += 1
            entry = etree.SubElement(body, "termEntry", id=f"t{number}")
            if term.note:
                etree.SubElement(entry, "descrip").text = term.note
            english = etree.SubElement(etree.SubElement(entry, "langSet", {_XML_LANG: "en"}), "tig")
            etree.SubElement(english, "term").text = term.source
            if term.type == "dnt":
                etree.SubElement(english, "termNote", type="translationNote").text = "no"
            if arabic:
                tig = etree.SubElement(etree.SubElement(entry, "langSet", {_XML_LANG: "ar"}), "tig")
                etree.SubElement(tig, "term").text = arabic
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
