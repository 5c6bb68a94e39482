"""Schema and package checks for PPTX files (ECMA-376 / ISO/IEC 29500 transitional).

PowerPoint refuses decks ("PowerPoint found a problem with content") that LibreOffice and
python-pptx open happily, so :func:`validate_pptx` validates every XML part of the package
against the ISO/IEC 29500 schemas and checks the package plumbing (content types,
relationship targets, relationship ids used by the parts).

The schema directory comes from ``$STORYPACK_XSD_DIR`` or ``tests/support/ooxml-xsd`` (see its README for provenance).
"""

from __future__ import annotations

import copy
import os
import posixpath
import re
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

# --- namespaces -------------------------------------------------------------------------

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"

XML_NS = "http://www.w3.org/XML/1998/namespace"

CONTENT_TYPES_PART = "[Content_Types].xml"

#: Root-element namespace of a part -> schema file (in the schema directory) validating it.
#: pml.xsd covers slides, layouts, masters, notes, presentation.xml, presProps.xml and
#: viewProps.xml; dml-main.xsd covers themes (a:theme) and tableStyles.xml (a:tblStyleLst).
SCHEMA_FILE_BY_NAMESPACE: dict[str, str] = {
    "http://schemas.openxmlformats.org/presentationml/2006/main": "pml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "dml-chart.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing": "dml-chartDrawing.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram": "dml-diagram.xsd",
    CT_NS: "opc-contentTypes.xsd",
    PKG_REL_NS: "opc-relationships.xsd",
    CORE_NS: "opc-coreProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": (
        "shared-documentPropertiesCustom.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml": (
        "shared-customXmlDataProperties.xsd"
    ),
}

#: What is NOT schema-validated, and why. Any XML part whose root namespace is missing from
#: SCHEMA_FILE_BY_NAMESPACE is skipped (see :func:`part_coverage`); these are the known ones.
SKIPPED: dict[str, str] = {
    "non-XML parts": "images, media, printerSettings*.bin, docProps/thumbnail.jpeg and the "
    "embedded .xlsx behind native charts are binary; only their content type and the "
    "relationships pointing at them are checked (the embedded workbook is not opened)",
    "http://schemas.microsoft.com/office/drawing/2012/chartStyle": "chart style/colour parts "
    "(cs:chartStyle, cs:colorStyle) written by PowerPoint 2013+; Microsoft extension schema, "
    "not in ISO/IEC 29500",
    "http://schemas.microsoft.com/office/powerpoint/2018/8/main": "modern comments "
    "(p188:cmLst, p188:authorLst); Microsoft extension schema",
    "http://schemas.microsoft.com/office/webextensions/webextension/2010/11": "Office add-in "
    "parts; Microsoft extension schema",
    "extension content inside validated parts": "children of p:ext / a:ext / c:ext are "
    "validated laxly (the schemas use xsd:any processContents=lax), so p14:/a14:/c14: "
    "content is not checked",
    "markup compatibility": "mc:AlternateContent is replaced by the first mc:Choice whose "
    "Requires namespaces the schemas define, else mc:Fallback, else removed; elements and "
    "attributes in mc:Ignorable namespaces the schemas do not define are stripped",
}

#: At most this many schema messages are reported per part.
MAX_MESSAGES_PER_PART = 20

# Minimal local stand-ins for the Dublin Core schemas that opc-coreProperties.xsd imports
# from dublincore.org (no network during tests). They mirror the 2003-04-02 dc.xsd /
# dcterms.xsd for the elements core.xml may use, including the dcterms:W3CDTF type.
_DC_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns="http://purl.org/dc/elements/1.1/" targetNamespace="http://purl.org/dc/elements/1.1/"
  elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="%s"/>
  <xs:complexType name="SimpleLiteral">
    <xs:complexContent mixed="true">
      <xs:restriction base="xs:anyType">
        <xs:sequence>
          <xs:any processContents="lax" minOccurs="0" maxOccurs="0"/>
        </xs:sequence>
        <xs:attribute ref="xml:lang" use="optional"/>
      </xs:restriction>
    </xs:complexContent>
  </xs:complexType>
  <xs:element name="any" type="SimpleLiteral" abstract="true"/>
  <xs:element name="title" substitutionGroup="any"/>
  <xs:element name="creator" substitutionGroup="any"/>
  <xs:element name="subject" substitutionGroup="any"/>
  <xs:element name="description" substitutionGroup="any"/>
  <xs:element name="publisher" substitutionGroup="any"/>
  <xs:element name="contributor" substitutionGroup="any"/>
  <xs:element name="date" substitutionGroup="any"/>
  <xs:element name="type" substitutionGroup="any"/>
  <xs:element name="format" substitutionGroup="any"/>
  <xs:element name="identifier" substitutionGroup="any"/>
  <xs:element name="source" substitutionGroup="any"/>
  <xs:element name="language" substitutionGroup="any"/>
  <xs:element name="relation" substitutionGroup="any"/>
  <xs:element name="coverage" substitutionGroup="any"/>
  <xs:element name="rights" substitutionGroup="any"/>
</xs:schema>
"""

_DCTERMS_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns="http://purl.org/dc/terms/" targetNamespace="http://purl.org/dc/terms/"
  elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="%s"/>
  <xs:import namespace="http://purl.org/dc/elements/1.1/"
    schemaLocation="http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd"/>
  <xs:element name="created" substitutionGroup="dc:date"/>
  <xs:element name="modified" substitutionGroup="dc:date"/>
  <xs:complexType name="W3CDTF">
    <xs:simpleContent>
      <xs:restriction base="dc:SimpleLiteral">
        <xs:simpleType>
          <xs:union memberTypes="xs:gYear xs:gYearMonth xs:date xs:dateTime"/>
        </xs:simpleType>
        <xs:attribute ref="xml:lang" use="prohibited"/>
      </xs:restriction>
    </xs:simpleContent>
  </xs:complexType>
</xs:schema>
"""

# The XML namespace's own attributes (xml:lang, xml:space, ...), which libxml2 does not know
# without a schema; imports of that namespace without a schemaLocation are pointed here.
_XML_NS_XSD_URL = "http://www.w3.org/2001/xml.xsd"
_XML_NS_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang">
    <xs:simpleType>
      <xs:union memberTypes="xs:language">
        <xs:simpleType>
          <xs:restriction base="xs:string"><xs:enumeration value=""/></xs:restriction>
        </xs:simpleType>
      </xs:union>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="space">
    <xs:simpleType>
      <xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/>
        <xs:enumeration value="preserve"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
</xs:schema>
"""

_STUB_SCHEMAS: dict[str, bytes] = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": _DC_XSD % _XML_NS_XSD_URL.encode(),
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": (
        _DCTERMS_XSD % _XML_NS_XSD_URL.encode()
    ),
    _XML_NS_XSD_URL: _XML_NS_XSD,
}


class _StubResolver(etree.Resolver):
    """Serves the local Dublin Core / xml.xsd stand-ins instead of fetching them from the web."""

    def resolve(self, system_url: str, public_id: str | None, context: object) -> object:
        """Return the stub schema document for a known web schema URL, else None."""
        data = _STUB_SCHEMAS.get(system_url)
        if data is None:
            return None
        return self.resolve_string(data, context, base_url=system_url)


# --- schema loading ---------------------------------------------------------------------

_SCHEMAS: dict[Path, etree.XMLSchema] = {}
_UNDERSTOOD: dict[Path, frozenset[str]] = {}


def schema_dir() -> Path:
    """Return the directory holding the OOXML XSDs; raise FileNotFoundError if it is missing."""
    env = os.environ.get("STORYPACK_XSD_DIR")
    directory = Path(env) if env else Path(__file__).resolve().parent / "ooxml-xsd"
    if not (directory / "pml.xsd").is_file():
        source = "$STORYPACK_XSD_DIR" if env else "tests/support/ooxml-xsd"
        raise FileNotFoundError(
            f"OOXML schema directory not found: {directory} (from {source}) has no pml.xsd. "
            "Set STORYPACK_XSD_DIR to the folder with the ISO/IEC 29500 XSDs "
            "(pml.xsd, dml-chart.xsd, opc-*.xsd, ...)."
        )
    return directory


def _locate_xml_namespace_imports(document: etree._ElementTree) -> None:
    """Give location-less imports of the xml: namespace the stub's URL (in place)."""
    for imp in document.getroot().iterfind("{http://www.w3.org/2001/XMLSchema}import"):
        if imp.get("namespace") == XML_NS and imp.get("schemaLocation") is None:
            imp.set("schemaLocation", _XML_NS_XSD_URL)


def load_schema(filename: str) -> etree.XMLSchema:
    """Return the compiled schema for an XSD file in :func:`schema_dir` (cached per process)."""
    path = (schema_dir() / filename).resolve()
    schema = _SCHEMAS.get(path)
    if schema is None:
        parser = etree.XMLParser(no_network=True)
        parser.resolvers.add(_StubResolver())
        document = etree.parse(str(path), parser)
        _locate_xml_namespace_imports(document)
        schema = _SCHEMAS[path] = etree.XMLSchema(document)
    return schema


def understood_namespaces() -> frozenset[str]:
    """Return the target namespaces of all XSDs in the schema directory (what we can check)."""
    directory = schema_dir().resolve()
    known = _UNDERSTOOD.get(directory)
    if known is None:
        found = {XML_NS}
        for xsd in directory.glob("*.xsd"):
            ns = etree.parse(str(xsd)).getroot().get("targetNamespace")
            if ns:
                found.add(ns)
        known = _UNDERSTOOD[directory] = frozenset(found)
    return known


# --- markup compatibility (ECMA-376 part 3) -----------------------------------------------


def _prefixes_to_namespaces(element: etree._Element, value: str | None) -> set[str]:
    """Return the namespaces bound (on `element`) to the space-separated prefixes in `value`."""
    if not value:
        return set()
    nsmap = element.nsmap
    return {ns for prefix in value.split() if (ns := nsmap.get(prefix)) is not None}


def _process_content(element: etree._Element, value: str | None) -> set[tuple[str, str]]:
    """Return (namespace, local-name or '*') pairs named by an mc:ProcessContent value."""
    pairs: set[tuple[str, str]] = set()
    for qname in (value or "").split():
        prefix, _, local = qname.rpartition(":")
        ns = element.nsmap.get(prefix or None)
        if ns is not None:
            pairs.add((ns, local))
    return pairs


def _choose_branch(alternate: etree._Element, understood: frozenset[str]) -> etree._Element | None:
    """Return the mc:Choice a 2006-schema consumer selects (Requires understood), else
    mc:Fallback, else None."""
    for choice in alternate.iterchildren(f"{{{MC_NS}}}Choice"):
        required = choice.get("Requires", "").split()
        namespaces = _prefixes_to_namespaces(choice, choice.get("Requires"))
        if len(namespaces) == len(required) and namespaces <= understood:
            return choice
    return next(alternate.iterchildren(f"{{{MC_NS}}}Fallback"), None)


def _strip_attributes(element: etree._Element, ignorable: frozenset[str]) -> None:
    """Remove mc:* attributes and attributes in ignorable namespaces from `element`."""
    for name in list(element.attrib):
        ns = etree.QName(name).namespace
        if ns == MC_NS or ns in ignorable:
            del element.attrib[name]


def _apply_mce(
    element: etree._Element,
    understood: frozenset[str],
    ignorable: frozenset[str],
    process: frozenset[tuple[str, str]],
) -> None:
    """Rewrite `element`'s subtree in place as a consumer that understands only `understood`
    namespaces sees it: resolve mc:AlternateContent, drop ignorable markup."""
    extra = _prefixes_to_namespaces(element, element.get(f"{{{MC_NS}}}Ignorable"))
    ignorable = ignorable | frozenset(extra - understood)
    process = process | frozenset(
        _process_content(element, element.get(f"{{{MC_NS}}}ProcessContent"))
    )
    _strip_attributes(element, ignorable)
    index = 0
    while index < len(element):
        child = element[index]
        if not isinstance(child.tag, str):
            index += 1
            continue
        qname = etree.QName(child)
        if qname.namespace == MC_NS and qname.localname == "AlternateContent":
            branch = _choose_branch(child, understood)
            replacement = list(branch) if branch is not None else []
        elif qname.namespace in ignorable:
            names = {(qname.namespace, qname.localname), (qname.namespace, "*")}
            replacement = list(child) if names & process else []
        else:
            _apply_mce(child, understood, ignorable, process)
            index += 1
            continue
        element.remove(child)
        for offset, new in enumerate(replacement):
            element.insert(index + offset, new)
        # the replacements are revisited by the loop (they may contain more mc markup)


def without_markup_compatibility(root: etree._Element) -> etree._Element:
    """Return a copy of `root` with markup-compatibility constructs resolved (see SKIPPED)."""
    doc = copy.deepcopy(root)
    _apply_mce(doc, understood_namespaces(), frozenset(), frozenset())
    return doc


# --- package helpers ------------------------------------------------------------------------


def _is_xml_name(name: str) -> bool:
    """Return True when the part name says XML (.xml or .rels)."""
    return name.lower().endswith((".xml", ".rels"))


def _rels_source(rels_name: str) -> str | None:
    """Return the part a .rels part describes ('' for the package), or None if not a .rels."""
    match = re.fullmatch(r"(?:(.*)/)?_rels/([^/]*)\.rels", rels_name)
    if match is None:
        return None
    folder, file = match.group(1), match.group(2)
    return f"{folder}/{file}" if folder else file


def _resolve_target(source: str, target: str) -> str | None:
    """Return the zip name an internal relationship target points at, None if it escapes."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(source), target)
    resolved = posixpath.normpath(joined)
    if resolved.startswith("..") or resolved in ("", "."):
        return None
    return resolved


def _read_package(path: Path) -> tuple[dict[str, bytes], list[str]]:
    """Return the parts of the zip at `path` keyed by name, and zip-level problems."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        for name, count in Counter(n.lower() for n in names).items():
            if count > 1:
                problems.append(f"{name}: zip holds {count} entries with this name (case-insensitive)")
        parts = {n: zf.read(n) for n in names if not n.endswith("/")}
    return parts, problems


def _parse_parts(parts: dict[str, bytes]) -> tuple[dict[str, etree._Element], list[str]]:
    """Return parsed roots of the XML parts and a problem for each that is not well-formed."""
    trees: dict[str, etree._Element] = {}
    problems: list[str] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for name, data in parts.items():
        if not _is_xml_name(name):
            continue
        try:
            trees[name] = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            problems.append(f"{name}: not well-formed XML: {exc}")
    return trees, problems


def _content_type_maps(
    trees: dict[str, etree._Element],
) -> tuple[dict[str, str], dict[str, str]] | None:
    """Return (extension -> type, lower-case part name -> type), or None without the part."""
    root = trees.get(CONTENT_TYPES_PART)
    if root is None:
        return None
    defaults = {
        el.get("Extension", "").lower(): el.get("ContentType", "")
        for el in root.iter(f"{{{CT_NS}}}Default")
    }
    overrides = {
        unquote(el.get("PartName", "")).lstrip("/").lower(): el.get("ContentType", "")
        for el in root.iter(f"{{{CT_NS}}}Override")
    }
    return defaults, overrides


def _check_content_types(parts: dict[str, bytes], trees: dict[str, etree._Element]) -> list[str]:
    """Return a problem for each part without a content type (Default or Override)."""
    maps = _content_type_maps(trees)
    if maps is None:
        return [f"{CONTENT_TYPES_PART}: missing or unreadable, so no part has a content type"]
    defaults, overrides = maps
    problems = []
    for name in parts:
        if name == CONTENT_TYPES_PART or name.lower() in overrides:
            continue
        extension = name.rsplit("/", 1)[-1].rpartition(".")[2].lower()
        if extension not in defaults:
            problems.append(
                f"{name}: no content type ({CONTENT_TYPES_PART} has no Override for "
                f"/{name} and no Default for extension {extension!r})"
            )
    return problems


def _relationship_ids(trees: dict[str, etree._Element]) -> dict[str, set[str]]:
    """Return source part name ('' for the package) -> the relationship Ids it has."""
    ids: dict[str, set[str]] = {}
    for name, root in trees.items():
        source = _rels_source(name)
        if source is not None:
            ids[source] = {rel.get("Id", "") for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship")}
    return ids


def _check_rels_part(name: str, root: etree._Element, present: set[str]) -> list[str]:
    """Return problems with one .rels part: missing source part, missing internal targets."""
    source = _rels_source(name)
    assert source is not None
    problems = []
    if source and source.lower() not in present:
        problems.append(f"{name}: relationships part for /{source}, which is not in the package")
    for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        resolved = _resolve_target(source, target)
        if resolved is None or resolved.lower() not in present:
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            problems.append(
                f"{name}: relationship {rel.get('Id')} ({kind}) targets {target!r} "
                f"-> /{resolved}, which is not in the package"
            )
    return problems


def _check_relationships(parts: dict[str, bytes], trees: dict[str, etree._Element]) -> list[str]:
    """Return problems with relationship targets and with r:* ids that have no relationship."""
    present = {name.lower() for name in parts}
    ids = _relationship_ids(trees)
    problems: list[str] = []
    for name, root in trees.items():
        if _rels_source(name) is not None:
            problems += _check_rels_part(name, root, present)
            continue
        known = ids.get(name, set())
        for el in root.iter():
            for attr, value in el.attrib.items():
                if etree.QName(attr).namespace == DOC_REL_NS and value and value not in known:
                    problems.append(
                        f"{name}: line {el.sourceline}: {etree.QName(el).localname}/@r:"
                        f"{etree.QName(attr).localname}={value!r} has no relationship in "
                        f"the part's .rels"
                    )
    return problems


def _validate_part(name: str, root: etree._Element) -> list[str]:
    """Return schema messages for one parsed part ([] when valid or not covered)."""
    xsd = SCHEMA_FILE_BY_NAMESPACE.get(etree.QName(root).namespace or "")
    if xsd is None:
        return []
    schema = load_schema(xsd)
    if schema.validate(without_markup_compatibility(root)):
        return []
    errors = list(schema.error_log)
    problems = [
        f"{name}: {xsd}: line {e.line}, {e.path}: {e.message}"
        for e in errors[:MAX_MESSAGES_PER_PART]
    ]
    if len(errors) > MAX_MESSAGES_PER_PART:
        problems.append(f"{name}: {xsd}: ... {len(errors) - MAX_MESSAGES_PER_PART} more messages")
    return problems


# --- public API -------------------------------------------------------------------------------


def validate_pptx(path: str | os.PathLike[str]) -> list[str]:
    """Return human-readable problems with the PPTX at `path` (an empty list means valid).

    Each problem starts with the part name. Checks: zip readable and without duplicate
    names; XML parts well-formed; parts with a covered root namespace valid against their
    schema (SCHEMA_FILE_BY_NAMESPACE, after markup-compatibility preprocessing); every part
    has a content type; every internal relationship target exists; every r:* attribute
    names a relationship of its part. Raises FileNotFoundError when the XSDs are missing.
    """
    schema_dir()
    try:
        parts, problems = _read_package(Path(path))
    except zipfile.BadZipFile as exc:
        return [f"{path}: not a zip package: {exc}"]
    trees, parse_problems = _parse_parts(parts)
    problems += parse_problems
    problems += _check_content_types(parts, trees)
    problems += _check_relationships(parts, trees)
    for name, root in trees.items():
        problems += _validate_part(name, root)
    return problems


def part_coverage(path: str | os.PathLike[str]) -> dict[str, str]:
    """Return part name -> schema file validating it, or 'skipped: <reason>' for the rest."""
    parts, _ = _read_package(Path(path))
    trees, _ = _parse_parts(parts)
    coverage: dict[str, str] = {}
    for name in parts:
        root = trees.get(name)
        if root is None:
            coverage[name] = "skipped: not XML" if not _is_xml_name(name) else "skipped: not well-formed"
            continue
        ns = etree.QName(root).namespace or ""
        xsd = SCHEMA_FILE_BY_NAMESPACE.get(ns)
        coverage[name] = xsd or f"skipped: no schema for root {etree.QName(root).text}"
    return coverage
