"""Forms for the opportunity pages (the search form is in search.py, shared with saved searches)."""

from django import forms

from culturehub.core.forms import GovukFormMixin

from .models import Relevance
from .services import NOTE_LENGTH, RELEVANCE_MISSING

FLAG_CHOICES = [
    (Relevance.DIRECT, "Cultural work: the contract is for arts, culture or heritage work"),
    (Relevance.ADJACENT, "Could deliver part or partner: a cultural organisation could realistically join"),
    (Relevance.NONE, "Not for the cultural sector"),
]


class RelevanceFlagForm(GovukFormMixin, forms.Form):
    relevance = forms.ChoiceField(
        label="Is this notice for the cultural sector?", choices=FLAG_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": RELEVANCE_MISSING},
    )
    note = forms.CharField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_LENGTH,
        help_text="In a sentence, for other commissioners and for improving Culture Hub’s judgement. "
                  "Your display name is shown beside your flag.",
        error_messages={"max_length": f"The note must be {NOTE_LENGTH} characters or fewer"},
    )

    def service_arguments(self) -> dict:
        return {"relevance": self.cleaned_data["relevance"], "note": self.cleaned_data["note"]}
