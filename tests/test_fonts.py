"""One font lookup: a family and style to a font file, installed, metric-compatible or the stand-in."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import fonts
from generator.fonts import STAND_IN, font_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def font_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty font folder, the only one looked in (the lookups' cache cleared before and after)."""
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path / "missing", tmp_path))
    font_file.cache_clear()
    yield tmp_path
    font_file.cache_clear()


def install(folder: Path, *names: str) -> None:
    for name in names:
        (folder / "sub" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "sub" / name).write_bytes(b"")


def test_a_family_is_found_by_its_name_and_style(font_dir: Path) -> None:
    install(font_dir, "OpenSans-Regular.ttf", "OpenSans-Bold.ttf", "OpenSans-BoldItalic.otf")
    assert font_file("Open Sans") == fonts.FontFile(font_dir / "sub/OpenSans-Regular.ttf", "Open Sans", True)
    assert font_file("Open Sans", bold=True).path.name == "OpenSans-Bold.ttf"
    assert font_file("Open Sans", bold=True, italic=True).path.name == "OpenSans-BoldItalic.otf"


def test_a_metric_compatible_face_stands_in_for_a_family(font_dir: Path) -> None:
    install(font_dir, "Carlito-Regular.ttf", "Carlito-Italic.ttf")
    assert font_file("Calibri") == fonts.FontFile(font_dir / "sub/Carlito-Regular.ttf", "Carlito", True)
    assert font_file("Calibri", italic=True).path.name == "Carlito-Italic.ttf"


def test_dejavu_file_names_are_understood(font_dir: Path) -> None:
    install(font_dir, "DejaVuSans.ttf", "DejaVuSans-Oblique.ttf")
    assert font_file("DejaVu Sans").path == font_dir / "sub/DejaVuSans.ttf"
    assert font_file("DejaVu Sans", italic=True).path.name == "DejaVuSans-Oblique.ttf"


def test_a_missing_family_is_measured_with_matplotlibs_dejavu_sans(font_dir: Path) -> None:
    import matplotlib

    bundled = Path(matplotlib.get_data_path()) / "fonts/ttf"
    assert font_file("No Such Family") == fonts.FontFile(bundled / "DejaVuSans.ttf", STAND_IN, False)
    assert font_file("No Such Family", bold=True, italic=True).path == bundled / "DejaVuSans-Bold.ttf"


def test_every_lookup_goes_through_fonts() -> None:
    """The deck's text, the chart pictures and the meeting pages' charts use the one lookup."""
    from generator.deck import textfit
    from generator.deck.charts import picture
    from generator.meetings import charts

    assert textfit.font_file is font_file and charts.font_path() == font_file("DejaVu Sans").path
    assert picture._font(("No Such Family", "Also Missing")) == STAND_IN


def test_looking_up_fonts_imports_no_plotting_library() -> None:
    script = ("import sys\nfrom generator.fonts import font_file\nfont_file('No Such Family')\n"
              "font_file('DejaVu Sans', bold=True)\nprint('matplotlib' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
