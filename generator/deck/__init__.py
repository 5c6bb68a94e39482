"""The deck stage: the success story as a PPTX file.

Takes a checked `StoryContent` (generator.story) and the slide templates; gives the deck's bytes and
its slide manifest (`render.render_story`). Slides are laid out in the built-in look or on a
PowerPoint template's layouts (`design`, `template`, `theme`), one builder per slide kind (`slides`),
text fitted with real font metrics (`textfit`), shapes written as DrawingML (`shapes`, `drawingml`);
charts are drawn as pictures or editable charts (`charts/`). `export` turns a deck into PDF and PNG.
"""
