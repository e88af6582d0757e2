"""The labels and links of long lists, looked up once per process, say exactly what
get_FOO_display and {% url %} say, in every language."""

import pytest
from django.apps import apps
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from register.templatetags.labels import choice_label, url_of

CHOICE_FIELDS = [(model, field.name) for model in apps.get_models()
                 if model._meta.app_label in ("register", "signals")
                 for field in model._meta.concrete_fields if field.choices]


@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_every_choice_label_is_the_one_get_display_gives(language):
    assert len(CHOICE_FIELDS) > 10
    with translation.override(language):
        for model, name in CHOICE_FIELDS:
            field = model._meta.get_field(name)
            for value, _text in [*field.flatchoices, ("not-a-choice", ""), ("", "")]:
                instance = model(**{field.attname: value})
                expected = getattr(instance, f"get_{name}_display")()
                assert choice_label(instance, name) == expected, (model, name, value)


def test_a_label_follows_the_language_of_the_request():
    from signals.models import Signal

    signal = Signal(island="st_eustatius", status="received")
    template = Template('{{ signal|label:"status" }}')
    with translation.override("en"):
        english = template.render(Context({"signal": signal}))
    with translation.override("nl"):
        dutch = template.render(Context({"signal": signal}))
    assert english == "Received" and dutch != english


@pytest.mark.parametrize("name, key", [("signals:detail", "MH-2026-000123"),
                                       ("casework:dossier", "D-2026-0001"),
                                       ("signals:detail", "a b?c&d#é")])
def test_a_row_link_is_the_one_reverse_gives(name, key):
    assert url_of(key, name) == reverse(name, args=[key])
