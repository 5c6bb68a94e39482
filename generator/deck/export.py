"""The deck as PDF and slide thumbnails, rendered by LibreOffice and poppler, reproducibly."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.errors import StorypackError
from generator.pdfstamp import normalise_pdf

CONVERT_TIMEOUT_S = 300
THUMBNAIL_DPI = 40
"""Thumbnail resolution: a 13.33 in wide slide becomes about 530 px."""


def office_binary() -> str | None:
    """Return the LibreOffice command found on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def export_pdf(pptx: bytes, when: dt.datetime) -> bytes:
    """Return the deck converted to PDF by LibreOffice, with its date and ids fixed so that builds repeat."""
    office = office_binary()
    if office is None:
        raise StorypackError("making the PDF needs LibreOffice: install it (Debian: apt-get install "
                             "libreoffice-impress) or build without --pdf")
    with tempfile.TemporaryDirectory(prefix="storypack-pdf-") as tmp:
        folder = Path(tmp)
        (folder / "deck.pptx").write_bytes(pptx)
        command = [office, "--headless", f"-env:UserInstallation=file://{folder / 'profile'}", "--convert-to",
                   "pdf", "--outdir", str(folder), str(folder / "deck.pptx")]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise StorypackError(f"LibreOffice did not finish the PDF within {CONVERT_TIMEOUT_S} s") from None
        pdf = folder / "deck.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise StorypackError(f"LibreOffice could not convert the deck to PDF: {done.stderr.strip()[:500]}")
        return normalise_pdf(pdf.read_bytes(), when)


def thumbnails(pdf: bytes, dpi: int = THUMBNAIL_DPI) -> list[bytes]:
    """Return one PNG per page of `pdf`, rendered by poppler's pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise StorypackError("slide thumbnails need poppler's pdftoppm: install it (Debian: apt-get install "
                             "poppler-utils) or build without --thumbnails")
    with tempfile.TemporaryDirectory(prefix="storypack-png-") as tmp:
        folder = Path(tmp)
        (folder / "deck.pdf").write_bytes(pdf)
        done = subprocess.run([tool, "-png", "-r", str(dpi), str(folder / "deck.pdf"), str(folder / "slide")],
                              capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, check=False)
        if done.returncode != 0:
            raise StorypackError(f"pdftoppm could not render the thumbnails: {done.stderr.strip()[:500]}")
        return [page.read_bytes() for page in sorted(folder.glob("slide-*.png"))]


def export_files(pptx: bytes, when: dt.datetime, pdf: bool, pngs: bool, stem: str = "success-story") -> dict[str, bytes]:
    """Return the PDF and/or thumbnails of the deck as output files ('stem.pdf', 'thumbnails/slide-01.png', ...)."""
    if not (pdf or pngs):
        return {}
    document = export_pdf(pptx, when)
    files = {f"{stem}.pdf": document} if pdf else {}
    if pngs:
        files.update({f"thumbnails/slide-{n:02d}.png": png for n, png in enumerate(thumbnails(document), start=1)})
    return files
