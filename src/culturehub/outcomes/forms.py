"""GOV.UK forms for outcome projects. The services check the values and say what is wrong; the forms turn
typed text into what the services take (dates, places, terms, lists) and show the errors."""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError

from culturehub.core.forms import ServiceForm
from culturehub.directory.forms import PlacesField, places_display
from culturehub.outcomes.instruments import INSTRUMENTS, SUM, Instrument, item_wording
from culturehub.outcomes.models import Participant, Project
from culturehub.vocabulary.models import Term

DATE_HINT = "For example, 27 3 2026"
DATE_FORMATS = ("%d %m %Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


class GovukDateField(forms.CharField):
    """A date typed as day, month and year in one box (27 3 2026, 27/03/2026 or 2026-03-27)."""

    def __init__(self, *, missing: str, **kwargs):
        self.missing = missing
        kwargs.setdefault("help_text", DATE_HINT)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "text"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = re.sub(r"\s+", " ", (super().clean(value) or "").strip())
        if not text:
            if self.required:
                raise ValidationError(self.missing)
            return None
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValidationError(f"{self.missing} as day, month and year, like 27 3 2026")


def _date_text(value) -> str:
    return f"{value.day} {value.month} {value.year}" if value else ""


# ---------------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------------

POINTS_HINT = (
    "One per line: a short key used in uploads, a comma, then its name. The first is the baseline. "
    "For example ‘pre, Baseline’ then ‘post, End of project’."
)
THRESHOLDS_HINT = (
    "Optional. One per line, like ‘swemwbs = 2’ or ‘ons4:anxiety = 1’. Leave blank to use each "
    "instrument’s published default."
)


def _parse_points(text: str) -> list[tuple[str, str]]:
    points = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        key, _comma, name = line.partition(",")
        points.append((key.strip(), name.strip()))
    return points


def _parse_thresholds(text: str) -> dict[str, str]:
    thresholds = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        key, _equals, value = line.partition("=")
        thresholds[key.strip().lower()] = value.strip()
    return thresholds


class ProjectForm(ServiceForm):
    check_with_service_when_invalid = True
    delivered_by = forms.ChoiceField(label="Who delivers the project?")
    title = forms.CharField(label="Project title", required=False, max_length=200)
    summary = forms.CharField(
        label="What the project does (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For whom, where and how, in plain words. It opens the outcome report.",
    )
    kind = forms.ChoiceField(
        label="What kind of project is it?",
        required=False,
        choices=Project.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Select whether the project is commissioned, grant-funded or a pilot"
        },
    )
    funder_name = forms.CharField(
        label="Commissioner or funder",
        required=False,
        help_text="The organisation that commissioned or funds it, like ‘Kent and Medway ICB’.",
    )
    start_date = GovukDateField(
        label="Start date", required=True, missing="Enter the date the project starts"
    )
    end_date = GovukDateField(
        label="End date (optional)",
        required=False,
        missing="Enter the date the project ends",
        help_text=f"Participant data is deleted at the end of the retention period after it. {DATE_HINT}",
    )
    places = PlacesField(
        label="Places (optional)", help_text="ONS codes or place names, separated by commas."
    )
    instruments = forms.MultipleChoiceField(
        label="Instruments used",
        required=False,
        choices=[(key, instrument.name) for key, instrument in INSTRUMENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Add the project’s own questions from its page once it is saved.",
    )
    measurement_points = forms.CharField(
        label="Measurement points",
        required=False,
        initial="pre, Baseline\npost, End of project",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=POINTS_HINT,
    )
    change_thresholds = forms.CharField(
        label="Meaningful-change thresholds (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=THRESHOLDS_HINT,
    )
    min_cell_size = forms.IntegerField(
        label="Smallest count shown outside your organisation",
        initial=10,
        min_value=1,
        max_value=1000,
        help_text="Counts below it are hidden from commissioners and funders. The usual standard is 10.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the smallest count as a whole number, like 10",
            "required": "Enter the smallest count to show, like 10",
        },
    )
    retention_months = forms.IntegerField(
        label="Months participant data is kept after the project ends",
        initial=24,
        min_value=1,
        max_value=120,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        help_text="After this, participants and their answers are deleted and only the aggregates are kept.",
        error_messages={
            "invalid": "Enter the number of months as a whole number, like 24",
            "required": "Enter how many months to keep participant data, like 24",
        },
    )
    collects_contact_details = forms.ChoiceField(
        label="Will the project keep participants’ contact details?",
        required=False,
        choices=[("no", "No, participants are known only by their code"), ("yes", "Yes")],
        initial="no",
        widget=forms.RadioSelect,
    )
    contact_details_purpose = forms.CharField(
        label="Why does the project need contact details? (if kept)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_version = forms.CharField(
        label="Consent wording version (optional)", required=False, help_text="Like ‘v1, January 2026’."
    )
    consent_wording = forms.CharField(
        label="What participants agree to",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with each participant’s consent, as it was when they agreed.",
    )

    def __init__(self, *args, delivered_by_choices, project: Project | None = None, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivered_by"].choices = [("", "Choose"), *delivered_by_choices]
        if project is not None:
            del self.fields["delivered_by"]
            self.fields["offers"] = forms.ModelMultipleChoiceField(
                label="Offers it uses (optional)",
                required=False,
                queryset=offers,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Select offers from the list"},
            )
        for name, scheme in (("outcomes", "outcomes"), ("themes", "themes")):
            self.fields[name] = forms.ModelMultipleChoiceField(
                label="Outcomes it aims for (optional)"
                if name == "outcomes"
                else "Priority themes (optional)",
                required=False,
                queryset=Term.objects.current().filter(scheme__key=scheme),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Select terms from the list"},
            )
        if project is not None and not self.is_bound:
            self.initial.update(self.initial_from(project))

    @staticmethod
    def initial_from(project: Project) -> dict:
        return {
            "title": project.title,
            "summary": project.summary,
            "kind": project.kind,
            "funder_name": project.funder_name,
            "start_date": _date_text(project.start_date),
            "end_date": _date_text(project.end_date),
            "places": places_display(project.places.all()),
            "instruments": [key for key in project.instruments if key in INSTRUMENTS],
            "measurement_points": "\n".join(f"{p.key}, {p.name}" for p in project.measurement_points.all()),
            "change_thresholds": "\n".join(f"{k} = {v:g}" for k, v in project.change_thresholds.items()),
            "min_cell_size": project.min_cell_size,
            "retention_months": project.retention_months,
            "collects_contact_details": "yes" if project.collects_contact_details else "no",
            "contact_details_purpose": project.contact_details_purpose,
            "consent_version": project.consent_version,
            "consent_wording": project.consent_wording,
            "offers": list(project.offers.all()),
            "outcomes": list(project.outcomes.all()),
            "themes": list(project.themes.all()),
        }

    def service_arguments(self) -> dict:
        values = {name: self.cleaned_data.get(name) for name in self.fields if name != "delivered_by"}
        values["measurement_points"] = _parse_points(values["measurement_points"] or "")
        values["change_thresholds"] = _parse_thresholds(values["change_thresholds"] or "")
        values["collects_contact_details"] = values["collects_contact_details"] == "yes"
        values["instruments"] = values["instruments"] or []
        for name in ("min_cell_size", "retention_months"):
            if values[name] is None:
                values[name] = self.fields[name].initial
        return values


# ---------------------------------------------------------------------------------------------------
# Small project forms
# ---------------------------------------------------------------------------------------------------


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter a whole number, like 12",
            "required": "Enter a whole number, like 12",
            "min_value": "Enter a whole number, 0 or more",
        },
    )


class AttendanceForm(ServiceForm):
    sessions = _count_field("Number of sessions")
    attendances = _count_field("Total attendances")
    unique_people = _count_field("Different people who came")
    period_start = GovukDateField(
        label="Period from (optional)",
        required=False,
        missing="Enter the first day of the period",
        help_text=f"Leave both dates blank for the whole project. {DATE_HINT}",
    )
    period_end = GovukDateField(label="Period to (optional)", required=False, missing="Enter the last day")
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProjectFieldForm(ServiceForm):
    name = forms.CharField(
        label="What will you ask?", required=False, help_text="Like ‘How did you hear about us?’"
    )
    purpose = forms.CharField(
        label="Why does the project need it?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Participants are shown this. Collect nothing you cannot give a reason for.",
    )
    choices = forms.CharField(
        label="Answers to choose from (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line. Leave blank to let people type their own answer.",
    )

    def service_arguments(self) -> dict:
        values = dict(self.cleaned_data)
        values["choices"] = [line for line in values["choices"].splitlines() if line.strip()]
        return values


class CustomQuestionForm(ServiceForm):
    question = forms.CharField(label="Question", required=False, max_length=300)
    key = forms.CharField(
        label="Short key",
        required=False,
        help_text="Letters, digits and underscores, like ‘confidence’. It is the column name in uploads.",
    )
    minimum = forms.IntegerField(
        label="Lowest answer",
        initial=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Enter a whole number, like 1"},
    )
    maximum = forms.IntegerField(
        label="Highest answer",
        initial=5,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Enter a whole number, like 5"},
    )
    higher_is_better = forms.ChoiceField(
        label="Is a higher answer better?",
        choices=[("yes", "Yes"), ("no", "No, lower is better")],
        initial="yes",
        widget=forms.RadioSelect,
    )
    meaningful_change = forms.FloatField(
        label="Meaningful change",
        initial=1,
        help_text="The smallest change in the answer that matters.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Enter a number, like 1"},
    )

    def service_arguments(self) -> dict:
        values = dict(self.cleaned_data)
        values["higher_is_better"] = values["higher_is_better"] == "yes"
        return values


class StoryForm(ServiceForm):
    title = forms.CharField(label="Title (optional)", required=False, max_length=200)
    text = forms.CharField(
        label="The story, as it was shared", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    attribution = forms.CharField(
        label="How to credit it (optional)",
        required=False,
        max_length=150,
        help_text="Nothing that identifies the person, like ‘A participant in her seventies’.",
    )
    consent_date = GovukDateField(label="Date they agreed to share it", missing="Enter the date they agreed")
    consent_wording = forms.CharField(
        label="What they agreed to (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DataRoleForm(ServiceForm):
    member = forms.ModelChoiceField(
        label="Member of the delivering organisation",
        queryset=None,
        empty_label="Choose a member",
        error_messages={
            "required": "Choose the member to give the data role",
            "invalid_choice": "Choose a member from the list",
        },
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class ViewerForm(ServiceForm):
    email = forms.CharField(
        label="Email address of their account",
        required=False,
        help_text="They see the project and its aggregates, never the participants.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


# ---------------------------------------------------------------------------------------------------
# Participants and responses
# ---------------------------------------------------------------------------------------------------


class ParticipantForm(ServiceForm):
    code = forms.CharField(
        label="Participant code (optional)",
        required=False,
        max_length=40,
        help_text="Leave blank to have one made up. Never use a name or anything else that identifies them.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    age_band = forms.ChoiceField(
        label="Age band (optional)",
        required=False,
        choices=[("", "Not recorded"), *Participant.AgeBand.choices],
    )
    consent_date = GovukDateField(label="Date they gave consent", missing="Enter the date they gave consent")

    def __init__(self, *args, project: Project, participant: Participant | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_fields = list(project.participant_fields.all())
        if participant is not None:
            del self.fields["code"]
            self.initial.update(
                {"age_band": participant.age_band, "consent_date": _date_text(participant.consent_date)}
            )
        for definition in self.project_fields:
            name = f"field_{definition.key}"
            if definition.choices:
                field = forms.ChoiceField(
                    label=f"{definition.name} (optional)",
                    required=False,
                    choices=[("", "Not recorded"), *((c, c) for c in definition.choices)],
                )
            else:
                field = forms.CharField(label=f"{definition.name} (optional)", required=False, max_length=500)
            field.help_text = f"Why we ask: {definition.purpose}"
            field.widget.attrs["class"] = "govuk-select" if definition.choices else "govuk-input"
            field.widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-hint"
            self.fields[name] = field
            if participant is not None:
                self.initial[name] = participant.field_values.get(definition.key, "")
        if project.collects_contact_details and participant is None:
            purpose = f"Kept apart from the answers, only for: {project.contact_details_purpose}"
            self.fields["contact_name"] = forms.CharField(
                label="Name (optional)", required=False, max_length=150, help_text=purpose
            )
            self.fields["contact_email"] = forms.CharField(
                label="Email address (optional)",
                required=False,
                widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
            self.fields["contact_phone"] = forms.CharField(
                label="Phone number (optional)", required=False, max_length=30
            )
            for name in ("contact_name", "contact_email", "contact_phone"):
                classes = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"govuk-input {classes}".strip()
            self.fields["contact_name"].widget.attrs["aria-describedby"] = (
                f"id_{self.add_prefix('contact_name')}-hint"
            )

    def service_arguments(self) -> dict:
        values = {key: self.cleaned_data[key] for key in ("age_band", "consent_date")}
        if "code" in self.fields:
            values["code"] = self.cleaned_data["code"]
        values["field_values"] = {
            d.key: self.cleaned_data.get(f"field_{d.key}", "") for d in self.project_fields
        }
        if "contact_name" in self.fields:
            values["contact"] = {
                key: self.cleaned_data.get(f"contact_{key}", "") for key in ("name", "email", "phone")
            }
        return values

    def add_service_errors(self, error: ValidationError) -> None:
        renamed = {}
        for name, messages in (
            error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        ).items():
            if name in ("name", "email", "phone"):
                name = f"contact_{name}"
            elif name and f"field_{name}" in self.fields:
                name = f"field_{name}"
            renamed[name] = messages
        super().add_service_errors(ValidationError({k or "__all__": v for k, v in renamed.items()}))


class ContactDetailsForm(ServiceForm):
    name = forms.CharField(label="Name (optional)", required=False, max_length=150)
    email = forms.CharField(
        label="Email address (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30)
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResponseForm(ServiceForm):
    """One instrument's items for one participant at one point. The item wording shows only where it may
    ship (ONS4, UCLA-3, the project's own questions) or the operator has loaded it (WEMWBS, SWEMWBS)."""

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.wording = item_wording(instrument)
        options = self.wording.options if self.wording.loaded else {}
        required = instrument.kind == SUM
        for number, item in enumerate(instrument.items, start=1):
            label = self.wording.items.get(item) if self.wording.loaded else None
            label = label or f"Item {number} ({item})"
            values = range(instrument.item_minimum, instrument.item_maximum + 1)
            choices = [("", "Not answered" if not required else "Choose an answer")]
            choices += [
                (str(value), f"{value} – {options[value]}" if value in options else str(value))
                for value in values
            ]
            self.fields[item] = forms.ChoiceField(
                label=label,
                required=required,
                choices=choices,
                error_messages={
                    "required": f"Choose an answer for item {number}",
                    "invalid_choice": f"Choose an answer for item {number} from the list",
                },
            )
            self.fields[item].widget.attrs["class"] = "govuk-select"

    def initial_from(self, answers: dict) -> None:
        for item, value in (answers or {}).items():
            if item in self.fields:
                self.initial[item] = str(value)

    def service_arguments(self) -> dict:
        return {"answers": {item: self.cleaned_data.get(item, "") for item in self.instrument.items}}


class UploadForm(ServiceForm):
    instrument = forms.ChoiceField(label="Instrument", error_messages={"required": "Choose the instrument"})
    file = forms.FileField(
        label="CSV file",
        help_text="Columns participant_code, timepoint and one per item (q1, q2… or the ONS4 measure names).",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )

    def __init__(self, *args, instruments: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [("", "Choose an instrument"), *instruments]

    def service_arguments(self) -> dict:
        upload = self.cleaned_data["file"]
        return {
            "instrument": self.cleaned_data["instrument"],
            "content": upload.read(),
            "file_name": upload.name,
        }


class ExportForm(ServiceForm):
    format = forms.ChoiceField(
        label="File format",
        choices=[("json", "JSON (for another system)"), ("csv", "CSV (opens in a spreadsheet)")],
        initial="json",
        widget=forms.RadioSelect,
    )
