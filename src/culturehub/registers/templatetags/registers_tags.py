from django import template

from culturehub.registers.selectors import investment_years, organisation_register_panel

register = template.Library()


@register.inclusion_tag("registers/includes/register_panel.html", takes_context=True)
def organisation_registers(context, organisation):
    """The "From public registers" section of a listing's page (nothing when no register lists it)."""
    request = context.get("request")
    panel = organisation_register_panel(user=getattr(request, "user", None), organisation=organisation)
    return {
        "panel": panel,
        "years": investment_years(panel.investments) if panel else [],
        "organisation": organisation,
        "csrf_token": context.get("csrf_token"),
    }
