from django import forms

from culturehub.core.forms import GovukFormMixin
from culturehub.places.models import Priority
from culturehub.places.selectors import priority_theme_choices
from culturehub.places.services import FIELD_MESSAGES, SOURCE_URL_MESSAGE


def _messages(name: str, max_length: int | None = None, label: str = "") -> dict[str, str]:
    messages = {"required": FIELD_MESSAGES.get(name, "Enter a value")}
    if max_length:
        messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    return messages


class PriorityForm(GovukFormMixin, forms.Form):
    """A place's priority as one of its public documents states it, in our own words."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages=_messages("title", 200, "Title"),
        help_text="The priority's name as the document gives it, for example 'Mental wellness and balance'.",
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 5}), error_messages=_messages("summary"),
        help_text="What the document says about this priority, in your own words. Do not copy its text.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Priority themes", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every theme the priority touches, or none if none fits.",
        error_messages={"invalid_choice": "Select themes from the list",
                        "invalid_pk_value": "Select themes from the list"},
    )
    document_type = forms.ChoiceField(
        label="Type of document",
        choices=[("", "Choose a type of document"), *Priority.DocumentType.choices],
        error_messages={
            "required": FIELD_MESSAGES["document_type"],
            "invalid_choice": FIELD_MESSAGES["document_type"],
        },
    )
    source_title = forms.CharField(
        label="Source document title", max_length=300,
        error_messages=_messages("source_title", 300, "Source document title"),
        help_text="For example 'Joint Health and Wellbeing Strategy 2022 to 2030'.",
    )
    source_url = forms.URLField(
        label="Source document address", max_length=500, assume_scheme="https",
        error_messages={"required": SOURCE_URL_MESSAGE, "invalid": SOURCE_URL_MESSAGE,
                        "max_length": "Source document address must be 500 characters or fewer"},
        help_text="The web address of the document or of the page that publishes it, starting with https://",
    )
    source_date = forms.CharField(
        label="Date or period (optional)", max_length=40, required=False,
        error_messages=_messages("source_date", 40, "Date or period"),
        help_text="When the document was published or the years it covers, for example 'March 2023' or "
                  "'2022 to 2030'.",
    )
    source_note = forms.CharField(
        label="Note about the source (optional)", max_length=400, required=False,
        error_messages=_messages("source_note", 400, "Note about the source"),
        help_text="Anything a reader should know, for example 'The page gives no date; the strategy runs "
                  "to 2030' or 'Draft for consultation'.",
    )
    publisher = forms.CharField(
        label="Publisher (optional)", max_length=200, required=False,
        error_messages=_messages("publisher", 200, "Publisher"),
        help_text="For example 'Derby Health and Wellbeing Board'.",
    )

    def __init__(self, *args, priority: Priority | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = priority_theme_choices(priority=priority)
        self.fields["source_url"].widget.attrs.update({"spellcheck": "false", "autocomplete": "url"})

    def clean_source_url(self):
        url = self.cleaned_data["source_url"]
        # The form field accepts http too; we link only to secure copies of documents.
        if not url.lower().startswith("https://"):
            raise forms.ValidationError(SOURCE_URL_MESSAGE)
        return url

    @staticmethod
    def initial_for(priority: Priority) -> dict:
        return {
            "title": priority.title,
            "summary": priority.summary,
            "themes": list(priority.themes.all()),
            "document_type": priority.document_type,
            "source_title": priority.source_title,
            "source_url": priority.source_url,
            "source_date": priority.source_date,
            "source_note": priority.source_note,
            "publisher": priority.publisher,
        }

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}
