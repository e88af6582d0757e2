"""One code per meaning: two codes that read the same are two bars for one thing in a figure."""

import importlib

import pytest
from django.db import models
from django.utils import translation

from casework.triage import triage_correct_coding
from controls.models import Control
from signals.models import Signal
from signals.vocab import Sector
from tests.controls.test_controls import plan
from tests.personas import persona
from tests.signals.builders import file_signal
from tests.signals.form_walk import APPS, choice_fields, import_app_modules

LANGUAGES = ("nl", "en", "pap")


def vocabularies() -> list[type[models.Choices]]:
    import_app_modules()

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    found = {cls for cls in below(models.Choices) if cls.__module__.split(".")[0] in APPS}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def same_label_twice(choices) -> dict[str, list]:
    codes_by_label: dict[str, list] = {}
    for code, label in choices:
        if isinstance(label, list | tuple):  # an option group
            continue
        codes_by_label.setdefault(" ".join(str(label).casefold().split()), []).append(code)
    return {label: codes for label, codes in codes_by_label.items() if len(codes) > 1}


def test_the_vocabularies_are_found():
    names = {cls.__qualname__ for cls in vocabularies()}
    assert {"Sector", "Sex", "ExploitationForm", "Island"} <= names


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_codes_of_a_vocabulary_share_a_label(language):
    with translation.override(language):
        doubles = {f"{cls.__module__}.{cls.__qualname__}": same_label_twice(cls.choices)
                   for cls in vocabularies()}
    assert {name: found for name, found in doubles.items() if found} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_choice_on_a_form_or_serializer_reads_the_same_as_another(language):
    """A blank option next to the vocabulary's "unknown" is the same meaning twice."""
    with translation.override(language):
        doubles = {where: same_label_twice(field_choices)
                   for where, field_choices in (
                       (where, list(field.choices)) for where, field in choice_fields()
                       if not hasattr(field, "queryset"))}
    assert {where: found for where, found in doubles.items() if found} == {}


def run_migration(app: str, name: str, function: str = "merge_blank_sector") -> None:
    """The data migration's own function, on the real tables (the models have not changed
    shape since)."""
    from django.apps import apps

    getattr(importlib.import_module(f"{app}.migrations.{name}"), function)(apps, None)


def test_a_signal_filed_with_a_blank_sector_ends_up_under_unknown(db):
    reporter, analyst = persona("reporter_kmar"), persona("analyst_kpcn")
    blank = file_signal(reporter)
    corrected = file_signal(reporter, sector="construction")
    triage_correct_coding(actor=analyst, signal=corrected, island="saba", sector="retail",
                          forms=["labour_exploitation"])
    kept = file_signal(reporter, sector="retail")
    # As they were filed before: a blank sector, and a reporter's blank in the history.
    Signal.objects.filter(pk=blank.pk).update(sector="")
    Signal.objects.filter(pk=corrected.pk).update(original_coding={
        "island": "bonaire", "sector": "", "forms": ["labour_exploitation"]})

    run_migration("signals", "0005_one_code_for_unknown_sector")

    assert Signal.objects.get(pk=blank.pk).sector == Sector.UNKNOWN
    corrected.refresh_from_db()
    assert (corrected.sector, corrected.original_coding) == ("retail", {
        "island": "bonaire", "sector": Sector.UNKNOWN, "forms": ["labour_exploitation"]})
    assert Signal.objects.get(pk=kept.pk).sector == "retail"


def test_a_control_planned_with_a_blank_sector_ends_up_under_unknown(db):
    control = plan()
    other = plan()
    Control.objects.filter(pk=control.pk).update(sector="")

    run_migration("controls", "0004_one_code_for_unknown_sector")

    assert Control.objects.get(pk=control.pk).sector == Sector.UNKNOWN
    assert Control.objects.get(pk=other.pk).sector == "construction"


def test_a_signal_filed_without_a_sector_is_filed_under_unknown(db):
    """The web form, the API and the service all end on the one code."""
    assert file_signal(persona("reporter_kmar")).sector == Sector.UNKNOWN
    assert file_signal(persona("reporter_kmar"), sector="").sector == Sector.UNKNOWN


def test_signals_not_known_by_sector_are_one_bar_on_the_dashboard(as_user, api_as):
    """Left on the web form's "not known" and sent as "unknown" by a partner system."""
    from django.urls import reverse
    from django.utils import timezone

    from reporting.figures import Period, signal_figures
    from tests.signals.builders import api_payload, form_data

    client = as_user("reporter_kmar")
    page = client.get(reverse("signals:new")).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    web = client.post(reverse("signals:new"), form_data(token, sector=""))
    assert web.status_code == 302, web.content.decode()[:2000]
    api = api_as("reporter_szw").post(reverse("signal-list"), api_payload(sector="unknown"),
                                      format="json")
    assert api.status_code == 201, api.content

    figures = signal_figures(Period.year(timezone.localdate().year))
    assert dict(figures.by_sector) == {Sector.UNKNOWN: 2}
