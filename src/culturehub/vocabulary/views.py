from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from culturehub.directory.models import Offer, Organisation
from culturehub.vocabulary import selectors, tagging
from culturehub.vocabulary.models import Term

TAGGABLE_KINDS = {"organisation": Organisation, "offer": Offer}
DETAIL_PAGES = {"organisation": "directory:organisation_detail", "offer": "directory:offer_detail"}


def index(request):
    return render(request, "vocabulary/index.html", {"schemes": selectors.scheme_list_with_terms()})


@login_required
@require_POST
def tag_correct(request, kind, pk):
    """A person adds or removes a tag on a listing or an offer they own."""
    record = get_object_or_404(TAGGABLE_KINDS[kind], pk=pk) if kind in TAGGABLE_KINDS else None
    if record is None:
        raise Http404("No such kind of record.")
    term = get_object_or_404(Term.objects.current(), pk=request.POST.get("term") or 0)
    applies = request.POST.get("applies") == "yes"
    tagging.tag_correct(user=request.user, obj=record, term=term, applies=applies)
    verb = "added" if applies else "removed"
    messages.success(request, f"“{term.label}” {verb}. Your decision wins over the tagger's.")
    return redirect(f"{reverse(DETAIL_PAGES[kind], kwargs={'pk': record.pk})}#tags")
