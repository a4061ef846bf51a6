"""GOV.UK Frontend styling for Django forms, and forms whose values go to a service, in one place."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

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


class ServiceForm(GovukFormMixin, forms.Form):
    """A form whose values go to a service; the service's ValidationError lands beside the fields.

    `check_with_service_when_invalid`: when some fields fail here (a place that is not found), still
    run the service on the rest, inside a transaction that is rolled back, so that the person sees every
    problem at once rather than one round at a time.
    """

    check_with_service_when_invalid = False

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's messages, each once; where the form already faulted a field, its own
        message is the more precise one."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages in by_field.items():
            target = name if name in self.fields else None
            if target is not None and target in self.errors:
                continue
            shown = self.errors.get(target or "__all__", [])
            new = [message for message in messages if message not in shown]
            if new:
                self.add_error(target, new)


class _FormHasErrors(Exception):
    """Raised inside the trial run of a service so that its writes are rolled back."""


def run_service(form: ServiceForm, call):
    """Call a service with the form's values and return its result, or None with its validation errors
    put on the form. A form that asks for it has the service run even when some of its own fields
    failed, in a transaction rolled back afterwards, to report every problem on one page."""
    form_ok = form.is_valid()
    if not (form_ok or form.check_with_service_when_invalid):
        return None
    try:
        with transaction.atomic():
            result = call(**form.service_arguments())
            if not form_ok:
                raise _FormHasErrors
    except ValidationError as error:
        form.add_service_errors(error)
        return None
    except _FormHasErrors:
        return None
    return result
