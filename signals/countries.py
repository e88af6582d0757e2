"""ISO 3166 country choices with names in the user's language.

Dutch and English names come from django-countries (its catalogues follow the ISO 3166
maintenance agency and CLDR). No published source has Papiamentu, so the register keeps a
complete catalogue of its own, locale/pap/countries.po, merged into the Papiamentu message
catalogue by `make messages`; django-countries' names are translated through it like every
other string, wherever they are shown.
"""

from django_countries import countries


def country_choices() -> list[tuple[str, str]]:
    """(code, name) sorted by name in the active language."""
    return [(code, name) for code, name in countries]


def is_country_code(code: str) -> bool:
    return code in countries


def country_name(code: str) -> str:
    """The country's name in the active language; an unknown or empty code is shown as is."""
    if not code or code not in countries:
        return code or ""
    return countries.name(code)
