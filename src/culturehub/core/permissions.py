"""Role checks shared by every app's services and selectors."""

from django.core.exceptions import PermissionDenied


def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_administrator)


def is_commissioner(user) -> bool:
    return bool(user and user.is_authenticated and user.is_commissioner)


def require(condition: bool, message: str) -> None:
    """Raise PermissionDenied with a message the person can act on."""
    if not condition:
        raise PermissionDenied(message)
