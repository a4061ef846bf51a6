from django.shortcuts import render

from culturehub.vocabulary import selectors


def index(request):
    return render(request, "vocabulary/index.html", {"schemes": selectors.scheme_list_with_terms()})
