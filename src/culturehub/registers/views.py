"""Pages for administrators: the joins the importers made between register entries, and undoing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from culturehub.registers import selectors, services


@login_required
def match_list(request):
    matches = selectors.matches_for_review(user=request.user)
    page = Paginator(matches, 50).get_page(request.GET.get("page"))
    return render(request, "registers/match_list.html", {"page_obj": page, "matches": page.object_list})


@login_required
def match_reverse(request, pk):
    match = selectors.match_get_for_reversal(user=request.user, pk=pk)
    detail_url = reverse("directory:organisation_detail", args=[match.organisation_id])
    if request.method == "POST":
        try:
            organisation = services.reverse_match(request.user, match)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(detail_url)
        messages.success(request, f"{match.record.name} now has a listing of its own.")
        return redirect("directory:organisation_detail", pk=organisation.pk)
    return render(request, "registers/match_reverse.html", {"match": match, "detail_url": detail_url})
