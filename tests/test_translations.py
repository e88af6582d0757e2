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


@pytest.mark.parametrize("language", ["nl", "pap"])
def test_every_string_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    missing = [msgid for msgid, strings, _ in entries(po) if not all(strings)]
    assert missing == []


@pytest.mark.parametrize("language", ["nl", "pap"])
def test_no_translation_is_left_fuzzy(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert [msgid for msgid, _, flags in entries(po) if "fuzzy" in flags] == []


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


@pytest.mark.parametrize("language", ["nl", "pap"])
def test_placeholders_survive_translation(language):
    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    wrong = [msgid for msgid, strings, _ in entries(po)
             if any(sorted(placeholder.findall(s)) != sorted(placeholder.findall(msgid))
                    for s in strings[:1])]
    assert wrong == []
