from django.db.models import Prefetch

from culturehub.vocabulary.models import Scheme, Term


def scheme_list_with_terms():
    return Scheme.objects.prefetch_related(
        Prefetch("terms", queryset=Term.objects.current().prefetch_related("themes"))
    )


def scheme_get(*, key: str) -> Scheme:
    return Scheme.objects.get(key=key)


def theme_list():
    return Term.objects.themes()
