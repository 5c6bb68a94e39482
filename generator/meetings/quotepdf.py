"""A quote as PDF: its page printed by headless Chromium, in the fonts storypack brings, reproducibly.

The page is printed from a private folder holding only the page, the site's style sheet and the
bundled fonts (so no font of the machine is used), with a fresh browser profile and no network; the
dates Chromium stamps are replaced by the quote's date.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.errors import StorypackError
from generator.fonts import ASSETS
from generator.pdfstamp import normalise_pdf

PRINT_TIMEOUT_S = 120
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_FONTS = {"normal normal": "LiberationSans-Regular.ttf", "bold normal": "LiberationSans-Bold.ttf",
               "normal italic": "LiberationSans-Italic.ttf", "bold italic": "LiberationSans-BoldItalic.ttf"}
"""The faces the printed quote uses (weight, style -> bundled file): Liberation Sans, metric-compatible with Arial."""
PRINT_FAMILY = "Storypack Sans"


def browser() -> str | None:
    """Return the Chromium command: $STORYPACK_CHROMIUM, else the first found on PATH, else None."""
    given = os.environ.get("STORYPACK_CHROMIUM")
    if given:
        return given
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def fonts_css() -> str:
    """Return the style sheet that makes every element of the printed page use the bundled faces."""
    faces = [f'@font-face {{ font-family: "{PRINT_FAMILY}"; font-weight: {key.split()[0]}; '
             f'font-style: {key.split()[1]}; src: url("fonts/{name}"); }}' for key, name in PRINT_FONTS.items()]
    return "\n".join([*faces, f'*, *::before, *::after {{ font-family: "{PRINT_FAMILY}" !important; }}', ""])


def print_pdf(html: bytes, style: bytes, when: dt.datetime) -> bytes:
    """Return the page `html` (which links style.css and print-fonts.css) printed to PDF by Chromium."""
    command = browser()
    if command is None:
        raise StorypackError("making a quote's PDF needs Chromium: install it (Debian: apt-get install chromium), "
                             "set STORYPACK_CHROMIUM to its path, or build without --pdf")
    with tempfile.TemporaryDirectory(prefix="storypack-quote-") as tmp:
        folder = Path(tmp)
        (folder / "fonts").mkdir()
        for name in PRINT_FONTS.values():
            shutil.copyfile(ASSETS / name, folder / "fonts" / name)
        (folder / "style.css").write_bytes(style)
        (folder / "print-fonts.css").write_text(fonts_css(), encoding="utf-8")
        (folder / "quote.html").write_bytes(html)
        target = folder / "quote.pdf"
        argv = [command, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                "--font-render-hinting=none", f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
                f"--print-to-pdf={target}", (folder / "quote.html").as_uri()]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=PRINT_TIMEOUT_S, check=False,
                                  env={**os.environ, "TZ": "UTC"})
        except subprocess.TimeoutExpired:
            raise StorypackError(f"Chromium did not print the quote within {PRINT_TIMEOUT_S} s") from None
        except OSError as exc:
            raise StorypackError(f"could not start Chromium ({command}): {exc}") from None
        if not target.is_file() or target.stat().st_size == 0:
            raise StorypackError(f"Chromium could not print the quote: {done.stderr.strip()[-500:]}")
        return normalise_pdf(target.read_bytes(), when)
