from django.conf import settings


def site(request):
    return {
        "site_name": "Culture Hub",
        "phase": "beta",
        "debug": settings.DEBUG,
    }
