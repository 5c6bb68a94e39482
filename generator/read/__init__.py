"""The read stage: the content folder as parsed documents that remember their lines.

Takes paths under content/; gives `SourceDoc`s and `MarkdownDoc`s (every value with its line, and
the file's text, which problems quote), validated models (`validate`: pydantic errors turned into
problems at their YAML lines), the field types content shares (`fields`), month helpers (`months`),
where things are in a content folder (`layout`) and the translation of Jinja errors into problems
(`templates`). Nothing here knows a deck or a meeting.
"""
