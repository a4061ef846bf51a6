"""Market engagement that a notice announces only in its words.

The UK OCDS profile has a place for engagement events (`planning.milestones` of type `engagement`), but
many notices, older ones above all, say "a provider forum will be held on 4 March 2025" in the
description instead. Those sentences are found here, with the date they give where it is written out
in a way that cannot be misread (a day, a month's name and a year, or a UK day/month/year date).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

ENGAGEMENT_PHRASES = re.compile(
    r"\b(?:(?:preliminary|early|pre-procurement|pre-tender)\s+market\s+engagement"
    r"|market\s+(?:engagement|sounding|warming)\s+(?:event|session|day|meeting|webinar|workshop)s?"
    r"|soft\s+market\s+(?:testing|test)"
    r"|provider\s+(?:forum|event|engagement\s+(?:event|session)|day|workshop|briefing)s?"
    r"|supplier\s+(?:day|event|engagement\s+(?:event|session)|briefing|forum)s?"
    r"|meet\s+the\s+(?:buyer|commissioner)s?"
    r"|bidders?['’]?\s+(?:day|conference|briefing)s?"
    r"|(?:engagement|information|briefing)\s+(?:event|session|webinar)s?\s+for\s+(?:potential\s+)?"
    r"(?:providers|suppliers|bidders))\b",
    re.IGNORECASE,
)
MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
WRITTEN_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?,?\s+(\d{4})\b",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
TITLE = "Market engagement (from the notice's words)"
MAX_DESCRIPTION = 300


def engagements_in_text(text: str) -> list[dict]:
    """Each sentence that announces market engagement, as {id, date, title, description}.

    `date` is the ISO date of the first unambiguous date in the sentence, or "" when it gives none; `id`
    keeps the same sentence the same event when a later notice repeats it."""
    if not text or not ENGAGEMENT_PHRASES.search(text):
        return []
    events = []
    for sentence in SENTENCE_END.split(text):
        if not ENGAGEMENT_PHRASES.search(sentence):
            continue
        when = first_date(sentence)
        description = " ".join(sentence.split())[:MAX_DESCRIPTION]
        events.append({
            "id": f"text:{when.date().isoformat() if when else description[:60].lower()}",
            "date": when.isoformat() if when else "",
            "title": TITLE,
            "description": description,
        })
    return events


def first_date(sentence: str) -> datetime | None:
    """The first date written as "4 March 2025" or "04/03/2025" (day first, as UK notices write it)."""
    candidates = []
    for match in WRITTEN_DATE.finditer(sentence):
        candidates.append((match.start(), int(match.group(3)), MONTHS[match.group(2).lower()],
                           int(match.group(1))))
    for match in NUMERIC_DATE.finditer(sentence):
        candidates.append((match.start(), int(match.group(3)), int(match.group(2)), int(match.group(1))))
    for _position, year, month, day in sorted(candidates):
        try:
            return datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            continue
    return None
