"""Real-client rendering helpers: PPTX -> PDF with LibreOffice, PDF inspection with poppler.

Needs ``soffice`` (or ``libreoffice``) and poppler-utils (``pdftotext``, ``pdftoppm``,
``pdfinfo``). Tests call :func:`require_office` first: it skips when a tool is missing,
except under CI (``CI=true``) where a missing tool is a failure.

Note: LibreOffice leaves shapes that lie *entirely* outside the slide out of the PDF, so
:func:`text_off_page` only sees text that is partly on the slide (e.g. a line running
past the right edge); shapes placed wholly off the slide need a geometry check on the PPTX.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest

#: Poppler tools the helpers run.
POPPLER_TOOLS = ("pdftotext", "pdftoppm", "pdfinfo")

#: Seconds a LibreOffice conversion may take before it is killed.
CONVERT_TIMEOUT_S = 180

#: Seconds a poppler tool may take.
POPPLER_TIMEOUT_S = 60

#: pdftotext crop box (points at its default 72 dpi) used to read text beyond the page:
#: it starts this far above/left of the page so text off the left/top edges is seen too.
UNCROPPED_ORIGIN = -10000
UNCROPPED_SIZE = 30000


def soffice_path() -> str | None:
    """Return the path of ``soffice`` (or ``libreoffice``) on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_office_tools() -> list[str]:
    """Return the names of the needed tools that are not on PATH (empty when all are)."""
    missing = [] if soffice_path() else ["soffice/libreoffice (Debian: libreoffice-impress)"]
    missing += [f"{tool} (Debian: poppler-utils)" for tool in POPPLER_TOOLS if not shutil.which(tool)]
    return missing


def require_office() -> None:
    """Skip the calling test when LibreOffice or poppler is missing; fail instead if CI=true."""
    missing = missing_office_tools()
    if not missing:
        return
    reason = "real-client rendering tools not on PATH: " + ", ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: these are required in CI, see .ci/run)")
    pytest.skip(reason)


def _run(cmd: list[str], timeout: float) -> str:
    """Run `cmd`; return its stdout, raise RuntimeError with stderr when it fails."""
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{cmd[0]} timed out after {timeout}s: {' '.join(cmd)}") from exc
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {stderr}")
    return proc.stdout.decode("utf-8", "replace")


def _run_soffice(cmd: list[str], timeout: float) -> tuple[int, str]:
    """Run LibreOffice in its own process group; return (exit code, stdout+stderr).

    On timeout the whole group (soffice script, oosplash, soffice.bin) is killed.
    """
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise RuntimeError(
            f"LibreOffice timed out after {timeout}s: {' '.join(cmd)}\n"
            f"stderr: {err.decode('utf-8', 'replace').strip()}"
        ) from None
    text = f"stderr: {err.decode('utf-8', 'replace').strip()}\nstdout: {out.decode('utf-8', 'replace').strip()}"
    return proc.returncode, text


def pptx_to_pdf(
    pptx_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    timeout: float = CONVERT_TIMEOUT_S,
) -> Path:
    """Convert a deck with headless LibreOffice; return the path of the PDF in `out_dir`.

    Uses a throwaway user profile (so parallel and first runs do not clash) and raises
    RuntimeError, with LibreOffice's stderr, when the conversion fails or times out.
    """
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice/libreoffice) is not on PATH")
    source = Path(pptx_path).resolve()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{source.stem}.pdf"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="storypack-lo-profile-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        code, output = _run_soffice(cmd, timeout)
    if code != 0 or not target.is_file():
        raise RuntimeError(
            f"LibreOffice could not convert {source} to PDF (exit {code}, "
            f"expected {target})\n{output}"
        )
    return target


def pdf_page_count(pdf: str | os.PathLike[str]) -> int:
    """Return the number of pages of `pdf` (from ``pdfinfo``)."""
    info = _run(["pdfinfo", str(pdf)], POPPLER_TIMEOUT_S)
    match = re.search(r"^Pages:\s+(\d+)\s*$", info, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"pdfinfo reported no page count for {pdf}:\n{info}")
    return int(match.group(1))


def pdf_page_texts(pdf: str | os.PathLike[str], crop: bool = True) -> list[str]:
    """Return the ``pdftotext -layout`` text of each page (index 0 = page 1).

    With crop=False the text is read from a crop box far larger than the page, so text
    that runs past any page edge is included.
    """
    texts = []
    for page in range(1, pdf_page_count(pdf) + 1):
        cmd = ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page)]
        if not crop:
            origin, size = str(UNCROPPED_ORIGIN), str(UNCROPPED_SIZE)
            cmd += ["-x", origin, "-y", origin, "-W", size, "-H", size]
        texts.append(_run([*cmd, str(pdf), "-"], POPPLER_TIMEOUT_S).replace("\f", ""))
    return texts


def _missing_words(full: str, visible: str) -> list[str]:
    """Return the words of `full` (in order) that `visible` lacks, counting repeats."""
    missing = Counter(full.split()) - Counter(visible.split())
    words = []
    for word in full.split():
        if missing[word] > 0:
            missing[word] -= 1
            words.append(word)
    return words


def text_off_page(pdf: str | os.PathLike[str]) -> dict[int, str]:
    """Return {page number (1-based): words beyond the page edges} for pages that have any.

    Compares the words of the uncropped and cropped text of each page; a word cut by the
    page edge shows up whole in the result (its visible part is ignored).
    """
    cropped = pdf_page_texts(pdf, crop=True)
    uncropped = pdf_page_texts(pdf, crop=False)
    result: dict[int, str] = {}
    for page, (full, visible) in enumerate(zip(uncropped, cropped), start=1):
        words = _missing_words(full, visible)
        if words:
            result[page] = " ".join(words)
    return result


def pdf_to_pngs(
    pdf: str | os.PathLike[str], out_dir: str | os.PathLike[str], dpi: int = 60
) -> list[Path]:
    """Render every page of `pdf` with ``pdftoppm``; return the PNG paths in page order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(pdf).stem
    pattern = re.compile(rf"{re.escape(stem)}-(\d+)\.png")
    for old in out.glob(f"{stem}-*.png"):
        if pattern.fullmatch(old.name):
            old.unlink()
    _run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / stem)], POPPLER_TIMEOUT_S)
    pages = [(int(m.group(1)), p) for p in out.iterdir() if (m := pattern.fullmatch(p.name))]
    return [path for _, path in sorted(pages)]
