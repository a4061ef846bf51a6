"""The form for naming a saved search and choosing how often to hear about it."""

from __future__ import annotations

from django import forms

from culturehub.core.forms import GovukFormMixin
from culturehub.opportunities.models import SavedSearch
from culturehub.opportunities.saved_services import (
    FREQUENCY_MISSING,
    NAME_LENGTH,
    NAME_MISSING,
    NAME_TOO_LONG,
)

FREQUENCY_HINTS = {
    SavedSearch.Frequency.IMMEDIATE: "We check for new matches every few minutes and email you when there "
                                     "are any, at most one email each time we check.",
    SavedSearch.Frequency.WEEKLY: "One email on Monday morning listing the week’s new matches. Nothing is "
                                  "sent in a week with none.",
    SavedSearch.Frequency.NEVER: "No emails. You can still open the search here, or follow its feeds in a "
                                 "feed reader or calendar.",
}


class SavedSearchForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=NAME_LENGTH,
        help_text="So you can tell your searches apart, for example ‘Arts on prescription in Leeds’.",
        error_messages={"required": NAME_MISSING, "max_length": NAME_TOO_LONG},
    )
    frequency = forms.ChoiceField(
        label="How often do you want emails about new matches?",
        choices=SavedSearch.Frequency.choices, widget=forms.RadioSelect,
        error_messages={"required": FREQUENCY_MISSING, "invalid_choice": FREQUENCY_MISSING},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios are drawn by the template in GOV.UK's markup; the mixin's text-input class does not apply.
        self.fields["frequency"].widget.attrs.pop("class", None)

    def frequency_options(self) -> list[dict]:
        """Each choice with its hint, for the radios. The first radio takes the field's own id, so the
        error summary's link lands on it."""
        field = self["frequency"]
        chosen = str(field.value() or "")
        return [
            {"id": field.auto_id if number == 0 else f"{field.auto_id}_{number}", "value": value,
             "label": label, "hint": FREQUENCY_HINTS[value], "checked": value == chosen}
            for number, (value, label) in enumerate(SavedSearch.Frequency.choices)
        ]
