"""ISO 3166 country choices with names in the user's language (from django-countries)."""

from django_countries import countries


def country_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in countries]


def is_country_code(code: str) -> bool:
    return code in countries
