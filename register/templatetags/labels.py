"""Choice labels for long lists: `{{ signal|label:"island" }}` says what
`{{ signal.get_island_display }}` says, from a table made once per model field and language
in each process, instead of rebuilding the field's choices and translating them on every row
(the inbox's rows cost some 600 translation calls a request that way)."""

from functools import cache
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

register = template.Library()


@cache
def _labels(model, field_name: str, language: str | None) -> dict:
    field = model._meta.get_field(field_name)
    return {make_hashable(value): force_str(text, strings_only=True)
            for value, text in field.flatchoices}


def choice_label(instance, field_name: str):
    """instance.get_<field_name>_display(), looked up in the table of the active language."""
    value = getattr(instance, field_name)
    return _labels(type(instance), field_name, get_language()).get(make_hashable(value), value)


@register.filter
def label(instance, field_name: str):
    return choice_label(instance, field_name)


@cache
def _url_around(name: str, prefix: str, language: str | None) -> tuple[str, str]:
    marker = "RowKey0Marker"
    before, after = reverse(name, args=[marker]).split(marker)
    return before, after


@register.filter
def url_of(key, name: str) -> str:
    """`{{ signal.reference|url_of:"signals:detail" }}` is `{% url "signals:detail" ... %}`
    for a row of a long list: the route is reversed once per process (and script prefix and
    language), and the row's key is quoted into it as `reverse` quotes it."""
    before, after = _url_around(name, get_script_prefix(), get_language())
    return f"{before}{quote(str(key), safe=RFC3986_SUBDELIMS + '/~:@')}{after}"
