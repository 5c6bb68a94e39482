"""The story stage: the success story, from content to everything a deck shows, with no drawing.

Takes the content folder's story.yaml, metrics file and notes (through generator.read), and the
ticket export metrics.yaml may name (through generator.tickets); gives a checked `StoryContent`
(`load`, with the export's series merged in and traced by `exports`), the computed `Figures` (`figures`), the names notes and slide
templates may quote (`names`), the rendered wording of notes and slides (`wording`), how figures
read (`formatting`) and every chart as a pure `ChartSpec` (`charts`). Imports neither python-pptx
nor matplotlib.
"""
