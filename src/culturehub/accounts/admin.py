"""The admin site's page for people: administrators change roles and access here, and nowhere else."""

from django import forms
from django.contrib import admin

from culturehub.accounts.models import User
from culturehub.accounts.services import user_access_problems, user_save_access
from culturehub.core.permissions import is_administrator


class UserAdminForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "display_name", "role", "is_active", "is_staff"]
        labels = {"is_staff": "Can use the admin site", "is_active": "Can sign in"}
        help_texts = {
            "is_staff": "Only for administrators. They must also set up two-factor authentication.",
            "is_active": "Untick to close the account instead of deleting it.",
        }

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def _post_clean(self):
        # The instance holds the submitted values only after ModelForm's own _post_clean.
        super()._post_clean()
        if self.actor is not None and not self.errors:
            for field, message in user_access_problems(actor=self.actor, user=self.instance).items():
                self.add_error(field, message)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["email", "display_name", "role", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "display_name"]}),
        ("Role and access", {"fields": ["role", "is_active", "is_staff"]}),
        ("History", {"fields": ["last_login", "date_joined"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class BoundUserAdminForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=actor, **inner)

        return BoundUserAdminForm

    # Administrators manage people by their role, without Django's per-model permissions.
    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        # People join by signing up, which verifies their email address.
        return False

    def has_delete_permission(self, request, obj=None):
        # Close accounts (untick "Can sign in") so the audit trail keeps its actors.
        return False

    def save_model(self, request, obj, form, change):
        user_save_access(actor=request.user, user=obj)
