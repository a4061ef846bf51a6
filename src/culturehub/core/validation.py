"""Checking a service's input: every problem collected by field, so a form shows them all at once."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class FieldErrors:
    """Messages by field, each kept once; raised together as one ValidationError."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, [])
        if message not in self.by_field[name]:
            self.by_field[name].append(message)

    def check(self, name: str, clean, value):
        """Run a validator; keep its message under `name`; return the cleaned value (or the raw one)."""
        try:
            return clean(value)
        except ValidationError as error:
            for message in error.messages:
                self.add(name, message)
            return value

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def clean_text(value) -> str:
    """The text with the spaces around it taken off; nothing given is empty text."""
    return (value or "").strip()
