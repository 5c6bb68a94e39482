"""One font lookup among the fonts storypack brings and a deck's own (design.fonts), never the installed ones."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.build.fingerprint import code_hash, source_hashes
from generator.build.kinds import excluded_stages
from generator.deck.fontset import read_face
from generator.fonts import ASSETS, BUNDLED, NO_FONTS, STAND_IN, Face, FontFile, FontSet, current, font_file, using
from generator.story.charts import ChartSpec
from tests.support.fonts import corporate_font

ROOT = Path(__file__).resolve().parents[1]


def asset(name: str) -> Path:
    return ASSETS / name


@pytest.fixture(scope="module")
def corporate(tmp_path_factory: pytest.TempPathFactory) -> FontSet:
    """A deck's own family, 'Corporate Sans', in regular and bold (renamed copies of Caladea)."""
    folder = tmp_path_factory.mktemp("brand")
    return FontSet(tuple(read_face(corporate_font(folder / name, bold=bold), f"brand/{name}")
                         for name, bold in (("Corporate-Regular.ttf", False), ("Corporate-Bold.ttf", True))))


# --- the bundled fonts ----------------------------------------------------------------------------

def test_a_family_storypack_brings_is_found_in_each_style() -> None:
    assert font_file("Carlito") == FontFile(asset("Carlito-Regular.ttf"), "Carlito", True)
    assert font_file("Liberation Sans", bold=True).path == asset("LiberationSans-Bold.ttf")
    assert font_file("caladea", italic=True).path == asset("Caladea-Italic.ttf"), "names are matched without case"
    assert font_file("DejaVu Sans", bold=True, italic=True).path == asset("DejaVuSans-BoldOblique.ttf")


@pytest.mark.parametrize(("family", "face", "stem"), [("Calibri", "Carlito", "Carlito"),
                                                     ("Calibri Light", "Carlito", "Carlito"),
                                                     ("Cambria", "Caladea", "Caladea"),
                                                     ("Arial", "Liberation Sans", "LiberationSans")])
def test_a_face_with_the_same_metrics_stands_in_for_a_family(family: str, face: str, stem: str) -> None:
    assert font_file(family) == FontFile(asset(f"{stem}-Regular.ttf"), face, True)
    assert font_file(family, bold=True, italic=True).path == asset(f"{stem}-BoldItalic.ttf")


def test_an_unknown_family_is_measured_with_the_bundled_dejavu_sans() -> None:
    assert font_file("Futura") == FontFile(asset("DejaVuSans.ttf"), STAND_IN, False)
    assert font_file("Futura", bold=True).path == asset("DejaVuSans-Bold.ttf")


@pytest.mark.parametrize("family", ["DejaVu Serif", "Liberation Mono", "Liberation Serif", "DejaVu Sans Mono"])
def test_an_installed_font_is_never_used(family: str) -> None:
    """These families are installed on a Debian machine with LibreOffice; storypack does not bring them."""
    assert font_file(family) == FontFile(asset("DejaVuSans.ttf"), STAND_IN, False)


def test_every_bundled_file_sets_the_family_and_style_it_is_listed_under() -> None:
    for face in BUNDLED:
        assert read_face(face.path, face.path.name) == Face(face.path, face.family, face.bold, face.italic,
                                                            face.path.name, read_face(face.path, "").digest)
    assert {face.path for face in BUNDLED} == set(ASSETS.glob("*.ttf"))


def test_the_bundled_fonts_come_with_their_licences_and_provenance() -> None:
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    for family, licence, package in (("Carlito", "LICENSE-Carlito.txt", "fonts-crosextra-carlito"),
                                     ("Caladea", "LICENSE-Caladea.txt", "fonts-crosextra-caladea"),
                                     ("LiberationSans", "LICENSE-LiberationSans.txt", "fonts-liberation2"),
                                     ("DejaVuSans", "LICENSE-DejaVuSans.txt", "fonts-dejavu-core")):
        assert (ASSETS / licence).is_file() and licence in readme and package in readme and family in readme
    assert "Open Font License" in (ASSETS / "LICENSE-Carlito.txt").read_text(encoding="utf-8")
    assert "Bitstream" in (ASSETS / "LICENSE-DejaVuSans.txt").read_text(encoding="utf-8")


def test_the_bundled_fonts_are_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["generator"]
    package = ASSETS.parents[1]
    for path in ASSETS.iterdir():
        name = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), f"{name} is not package data"
    assert not (ASSETS.parent / "__init__.py").exists() and not (ASSETS / "__init__.py").exists()


def test_a_change_to_a_bundled_font_changes_the_code_fingerprint_of_every_kind() -> None:
    sources = source_hashes()
    assert {f"assets/fonts/{face.path.name}" for face in BUNDLED} <= set(sources)
    edited = {**sources, "assets/fonts/Carlito-Regular.ttf": "edited"}
    for kind in ("deck", "account", "index"):
        assert code_hash(edited, excluded_stages(kind)) != code_hash(sources, excluded_stages(kind)), kind


def test_looking_up_fonts_imports_no_plotting_library() -> None:
    script = ("import sys\nfrom generator.fonts import font_file\nfont_file('No Such Family')\n"
              "font_file('DejaVu Sans', bold=True)\nprint('matplotlib' in sys.modules, 'PIL' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False"


def test_every_lookup_goes_through_fonts() -> None:
    """The deck's text, the chart pictures and the meeting pages' charts use the one lookup."""
    from generator.deck import textfit
    from generator.deck.charts import faces
    from generator.meetings import charts

    assert textfit.font_file is font_file and faces.font_file is font_file
    assert charts.font_path() == asset("DejaVuSans.ttf")
    assert faces.chart_face(("No Such Family", "Also Missing"), NO_FONTS) == STAND_IN
    assert faces.chart_face(("Calibri", "DejaVu Sans"), NO_FONTS) == "Carlito"


# --- a deck's own fonts ---------------------------------------------------------------------------

def test_a_decks_own_font_is_used_for_its_family(corporate: FontSet) -> None:
    regular, bold = corporate.faces
    assert font_file("Corporate Sans", fonts=corporate) == FontFile(regular.path, "Corporate Sans", True,
                                                                    "brand/Corporate-Regular.ttf", regular.digest)
    assert font_file("corporate sans", bold=True, fonts=corporate).path == bold.path
    nearest = font_file("Corporate Sans", italic=True, fonts=corporate)
    assert (nearest.path, nearest.exact) == (regular.path, False), "no italic listed: the regular, not exact"
    assert font_file("Corporate Sans") == FontFile(asset("DejaVuSans.ttf"), STAND_IN, False), "only when given"
    assert font_file("Calibri", fonts=corporate).path == asset("Carlito-Regular.ttf")


def test_a_decks_own_copy_of_a_family_comes_before_the_bundled_one_and_its_stand_in(tmp_path: Path) -> None:
    own = FontSet((read_face(corporate_font(tmp_path / "Calibri.ttf", "Calibri"), "Calibri.ttf"),))
    assert font_file("Calibri", fonts=own).path == tmp_path / "Calibri.ttf"
    assert font_file("Calibri", bold=True, fonts=own).path == tmp_path / "Calibri.ttf"
    mine = FontSet((read_face(corporate_font(tmp_path / "Carlito.ttf", "Carlito"), "Carlito.ttf"),))
    assert font_file("Carlito", fonts=mine).path == tmp_path / "Carlito.ttf"
    assert font_file("Carlito", bold=True, fonts=mine).path == asset("Carlito-Bold.ttf"), "the style asked first"


def test_fonts_in_force_are_reset_after_the_block_even_on_error(corporate: FontSet) -> None:
    with pytest.raises(RuntimeError), using(corporate):
        assert current() is corporate and font_file("Corporate Sans").source == "brand/Corporate-Regular.ttf"
        assert font_file("Corporate Sans", fonts=NO_FONTS).face == STAND_IN, "a FontSet given wins"
        raise RuntimeError
    assert current() is NO_FONTS and font_file("Corporate Sans").face == STAND_IN


def test_text_is_measured_with_a_decks_own_font(corporate: FontSet) -> None:
    from generator.deck.textfit import text_width_pt

    own = text_width_pt("Quarterly results", 20, "Corporate Sans", fonts=corporate)
    assert own == pytest.approx(text_width_pt("Quarterly results", 20, "Caladea"))  # a renamed Caladea
    assert own < text_width_pt("Quarterly results", 20, "Corporate Sans")  # without it: the wider DejaVu Sans
    with using(corporate):
        assert text_width_pt("Quarterly results", 20, "Corporate Sans") == own


def test_matplotlib_finds_exactly_the_given_and_bundled_files(corporate: FontSet) -> None:
    from matplotlib.font_manager import FontProperties, findfont, fontManager

    from generator.deck.charts.faces import only_these_fonts

    before = fontManager.ttflist
    with only_these_fonts(corporate):
        assert Path(findfont(FontProperties(family="Corporate Sans"))) == corporate.faces[0].path
        assert Path(findfont(FontProperties(family="Corporate Sans", weight="bold"))) == corporate.faces[1].path
        assert Path(findfont(FontProperties(family="Carlito", style="italic"))) == asset("Carlito-Italic.ttf")
        assert Path(findfont(FontProperties(family="DejaVu Serif"))) == asset("DejaVuSans.ttf"), "installed: unused"
    assert fontManager.ttflist is before
    with only_these_fonts(NO_FONTS):
        assert Path(findfont(FontProperties(family="Corporate Sans"))) == asset("DejaVuSans.ttf")


def test_charts_are_drawn_and_cached_in_a_decks_own_fonts(corporate: FontSet, specs: dict[str, ChartSpec],
                                                          tmp_path: Path) -> None:
    from generator.deck.charts.picture import cache_key, draw_chart
    from generator.deck.charts.theme import ChartTheme

    spec, theme = specs["volume"], ChartTheme(fonts=("Corporate Sans", "Carlito"))
    own = draw_chart(spec, 6.0, 2.7, theme, corporate)
    assert own != draw_chart(spec, 6.0, 2.7, theme, NO_FONTS)
    with using(corporate):
        assert draw_chart(spec, 6.0, 2.7, theme) == own
    key = cache_key(spec, 6.0, 2.7, theme, corporate)
    assert key != cache_key(spec, 6.0, 2.7, theme, NO_FONTS)
    moved = FontSet(tuple(Face(tmp_path / f.path.name, f.family, f.bold, f.italic, f.source, f.digest)
                          for f in corporate.faces))
    assert cache_key(spec, 6.0, 2.7, theme, moved) == key, "where a font lies decides no pixel"
    edited = FontSet((Face(*[getattr(corporate.faces[0], f) for f in ("path", "family", "bold", "italic", "source")],
                           digest="0" * 64), corporate.faces[1]))
    assert cache_key(spec, 6.0, 2.7, theme, edited) != key, "its bytes do"


# --- design.fonts: checked at its lines -----------------------------------------------------------

def with_fonts(content: Path, *names: str) -> dict[str, int]:
    """Add `design: fonts: [names]` to content/story.yaml, one a line; return each name's line."""
    story = content / "story.yaml"
    text = story.read_text(encoding="utf-8").rstrip("\n") + "\ndesign:\n  fonts:\n"
    first = text.count("\n") + 1
    story.write_text(text + "".join(f"    - {name}\n" for name in names), encoding="utf-8")
    return {name: first + i for i, name in enumerate(names)}


def test_every_unusable_font_file_is_a_problem_at_its_line(content: Path) -> None:
    from generator.deck.fontset import content_fonts
    from generator.errors import ContentError
    from generator.story.load import load_story

    corporate_font(content / "brand/Corporate-Regular.ttf")
    corporate_font(content / "brand/Corporate-Copy.ttf")
    (content / "brand/notes.ttf").write_text("not a font\n", encoding="utf-8")
    (content / "brand/Corporate.woff2").write_bytes(b"wOF2")
    lines = with_fonts(content, "brand/Corporate-Regular.ttf", "brand/Missing.ttf", "../outside.ttf",
                       "brand/notes.ttf", "brand/Corporate.woff2", "brand/Corporate-Copy.ttf")
    with pytest.raises(ContentError) as caught, content_fonts(load_story(content)):
        pass
    found = {problem.line: problem.message for problem in caught.value.problems}
    assert set(found) == set(list(lines.values())[1:])
    assert "'brand/Missing.ttf' does not exist" in found[lines["brand/Missing.ttf"]]
    assert "lies outside the content folder" in found[lines["../outside.ttf"]]
    assert "'brand/notes.ttf' is not a TrueType or OpenType font" in found[lines["brand/notes.ttf"]]
    assert "is not a .ttf or .otf file" in found[lines["brand/Corporate.woff2"]]
    assert ("'brand/Corporate-Copy.ttf' sets Corporate Sans Regular, as 'brand/Corporate-Regular.ttf' does"
            in found[lines["brand/Corporate-Copy.ttf"]])
    assert all(problem.file.endswith("story.yaml") for problem in caught.value.problems)


def test_a_face_other_than_regular_bold_and_italic_is_refused(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    from generator.deck.fontset import NotAFont

    light = corporate_font(tmp_path / "Corporate-Light.ttf")
    font = TTFont(light)
    for record in font["name"].names:
        if record.nameID == 2:
            record.string = "Light"
    font.save(str(light))
    with pytest.raises(NotAFont, match="is Corporate Sans Light: a deck uses only the regular, bold, italic"):
        read_face(light, "brand/Corporate-Light.ttf")


def test_storypack_check_reports_a_font_file_that_is_not_a_font(content: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    (content / "brand").mkdir()
    (content / "brand/Corporate-Regular.ttf").write_text("<html>not found</html>\n", encoding="utf-8")
    line = with_fonts(content, "brand/Corporate-Regular.ttf")["brand/Corporate-Regular.ttf"]
    assert main(["check", "--content", str(content), "--as-of", "2026-11-23", "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert f"story.yaml:{line}: design.fonts: 'brand/Corporate-Regular.ttf' is not a TrueType or OpenType font" in err
