"""Template filters of the casework pages."""

from django import template

from signals.countries import country_name as name_of_country

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """A nationality as its name in the page's language: an ISO code means nothing to most
    readers. An unknown code is shown as it is rather than hidden."""
    return name_of_country(code)
