"""The tagger: reads an organisation's or offer's text and says what a knowledgeable person would.

`tag_text(name=..., activities=..., objects=..., description=...)` returns a `Tagging`: whether the
text describes a cultural organisation or activity, and the vocabulary keys for art forms, populations,
settings, outcomes and priority themes, each with a score and the phrases in the text that led to it.
"""

from culturehub.vocabulary.tagger.engine import Label, Tagging, tag_text

__all__ = ["Label", "Tagging", "tag_text"]
