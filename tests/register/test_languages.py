from django.core.management import call_command
from django.urls import reverse


def test_dutch_is_the_default_language(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="nl">' in page
    assert "Inloggen" in page


def test_the_chosen_language_is_remembered(client, db):
    response = client.post(reverse("set_language"), {"language": "pap", "next": "/"})
    assert response.cookies["django_language"].value == "pap"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="pap">' in page
    assert "Drenta" in page


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_the_signal_form_is_translated_into_papiamentu(as_user):
    page = as_user("reporter_kmar", language="pap").get(reverse("signals:new")).content.decode()
    assert "Date of the signal" not in page
    assert "Add a person" not in page


def test_the_openapi_schema_is_valid(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_dates_and_numbers_follow_the_language():
    import datetime as dt

    from django.utils import formats, translation

    day = dt.date(2026, 3, 7)
    with translation.override("nl"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "7-3-2026"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1.234,5"
    with translation.override("en"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "7 Mar 2026"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1,234.5"
    with translation.override("pap"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "7-3-2026"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1.234,5"


def test_papiamentu_has_its_own_month_names_and_time_spans():
    import datetime as dt

    from django.utils import formats, translation
    from django.utils.timesince import timesince

    with translation.override("pap"):
        assert formats.date_format(dt.date(2026, 3, 7)) == "7 mart 2026"
        assert timesince(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 4)) == "3\xa0dia"
