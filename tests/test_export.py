"""`build --pdf --thumbnails` (and `make pdf`): the deck as PDF next to the PPTX, and a PNG of every slide."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image

from generator.build.run import build
from tests.conftest import EXAMPLE, settings
from tests.support import office

pytestmark = pytest.mark.office


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    office.require_office()
    out = tmp_path_factory.mktemp("export") / "out"
    build(dataclasses.replace(settings(EXAMPLE, out), pdf=True, thumbnails=True))
    return out


def test_the_pdf_sits_next_to_the_deck_with_one_page_per_slide(exported: Path) -> None:
    assert office.pdf_page_count(exported / "success-story.pdf") == 10
    assert "Executive summary" in office.pdf_page_texts(exported / "success-story.pdf")[1]


def test_a_thumbnail_is_written_for_every_slide(exported: Path) -> None:
    pngs = sorted((exported / "thumbnails").glob("slide-*.png"))
    assert [p.name for p in pngs] == [f"slide-{n:02d}.png" for n in range(1, 11)]
    width, height = Image.open(pngs[0]).size
    assert 500 < width < 560 and abs(width / height - 16 / 9) < 0.02


def test_the_pdf_is_the_same_bytes_on_every_build(exported: Path, tmp_path: Path) -> None:
    build(dataclasses.replace(settings(EXAMPLE, tmp_path / "again"), pdf=True))
    assert (tmp_path / "again" / "success-story.pdf").read_bytes() == (exported / "success-story.pdf").read_bytes()
