"""Dutch and Papiamentu are complete: no user-facing string is left untranslated or fuzzy."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def entries(po: Path):
    """(msgid, [msgstr...], flags) per entry of a .po file, header excluded."""
    text = po.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        if block.lstrip().startswith("#~"):
            continue
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


# Every catalogue a person's text comes from: the generated ones, and the Papiamentu sources
# `make messages` merges into the generated one (Django's own messages, country names).
CATALOGUES = ["nl/LC_MESSAGES/django.po", "pap/LC_MESSAGES/django.po",
              "pap/django_builtin.po", "pap/countries.po"]


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_string_is_translated(catalogue):
    missing = [msgid for msgid, strings, _ in entries(LOCALE / catalogue) if not all(strings)]
    assert missing == []


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_no_translation_is_left_fuzzy(catalogue):
    assert [msgid for msgid, _, flags in entries(LOCALE / catalogue) if "fuzzy" in flags] == []


@pytest.mark.parametrize("language", ["nl", "pap"])
def test_the_compiled_catalogue_matches_its_source(language):
    """`make messages` compiles; a .po edited without compiling would show stale text."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, strings, _ in entries(folder / "django.po")
             if len(strings) == 1 and compiled.gettext(unescape(msgid)) != unescape(strings[0])]
    assert stale == []


def unescape(text: str) -> str:
    return ast.literal_eval(f'"{text}"')


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_placeholders_survive_translation(catalogue):
    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    wrong = [msgid for msgid, strings, _ in entries(LOCALE / catalogue)
             if any(sorted(placeholder.findall(s)) != sorted(placeholder.findall(msgid))
                    for s in strings[:1])]
    assert wrong == []


def country_msgids() -> dict[str, str]:
    """ISO code -> the English name django-countries translates (its newest name)."""
    from django_countries import countries

    names = {}
    for code, name in countries.countries.items():
        if isinstance(name, dict):
            name = name["names"][0] if "names" in name else name["name"]
        # A lazy name keeps its msgid in _args; a plain string (an override) is its own.
        names[code] = name._args[0] if hasattr(name, "_args") else str(name)
    return names


def test_every_country_has_a_papiamentu_name():
    """No source has Papiamentu country names: the project's catalogue must name them all,
    or the nationality list falls back to Dutch and English ones."""
    named = {unescape(msgid): unescape(strings[0])
             for msgid, strings, _ in entries(LOCALE / "pap" / "countries.po") if strings[0]}
    missing = sorted(code for code, msgid in country_msgids().items() if msgid not in named)
    assert missing == []


def test_the_papiamentu_country_list_shows_the_project_catalogue():
    """`make messages` merges countries.po into the compiled catalogue the pages use."""
    from django.utils import translation

    from signals.countries import country_choices

    named = {unescape(msgid): unescape(strings[0])
             for msgid, strings, _ in entries(LOCALE / "pap" / "countries.po")}
    msgids = country_msgids()
    with translation.override("pap"):
        shown = dict(country_choices())
    wrong = sorted(code for code, name in shown.items() if named.get(msgids[code]) != name)
    assert wrong == []


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Words that are the same in every language: codes, abbreviations, names of things.
NOT_TRANSLATED = {"PDF", "KPCN", "MoU", "DS", "MH", "CO", "P"}


def visible_text(source: str) -> list[str]:
    """Text a person would read that is not inside a translation tag or a variable."""
    source = re.sub(r"{%\s*blocktranslate.*?endblocktranslate\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>|&[a-z]+;|&#\d+;", " ", source)
    words = re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]+", source)
    return [w for w in words if w not in NOT_TRANSLATED]


@pytest.mark.parametrize("template", sorted(str(p.relative_to(TEMPLATES))
                                            for p in TEMPLATES.rglob("*.html")))
def test_no_user_facing_text_in_a_template_escapes_translation(template):
    assert visible_text((TEMPLATES / template).read_text()) == []


@pytest.mark.parametrize("template", sorted(str(p.relative_to(TEMPLATES))
                                            for p in TEMPLATES.rglob("*.html")))
def test_attributes_people_read_are_translated(template):
    source = (TEMPLATES / template).read_text()
    plain = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"{]*[A-Za-z][^"{]*)"',
                       source)
    assert plain == []


def test_the_template_check_finds_text_left_unmarked():
    assert visible_text('<p>Opslaan {% translate "Save" %} {{ value }}</p>') == ["Opslaan"]
    assert visible_text('{% blocktranslate %}Hello {{ x }}{% endblocktranslate %}') == []
