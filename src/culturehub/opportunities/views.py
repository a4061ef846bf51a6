"""Opportunity pages: the list with its filters, one opportunity, flags, and what relevance means.

Views read the request, call a selector or service, and render; permission checks live in them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from culturehub.core.permissions import require

from . import selectors, services
from .forms import RelevanceFlagForm
from .models import Relevance
from .search import DEADLINE_CHOICES, DEFAULT_RELEVANCE, OpportunityFilters, OpportunitySearchForm

FORM_DEFAULTS = {"deadline": "open", "sort": "deadline", "relevance": list(DEFAULT_RELEVANCE)}


def _query_string(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()


def _search_form(request) -> OpportunitySearchForm:
    # Only the parameters a person set count: a bare "?page=2" is the default search, page 2.
    given = any(name in request.GET for name in OpportunitySearchForm.base_fields)
    if given:
        return OpportunitySearchForm(request.GET)
    return OpportunitySearchForm(initial=FORM_DEFAULTS)


def opportunity_list(request):
    form = _search_form(request)
    # The form has read the themes' and art forms' labels for its choices; the results reuse them.
    labels = {"themes": dict(form.fields["theme"].choices),
              "art_forms": dict(form.fields["art_form"].choices)}
    context = {
        "form": form,
        "query_string": _query_string(request),
        "latest_notice": selectors.latest_notice_date(),
        "results": None,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "opportunities/list.html", context)
    filters = form.filters() if form.is_bound else OpportunityFilters()
    results = selectors.opportunity_results(
        filters=filters, page_number=request.GET.get("page"), labels=labels
    )
    context.update(
        results=results,
        filters=filters,
        page=results.page,
        has_criteria=form.is_bound,
        any_deadline_query=_query_string(request, deadline="any"),
        deadline_label=dict(DEADLINE_CHOICES).get(filters.deadline, ""),
        hides_none=Relevance.NONE not in filters.relevance,
    )
    return render(request, "opportunities/list.html", context)


def _detail(request, pk, *, flag_form=None, status=200):
    page = selectors.opportunity_page(user=request.user, pk=pk)
    if flag_form is None and page.can_flag:
        initial = {"relevance": page.own_flag.relevance, "note": page.own_flag.note} if page.own_flag else {}
        flag_form = RelevanceFlagForm(initial=initial)
    return render(
        request, "opportunities/detail.html",
        {"page": page, "opportunity": page.opportunity, "flag_form": flag_form, "form": flag_form},
        status=status,
    )


def opportunity_detail(request, pk):
    return _detail(request, pk)


@require_POST
@login_required
def relevance_flag(request, pk):
    opportunity = selectors.opportunity_get(pk=pk)
    # The service checks this too; asking first spares a member a form of errors they cannot act on.
    require(selectors.relevance_flag_can_set(user=request.user), services.FLAGGERS_ONLY)
    form = RelevanceFlagForm(request.POST)
    if form.is_valid():
        try:
            services.relevance_flag_set(
                user=request.user, opportunity=opportunity, **form.service_arguments()
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, "Your flag is saved. Thank you: it is shown to other readers below.")
            return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#flags")
    return _detail(request, pk, flag_form=form)


def relevance_help(request):
    return render(request, "opportunities/relevance_help.html", {
        "labels": selectors.term_labels(),
        "latest_notice": selectors.latest_notice_date(),
    })
