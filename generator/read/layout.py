"""Where things are in a content folder: names only, so that finding what to build imports nothing heavy."""

from __future__ import annotations

STORY_FILE = "story.yaml"
"""The success story of a folder: content/story.yaml, or content/stories/NAME/story.yaml."""
STORIES = "stories"
"""The folder of content/ holding further decks, one folder (with its own story.yaml) each."""
MAIN_STORY = "main"
"""The name of the deck made from content/story.yaml itself."""
ACCOUNTS = "accounts"
"""The folder of content/ holding the meeting pack's accounts, one folder each."""
ACCOUNT_FILE = "account.yaml"
"""The file of an account folder that describes the account (accounts/NAME/account.yaml)."""
CATALOGUE_FILE = "catalogue.yaml"
"""The provider's service catalogue, which quotes price from (content/catalogue.yaml)."""
