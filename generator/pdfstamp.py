"""PDFs that repeat byte for byte: the dates and ids a PDF writer stamps replaced by ones derived from the content.

LibreOffice (the deck) and Chromium (quotes) write the time of the export into the document information,
LibreOffice a random document id, and Chromium its own DOM node numbers as the ids of a tagged PDF's
structure elements (which differ from run to run); all are replaced without changing any length, so
the cross-reference offsets stay right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re


def normalise_pdf(pdf: bytes, when: dt.datetime) -> bytes:
    """Return `pdf` with its creation date set to `when` and its ids derived from its content (lengths kept)."""
    stamp = when.strftime("%Y%m%d%H%M%S").encode()
    pdf = _renumber_nodes(pdf)
    pdf = re.sub(rb"/(CreationDate|ModDate)(\s*)\(D:\d{14}",
                 lambda m: b"/" + m.group(1) + m.group(2) + b"(D:" + stamp, pdf)
    blank = re.sub(rb"<[0-9A-Fa-f]{32}>", b"<" + b"0" * 32 + b">", pdf)
    blank = re.sub(rb"/DocChecksum /[0-9A-Fa-f]{32}", b"/DocChecksum /" + b"0" * 32, blank)
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    pdf = re.sub(rb"(/ID\s*\[\s*)<[0-9A-Fa-f]{32}>(\s*)<[0-9A-Fa-f]{32}>",
                 lambda m: m.group(1) + b"<" + digest + b">" + m.group(2) + b"<" + digest + b">", pdf)
    return re.sub(rb"/DocChecksum /[0-9A-Fa-f]{32}", b"/DocChecksum /" + digest, pdf)


def _renumber_nodes(pdf: bytes) -> bytes:
    """Return `pdf` with Chromium's structure-element ids, (node<8 hex digits>), numbered in order of first use."""
    numbers: dict[bytes, bytes] = {}

    def number(match: re.Match[bytes]) -> bytes:
        return b"(node" + numbers.setdefault(match.group(1), b"%08x" % (len(numbers) + 1)) + b")"

    return re.sub(rb"\(node([0-9a-f]{8})\)", number, pdf)
