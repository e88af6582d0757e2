"""{% if user|may_open:"reporting:schedules" %}: a link shown only to whom the view admits."""

from django import template

from register import ui

register = template.Library()


@register.filter
def may_open(user, url_name: str) -> bool:
    return ui.may_open(user, url_name)
