"""Place pages: search, profile, and the forms administrators and commissioners use for priorities."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from culturehub.core.permissions import require
from culturehub.places import selectors, services
from culturehub.places.forms import PriorityForm
from culturehub.places.models import Area

RESULTS_PER_PAGE = 25
EDITORS_ONLY = "Only administrators and commissioners can add, change or delete priorities."


def _old_code_message(request, alias, area) -> None:
    old_name = f" ({alias.name})" if alias.name and alias.name != area.name else ""
    messages.info(
        request, f"{alias.code}{old_name} is an old code. It is now part of {area.name} ({area.code})."
    )


def search(request):
    query = request.GET.get("q", "").strip()
    kinds = [kind for kind in request.GET.getlist("kind") if kind in Area.Kind.values]
    region_code = request.GET.get("region", "").strip().upper()
    if query:
        area, alias = selectors.area_exact_match(query=query)
        if area is not None:
            if alias is not None:
                _old_code_message(request, alias, area)
            return redirect("places:detail", code=area.code)

    searching = bool(query or kinds or region_code)
    page = None
    region = None
    if searching:
        if region_code:
            region = selectors.region_list().filter(code=region_code).first()
        results = selectors.area_search(query=query, kinds=kinds, region_code=region_code)
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        aliases = selectors.area_search_aliases(query=query, areas=page.object_list)
        for area in page.object_list:
            area.matched_alias = aliases.get(area.pk)
    parameters = [("q", query)] if query else []
    parameters += [("kind", kind) for kind in kinds]
    if region_code:
        parameters.append(("region", region_code))
    return render(request, "places/search.html", {
        "query": query,
        "searching": searching,
        "page": page,
        "query_string": urlencode(parameters),
        "kind_choices": [(value, label, value in kinds) for value, label in Area.Kind.choices],
        "selected_kinds": [label for value, label in Area.Kind.choices if value in kinds],
        "region_code": region_code,
        "region": region,
        "demo_places": [] if searching else selectors.demo_place_list(),
        "regions": [] if searching else selectors.region_list(),
    })


def _place_not_found(request, code):
    return render(request, "places/not_found.html", {"code": code}, status=404)


def detail(request, code):
    area, alias = selectors.area_exact_match(query=code)
    if area is None:
        return _place_not_found(request, code)
    if area.code != code:
        if alias is not None:
            _old_code_message(request, alias, area)
        return redirect("places:detail", code=area.code)
    context = selectors.area_context(area=area)
    summary = selectors.area_indicator_summary(area=context.area, districts=context.districts)
    return render(request, "places/detail.html", {
        "area": context.area,
        "place": context,
        "summary": summary,
        "priorities": list(selectors.priority_list_for_area(area=area)),
        "can_edit_priorities": selectors.priority_can_edit(user=request.user),
    })


def _profile_url(area, fragment="priorities") -> str:
    return f"{reverse('places:detail', args=[area.code])}#{fragment}"


def _save_priority(request, form, save):
    """Run a service with the form's data; turn its validation errors into form errors."""
    try:
        return save(**form.service_arguments())
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def priority_add(request, code):
    area, _alias = selectors.area_exact_match(query=code)
    if area is None:
        return _place_not_found(request, code)
    if area.code != code:
        return redirect("places:priority_add", code=area.code)
    require(selectors.priority_can_edit(user=request.user), EDITORS_ONLY)
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        priority = _save_priority(
            request, form,
            lambda **fields: services.priority_create(user=request.user, area=area, **fields),
        )
        if priority is not None:
            messages.success(request, f"Priority added: {priority.title}")
            return redirect(_profile_url(area))
    return render(request, "places/priority_form.html", {"form": form, "area": area, "priority": None})


def _priority_or_404(pk):
    priority = selectors.priority_get(pk=pk)
    if priority is None:
        raise Http404("No priority has that number.")
    return priority


@login_required
def priority_edit(request, pk):
    priority = _priority_or_404(pk)
    require(selectors.priority_can_edit(user=request.user), EDITORS_ONLY)
    form = PriorityForm(request.POST or None, initial=PriorityForm.initial_for(priority), priority=priority)
    if request.method == "POST" and form.is_valid():
        saved = _save_priority(
            request, form,
            lambda **fields: services.priority_update(user=request.user, priority=priority, **fields),
        )
        if saved is not None:
            messages.success(request, f"Priority changed: {saved.title}")
            return redirect(_profile_url(priority.area))
    return render(request, "places/priority_form.html", {
        "form": form,
        "area": priority.area,
        "priority": priority,
        "history": selectors.priority_history(user=request.user, priority=priority),
    })


@login_required
def priority_delete(request, pk):
    priority = _priority_or_404(pk)
    require(selectors.priority_can_edit(user=request.user), EDITORS_ONLY)
    if request.method == "POST":
        area, title = priority.area, priority.title
        services.priority_delete(user=request.user, priority=priority)
        messages.success(request, f"Priority deleted: {title}")
        return redirect(_profile_url(area))
    return render(request, "places/priority_delete.html", {"priority": priority, "area": priority.area})
