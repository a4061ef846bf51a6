"""`{% tags_panel record %}`: the vocabulary terms on a directory record, why, and who decided."""

from django import template

from culturehub.vocabulary.tagging import TAGGED_SCHEMES, can_correct_tags, correctable_terms, tags_for

register = template.Library()


@register.inclusion_tag("vocabulary/includes/tags_panel.html", takes_context=True)
def tags_panel(context, record, kind: str):
    user = context["request"].user
    can_correct = can_correct_tags(user, record)
    shown = tags_for(record)
    return {
        "request": context["request"],
        "record": record,
        "kind": kind,
        "schemes": [(scheme, shown.get(scheme, [])) for scheme in TAGGED_SCHEMES],
        "any_tags": any(shown.values()),
        "can_correct": can_correct,
        "choices": correctable_terms() if can_correct else [],
    }
