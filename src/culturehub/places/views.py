from django.http import Http404
from django.shortcuts import redirect, render

from culturehub.places import selectors


def search(request):
    query = request.GET.get("q", "")
    results = selectors.area_search(query=query)
    return render(request, "places/search.html", {"query": query, "results": results})


def detail(request, code):
    area = selectors.area_resolve(code=code)
    if area is None:
        raise Http404("No place has that code.")
    if area.code != code:
        return redirect("places:detail", code=area.code)
    return render(request, "places/detail.html", {"area": area})
