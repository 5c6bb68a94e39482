"""storypack: support success-story decks and operations-review meeting pages from content/."""

__version__ = "0.1.0"
