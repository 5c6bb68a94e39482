"""Speaker notes: the first slide's notes page is made by python-pptx, the others are copies of it.

python-pptx makes each notes page by cloning the notes master's placeholders through its proxies
(a few milliseconds a slide); the pages of one deck differ only in their text, so one blank page is
kept and copied.
"""

from __future__ import annotations

import copy
from typing import Any

from pptx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from pptx.parts.slide import NotesSlidePart

NOTES_PARTNAME = "/ppt/notesSlides/notesSlide%d.xml"


class SpeakerNotes:
    """Adds speaker notes to the slides of one presentation."""

    def __init__(self) -> None:
        self._blank: Any = None
        self._master: Any = None

    def add(self, slide: Any, text: str) -> None:
        """Give `slide` a notes page holding `text`."""
        if self._blank is None:
            notes = slide.notes_slide
            self._blank = copy.deepcopy(notes._element)
            self._master = notes.part.part_related_by(RELATIONSHIP_TYPE.NOTES_MASTER)
        else:
            package = slide.part.package
            part = NotesSlidePart(package.next_partname(NOTES_PARTNAME), CONTENT_TYPE.PML_NOTES_SLIDE, package,
                                  copy.deepcopy(self._blank))
            part.relate_to(self._master, RELATIONSHIP_TYPE.NOTES_MASTER)
            part.relate_to(slide.part, RELATIONSHIP_TYPE.SLIDE)
            slide.part.relate_to(part, RELATIONSHIP_TYPE.NOTES_SLIDE)
            notes = part.notes_slide
        notes.notes_text_frame.text = text
