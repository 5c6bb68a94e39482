"""The deck stage: the success story as a PPTX file.

Takes a checked `StoryContent` (generator.story) and the slide templates; gives the deck's bytes and
its slide manifest (`render.render_story`). Slides are laid out on a template's layouts: the built-in
look's, which storypack generates (`builtin`), or a PowerPoint template's (`design`, `template`,
`layout`, `theme`), one builder per slide kind (`slides`), title, points and footer in the layout's
placeholders in reading order (`frame`), text fitted with real font metrics (`textfit`) in readable
colours (`contrast`) and the story's language (`language`), shapes written as DrawingML (`shapes`,
`drawingml`); charts are drawn as pictures or editable charts (`charts/`). `export` turns a deck into
PDF and PNG.
"""
