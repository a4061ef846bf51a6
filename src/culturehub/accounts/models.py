"""People who sign in, and the role that decides what they may do."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class Role(models.TextChoices):
    MEMBER = "member", "Cultural organisation member"
    COORDINATOR = "coordinator", "Consortium coordinator"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMINISTRATOR = "administrator", "Administrator"


PRIVILEGED_ROLES = frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Signs in by email; holds only what the service needs (a name to show and a role)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=150, blank=True, help_text="The name other people see, for example 'Sam Patel'."
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_commissioner(self) -> bool:
        return self.role == Role.COMMISSIONER

    @property
    def needs_two_factor(self) -> bool:
        return self.is_administrator or self.is_staff or self.role in PRIVILEGED_ROLES
