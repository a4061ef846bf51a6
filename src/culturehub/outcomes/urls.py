from django.urls import path

from culturehub.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("projects/add/", views.project_add, name="project_add"),
    path("projects/<uuid:pk>/", views.project_detail, name="project_detail"),
    path("projects/<uuid:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<uuid:pk>/people/", views.people, name="people"),
    path("projects/<uuid:pk>/history/", views.project_history, name="project_history"),
    path("projects/<uuid:pk>/report/", views.project_report, name="project_report"),
    path("projects/<uuid:pk>/report.pdf", views.project_report_pdf, name="project_report_pdf"),
    path("projects/<uuid:pk>/attendance/add/", views.attendance_add, name="attendance_add"),
    path("projects/<uuid:pk>/fields/add/", views.field_add, name="field_add"),
    path("projects/<uuid:pk>/questions/add/", views.question_add, name="question_add"),
    path("projects/<uuid:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("projects/<uuid:pk>/upload/", views.upload, name="upload"),
    path("projects/<uuid:pk>/stories/add/", views.story_add, name="story_add"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload_detail"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/contact/", views.contact_edit, name="contact_edit"),
    path("participants/<int:pk>/export/", views.participant_export, name="participant_export"),
    path("participants/<int:pk>/erase/", views.participant_erase, name="participant_erase"),
    path(
        "participants/<int:pk>/responses/<slug:point>/<slug:instrument>/",
        views.response_entry,
        name="response_entry",
    ),
]
