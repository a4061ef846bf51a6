from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from culturehub.core import selectors
from culturehub.core.permissions import is_administrator, require


def home(request):
    return render(request, "core/home.html", {"places": selectors.demo_places()})


def api_docs(request):
    from culturehub.config.api import api

    return render(request, "core/api_docs.html", {"groups": selectors.api_endpoint_groups(api)})


def cookies(request):
    return render(request, "core/cookies.html")


def accessibility(request):
    return render(request, "core/accessibility.html")


def data_sources(request):
    return render(
        request,
        "core/data_sources.html",
        {
            "sources": selectors.data_sources_with_counts(),
            "registers": selectors.register_sources_with_counts(),
            "notices": selectors.procurement_notices_summary(),
        },
    )


@login_required
def import_runs(request):
    require(is_administrator(request.user), "Only administrators can see import runs.")
    page = Paginator(selectors.import_run_list(), 25).get_page(request.GET.get("page"))
    return render(request, "core/import_runs.html", {"page": page})


@login_required
def import_run_detail(request, run_id):
    require(is_administrator(request.user), "Only administrators can see import runs.")
    run = get_object_or_404(selectors.import_run_list(), pk=run_id)
    errors = Paginator(run.row_errors.all(), 50).get_page(request.GET.get("page"))
    return render(request, "core/import_run_detail.html", {"run": run, "errors": errors})


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
