"""Outcome project pages: your projects, a project, its participants, data entry, uploads, and a
participant's export and erasure.

Views only read the request, call a selector or service, and render; the permission checks live in the
selectors and services (Http404 for people with no tie to the project, PermissionDenied otherwise).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from culturehub.core.forms import run_service
from culturehub.outcomes import report as outcome_report
from culturehub.outcomes import selectors, services
from culturehub.outcomes.forms import (
    AttendanceForm,
    ContactDetailsForm,
    CustomQuestionForm,
    DataRoleForm,
    ExportForm,
    ParticipantForm,
    ProjectFieldForm,
    ProjectForm,
    ResponseForm,
    StoryForm,
    UploadForm,
    ViewerForm,
)
from culturehub.outcomes.models import ProjectViewer
from culturehub.outcomes.permissions import PEOPLE_NEEDED


def _posted(request):
    """The submitted values, or None for a page being shown (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _number(text: str) -> int:
    if not text.isdigit():
        raise Http404("There is no such record.")
    return int(text)


def _simple_form(request, form, *, project, title, submit, template="outcomes/simple_form.html", **extra):
    return render(
        request, template, {"form": form, "project": project, "title": title, "submit": submit, **extra}
    )


# ---------------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------------


@login_required
def project_list(request):
    """'Your projects'."""
    projects = list(selectors.project_list_for_user(user=request.user))
    return render(
        request,
        "outcomes/project_list.html",
        {
            "projects": projects,
            "can_start": bool(selectors.project_delivered_by_choices(user=request.user)),
        },
    )


@login_required
def project_add(request):
    choices = selectors.project_delivered_by_choices(user=request.user)
    form = ProjectForm(_posted(request), delivered_by_choices=choices)
    # Without a valid choice of who delivers it, the service has nothing to check the rest against.
    if request.method == "POST" and (form.is_valid() or "delivered_by" in form.cleaned_data):
        project = run_service(
            form,
            lambda **values: services.project_create(
                user=request.user,
                **selectors.project_delivered_by(value=form.cleaned_data["delivered_by"]),
                **values,
            ),
        )
        if project is not None:
            messages.success(request, f"{project.title} started. Add participants, or upload responses.")
            return redirect("outcomes:project_detail", pk=project.pk)
    return render(request, "outcomes/project_form.html", {"form": form, "project": None, "choices": choices})


def project_detail(request, pk):
    page = selectors.project_page(user=request.user, pk=pk, participant_page=request.GET.get("page"))
    return render(request, "outcomes/project_detail.html", {"page": page, "project": page.project})


@login_required
def project_edit(request, pk):
    project = selectors.project_get_for_edit(user=request.user, pk=pk)
    form = ProjectForm(
        _posted(request),
        delivered_by_choices=[],
        project=project,
        offers=selectors.project_offer_choices(project=project),
    )
    if request.method == "POST":
        updated = run_service(
            form, lambda **values: services.project_update(user=request.user, project=project, **values)
        )
        if updated is not None:
            messages.success(request, "Project details saved.")
            return redirect("outcomes:project_detail", pk=project.pk)
    return render(request, "outcomes/project_form.html", {"form": form, "project": project})


@login_required
def project_history(request, pk):
    project, _access = selectors.project_get(user=request.user, pk=pk)
    history = selectors.project_audit_log(user=request.user, project=project)
    return render(request, "outcomes/project_history.html", {"project": project, "history": history})


def _add_to_project(request, project, *, form_class, service, done: str, title: str, submit: str):
    """A one-form page that adds something to the project through `service`, then returns to it."""
    form = form_class(_posted(request))
    if request.method == "POST" and run_service(
        form, lambda **values: service(user=request.user, project=project, **values)
    ):
        messages.success(request, done)
        return redirect("outcomes:project_detail", pk=project.pk)
    return _simple_form(request, form, project=project, title=title, submit=submit)


@login_required
def attendance_add(request, pk):
    return _add_to_project(
        request, selectors.project_get_for_edit(user=request.user, pk=pk),
        form_class=AttendanceForm, service=services.attendance_record_add, done="Attendance recorded.",
        title="Record sessions and attendance", submit="Save attendance",
    )


@login_required
def field_add(request, pk):
    return _add_to_project(
        request, selectors.project_get_for_edit(user=request.user, pk=pk),
        form_class=ProjectFieldForm, service=services.project_field_add,
        done="Participants will be asked it, with your reason.",
        title="Collect something else about participants", submit="Add it",
    )


@login_required
def question_add(request, pk):
    return _add_to_project(
        request, selectors.project_get_for_edit(user=request.user, pk=pk),
        form_class=CustomQuestionForm, service=services.custom_question_add,
        done="Question added to the project’s instruments.",
        title="Add your own question", submit="Add question",
    )


@login_required
def people(request, pk):
    """Who holds the data role, and which commissioners or funders view the project."""
    project, access = selectors.project_get(user=request.user, pk=pk)
    if not access.can_manage_people:
        raise PermissionDenied(PEOPLE_NEEDED)
    members = selectors.project_delivering_members(project=project)
    role_form = DataRoleForm(
        request.POST if "grant" in request.POST else None, members=members, prefix="role"
    )
    viewer_form = ViewerForm(request.POST if "add_viewer" in request.POST else None, prefix="viewer")
    if request.method == "POST":
        if "grant" in request.POST and run_service(
            role_form,
            lambda member: services.data_role_grant(user=request.user, project=project, member=member),
        ):
            messages.success(request, f"{role_form.cleaned_data['member']} now holds the data role.")
            return redirect("outcomes:people", pk=project.pk)
        if "add_viewer" in request.POST and run_service(
            viewer_form, lambda email: services.viewer_add(user=request.user, project=project, email=email)
        ):
            messages.success(request, "They can now see the project and its aggregates.")
            return redirect("outcomes:people", pk=project.pk)
        if "revoke" in request.POST:
            member = get_object_or_404(get_user_model(), pk=_number(request.POST["revoke"]))
            services.data_role_revoke(user=request.user, project=project, member=member)
            messages.success(request, f"{member} no longer holds the data role.")
            return redirect("outcomes:people", pk=project.pk)
        if "remove_viewer" in request.POST:
            viewer = get_object_or_404(
                ProjectViewer, pk=_number(request.POST["remove_viewer"]), project=project
            )
            services.viewer_remove(user=request.user, project=project, viewer=viewer)
            messages.success(request, f"{viewer.user} no longer sees the project.")
            return redirect("outcomes:people", pk=project.pk)
    return render(
        request,
        "outcomes/people.html",
        {
            "project": project,
            "role_form": role_form,
            "viewer_form": viewer_form,
            "data_roles": list(project.data_roles.select_related("user")),
            "viewers": list(project.viewers.select_related("user")),
            "form": role_form if role_form.errors else viewer_form,
        },
    )


# ---------------------------------------------------------------------------------------------------
# Participants and responses (data role only)
# ---------------------------------------------------------------------------------------------------


@login_required
def participant_add(request, pk):
    project = selectors.project_get_for_data(user=request.user, pk=pk)
    form = ParticipantForm(_posted(request), project=project)
    if request.method == "POST":
        participant = run_service(
            form, lambda **values: services.participant_create(user=request.user, project=project, **values)
        )
        if participant is not None:
            messages.success(request, f"Participant {participant.code} added. Write the code down for them.")
            return redirect("outcomes:participant_detail", pk=participant.pk)
    return render(request, "outcomes/participant_form.html", {"form": form, "project": project})


@login_required
def participant_detail(request, pk):
    page = selectors.participant_page(user=request.user, pk=pk)
    return render(request, "outcomes/participant_detail.html", {"page": page, "project": page.project})


@login_required
def participant_edit(request, pk):
    participant = selectors.participant_get(user=request.user, pk=pk)
    project = participant.project
    form = ParticipantForm(_posted(request), project=project, participant=participant)
    if request.method == "POST" and run_service(
        form,
        lambda **values: services.participant_update(user=request.user, participant=participant, **values),
    ):
        messages.success(request, "Participant details saved.")
        return redirect("outcomes:participant_detail", pk=participant.pk)
    return render(
        request,
        "outcomes/participant_form.html",
        {"form": form, "project": project, "participant": participant},
    )


@login_required
def contact_edit(request, pk):
    participant = selectors.participant_get(user=request.user, pk=pk)
    project = participant.project
    if not project.collects_contact_details:
        raise PermissionDenied("This project does not collect contact details.")
    contact = getattr(participant, "contact_details", None)
    initial = {key: getattr(contact, key) for key in ("name", "email", "phone", "notes")} if contact else {}
    form = ContactDetailsForm(_posted(request), initial=initial)
    # Not run_service: the service returns None when every value is blanked (the details removed),
    # which run_service would take for a failure.
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_details_set(
                user=request.user, participant=participant, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Contact details saved.")
            return redirect("outcomes:participant_detail", pk=participant.pk)
    return _simple_form(
        request,
        form,
        project=project,
        title=f"Contact details of {participant.code}",
        submit="Save contact details",
        back=("outcomes:participant_detail", participant.pk),
    )


@login_required
def response_entry(request, pk, point, instrument):
    participant = selectors.participant_get(user=request.user, pk=pk)
    project = participant.project
    measurement_point = selectors.point_get(project=project, key=point)
    if instrument not in project.instruments:
        raise Http404("The project does not use that instrument.")
    chosen = services.project_instrument(project, instrument)
    form = ResponseForm(_posted(request), instrument=chosen)
    existing = participant.responses.filter(point=measurement_point, instrument=chosen.key).first()
    if existing and not form.is_bound:
        form.initial_from(existing.answers)
    if request.method == "POST":
        result = run_service(
            form,
            lambda answers: services.response_record(
                user=request.user,
                participant=participant,
                point=measurement_point,
                instrument=chosen.key,
                answers=answers,
            ),
        )
        if result is not None:
            response, outcome = result
            verb = {"created": "saved", "updated": "updated", "unchanged": "unchanged"}[outcome]
            messages.success(request, f"{chosen.name} at {measurement_point.name} {verb}.")
            return redirect("outcomes:participant_detail", pk=participant.pk)
    return render(
        request,
        "outcomes/response_form.html",
        {
            "form": form,
            "project": project,
            "participant": participant,
            "point": measurement_point,
            "instrument": chosen,
            "wording": form.wording,
            "existing": existing,
        },
    )


@login_required
def upload(request, pk):
    project = selectors.project_get_for_data(user=request.user, pk=pk)
    instruments = selectors.project_instruments(project=project)
    form = UploadForm(_posted(request), request.FILES or None, instruments=instruments)
    if request.method == "POST":
        result = run_service(
            form, lambda **values: services.responses_upload(user=request.user, project=project, **values)
        )
        if result is not None:
            return redirect("outcomes:upload_detail", pk=result.pk)
    return render(
        request,
        "outcomes/upload_form.html",
        {
            "form": form,
            "project": project,
            "points": list(project.measurement_points.all()),
            "instruments": [
                (key, name, services.project_instrument(project, key).items) for key, name in instruments
            ],
        },
    )


@login_required
def upload_detail(request, pk):
    result = selectors.upload_get(user=request.user, pk=pk)
    return render(request, "outcomes/upload_detail.html", {"upload": result, "project": result.project})


@login_required
def story_add(request, pk):
    return _add_to_project(
        request, selectors.project_get_for_data(user=request.user, pk=pk),
        form_class=StoryForm, service=services.story_add, done="Story saved for the report.",
        title="Add a story shared with consent", submit="Save story",
    )


# ---------------------------------------------------------------------------------------------------
# A participant's rights
# ---------------------------------------------------------------------------------------------------


@login_required
def participant_export(request, pk):
    participant = selectors.participant_get(user=request.user, pk=pk)
    form = ExportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        filename = f"participant-{participant.code}"
        if form.cleaned_data["format"] == "csv":
            body = services.participant_export_csv(user=request.user, participant=participant)
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        else:
            data = services.participant_export(user=request.user, participant=participant)
            response = HttpResponse(
                json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "outcomes/participant_export.html",
        {"form": form, "participant": participant, "project": participant.project},
    )


@login_required
def participant_erase(request, pk):
    participant = selectors.participant_get(user=request.user, pk=pk)
    project = participant.project
    if request.method == "POST":
        code = participant.code
        services.participant_erase(user=request.user, participant=participant)
        messages.success(request, f"Participant {code} and everything held about them has been erased.")
        return redirect("outcomes:project_detail", pk=project.pk)
    return render(
        request, "outcomes/participant_erase.html", {"participant": participant, "project": project}
    )


# ---------------------------------------------------------------------------------------------------
# The outcome report: aggregates only, for delivering members and linked viewers
# ---------------------------------------------------------------------------------------------------


def project_report(request, pk):
    report = outcome_report.project_report(user=request.user, pk=pk)
    return render(request, "outcomes/report.html", {"report": report, "project": report.project})


def project_report_pdf(request, pk):
    report = outcome_report.project_report(user=request.user, pk=pk)
    html = render_to_string(
        "outcomes/report_pdf.html", {"report": report, "project": report.project}, request=request
    )
    response = HttpResponse(outcome_report.report_pdf(html=html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
