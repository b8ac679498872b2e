"""Translation memory: reviewed entries of every PO, and imported TMX files.

Exact matches (same English) pre-fill new entries; close matches (rapidfuzz
``ratio`` >= 75, on the whole segment) are offered to the reviewer with their
score.  TMX 1.4b in and out, for exchange with CAT tools (OmegaT, Trados,
Weblate, Translate Toolkit).  XML is parsed without DTDs, entities or network.
"""

from __future__ import annotations

from dataclasses import dataclass

from localize import __version__
from localize.errors import LocalizeError
from localize.files import check_xml_text

FUZZY_MIN = 75
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Unit:
    source: str
    target: str
    origin: str  # "file:msgctxt" or "file.tmx"
    ignores: tuple[str, ...] = ()  # the reviewer's "ignore: ..." lines, carried with an exact reuse


@dataclass(frozen=True)
class Suggestion:
    score: int
    unit: Unit


def _key(text: str) -> str:
    return " ".join(text.split())


class Memory:
    """Units by English; the first unit for an English wins (files in sorted order)."""

    def __init__(self, units: list[Unit]):
        self.exact: dict[str, Unit] = {}
        for unit in units:
            if unit.source.strip() and unit.target.strip():
                self.exact.setdefault(_key(unit.source), unit)
        self.sources = list(self.exact)

    def __len__(self) -> int:
        return len(self.exact)

    def match(self, source: str) -> Unit | None:
        return self.exact.get(_key(source))

    def suggest(self, source: str, limit: int = 3) -> list[Suggestion]:
        """Close matches, best first, exact ones excluded."""
        from rapidfuzz import fuzz, process

        key = _key(source)
        found = process.extract(key, self.sources, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None)
        found = sorted((item for item in found if item[0] != key), key=lambda item: (-item[1], item[0]))
        return [Suggestion(int(score), self.exact[text]) for text, score, _ in found[:limit]]

    def match_many(self, sources: list[str]) -> list[Unit | None]:
        return [self.match(source) for source in sources]

    def suggest_many(self, sources: list[str], limit: int = 3) -> list[list[Suggestion]]:
        return [self.suggest(source, limit) for source in sources]


def units_from_catalog(po, where: str) -> list[Unit]:
    """The reviewed entries of a PO (translated, not fuzzy, not obsolete)."""
    from localize.review import ignore_lines, reviewed

    return [Unit(entry.msgid, entry.msgstr, f"{where}:{entry.msgctxt}", tuple(ignore_lines(entry)))
            for entry in po if reviewed(entry)]


def suggestion_note(suggestion: Suggestion) -> str:
    from localize.review import one_line

    return one_line(f"memory {suggestion.score}%: {suggestion.unit.source} = {suggestion.unit.target}")


# --- TMX ---------------------------------------------------------------------------

def write_tmx(units: list[Unit]) -> bytes:
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", creationtool="localize", creationtoolversion=__version__,
                     segtype="sentence", adminlang="en", srclang="en", datatype="plaintext", **{"o-tmf": "PO"})
    body = etree.SubElement(root, "body")
    for unit in units:
        for text in (unit.source, unit.target):
            check_xml_text(text, unit.origin, "remove it from that entry in a PO editor; nothing was written")
        tu = etree.SubElement(body, "tu")
        note = etree.SubElement(tu, "prop", type="x-origin")
        note.text = unit.origin
        for lang, text in (("en", unit.source), ("ar", unit.target)):
            tuv = etree.SubElement(tu, "tuv", **{_XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_tmx(data: bytes, where: str) -> list[Unit]:
    """English->Arabic units of a TMX file; other languages are skipped."""
    from lxml import etree

    if not data.strip():
        raise LocalizeError(where, "file is empty", "give a TMX file")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = f":{error.lineno}" if getattr(error, "lineno", None) else ""
        what = str(error.msg).split(", line ")[0]
        raise LocalizeError(f"{where}{line}", f"not valid XML: {what}", "export the TMX again") from None
    if etree.QName(root).localname != "tmx" or root.find("body") is None:
        raise LocalizeError(where, "not a TMX file (no <tmx> with a <body>)", "give a TMX 1.4 file")
    units = []
    for tu in root.iter("tu"):
        segs = {}
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower().split("-")[0]
            seg = tuv.find("seg")
            if seg is not None:
                segs[lang] = "".join(seg.itertext())
        if segs.get("en") and segs.get("ar"):
            units.append(Unit(segs["en"], segs["ar"], f"{where}:{tu.sourceline}"))
    return units
