"""GOV.UK Frontend styling for Django forms, in one place."""

from django import forms

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxSelectMultiple: "",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def _widget_class(widget: forms.Widget) -> str:
    for widget_type, css_class in WIDGET_CLASSES.items():
        if isinstance(widget, widget_type):
            return css_class
    return "govuk-input"


class GovukFormMixin:
    """Gives each widget its GOV.UK class, links hints and errors by aria-describedby."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css_class = _widget_class(field.widget)
            if css_class:
                field.widget.attrs["class"] = f"{css_class} {field.widget.attrs.get('class', '')}".strip()
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            classes = widget.attrs.get("class", "")
            for base, error_class in ERROR_CLASSES.items():
                if base in classes.split() and error_class not in classes:
                    widget.attrs["class"] = f"{classes} {error_class}"
            described = widget.attrs.get("aria-describedby", "")
            error_id = f"id_{self.add_prefix(name)}-error"
            if error_id not in described:
                widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
