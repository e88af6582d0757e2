"""Need to know at its edges: one grant opens one dossier, the role guard of the selectors,
persons known only from a role, merged-away records and the hidden-mention filter.

Each test here stands against a change to `register/selectors/dossiers.py` that the rest of
the suite let pass (issue 14).
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from casework.dossiers import dossier_merge, dossier_open, dossier_person_update, dossier_restrict
from casework.need_to_know import (
    dossiers_visible_to,
    hidden_mentions,
    persons_visible_to,
    sees_persons,
)
from casework.persons import person_merge
from casework.triage import mention_link, triage_take_in
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

AMARILIS = {"role": "victim", "given_names": "Amarilis", "family_name": "Kockx"}
BEREND = {"role": "suspect", "given_names": "Berend", "family_name": "Zuidema"}


def restricted_dossier(analyst, person: dict, title: str):
    """A dossier opened by `analyst` from one new signal naming `person`, restricted to them."""
    signal = file_signal(persona("reporter_kmar"), persons=[person])
    dossier = dossier_open(actor=analyst, signals=[signal], title=title)
    dossier_restrict(actor=analyst, dossier=dossier, analysts=[analyst])
    signal = Signal.objects.get(pk=signal.pk)
    return dossier, signal, signal.persons.get().person


@pytest.fixture
def two_grants(db):
    """Dossier A granted to KPCN's analyst only, dossier B to OM's analyst only."""
    a = restricted_dossier(persona("analyst_kpcn"), AMARILIS, "Operation Alpha")
    b = restricted_dossier(persona("analyst_om"), BEREND, "Operation Bravo")
    return {"analyst_kpcn": a, "analyst_om": b}


def what_an_analyst_reaches(name, dossier, signal, person, as_user, api_as) -> dict:
    """Every door to one dossier, its signal and its person, as seen by persona `name`."""
    page = as_user(name)
    api = api_as(name)
    listed = page.get(reverse("casework:dossiers")).context["page"]
    by_number = page.post(reverse("casework:search"), {"query": dossier.number})
    by_title = page.post(reverse("casework:search"), {"query": dossier.title})
    by_name = page.post(reverse("casework:search"), {"query": person.family_name})
    api_dossiers = api.get(reverse("dossier-list")).json()["results"]
    api_persons = api.get(reverse("person-list"), {"page_size": 200}).json()["results"]
    return {
        "dossier page": page.get(reverse("casework:dossier", args=[dossier.number])).status_code,
        "signal page": page.get(reverse("signals:detail", args=[signal.reference])).status_code,
        "person page": page.get(reverse("casework:person", args=[person.pk])).status_code,
        "API dossier": api.get(reverse("dossier-detail", args=[dossier.number])).status_code,
        "API person": api.get(reverse("person-detail", args=[person.pk])).status_code,
        "dossier list": dossier.pk in {d.pk for d in listed},
        "API dossier list": dossier.number in {d["number"] for d in api_dossiers},
        "API person list": person.pk in {p["id"] for p in api_persons},
        "search by number": dossier in by_number.context["results"]["dossiers"],
        "search by title": dossier in by_title.context["results"]["dossiers"],
        "search finds the person": person in by_name.context["results"]["persons"],
        "search finds the signal": signal in by_name.context["results"]["signals"],
    }


SEEN = {"dossier page": 200, "signal page": 200, "person page": 200, "API dossier": 200,
        "API person": 200, "dossier list": True, "API dossier list": True,
        "API person list": True, "search by number": True, "search by title": True,
        "search finds the person": True, "search finds the signal": True}
NOT_SEEN = {door: False if seen is True else 404 for door, seen in SEEN.items()}


@pytest.mark.parametrize(("analyst", "other"), [("analyst_kpcn", "analyst_om"),
                                                ("analyst_om", "analyst_kpcn")])
def test_one_grant_opens_only_its_own_dossier(two_grants, analyst, other, as_user, api_as):
    own, others = two_grants[analyst], two_grants[other]
    assert what_an_analyst_reaches(analyst, *own, as_user, api_as) == SEEN
    assert what_an_analyst_reaches(analyst, *others, as_user, api_as) == NOT_SEEN


def test_a_grant_on_one_dossier_does_not_reach_a_second_restricted_to_a_colleague(two_grants):
    """The grant is looked up for this dossier, not for any dossier the user holds one on."""
    kpcn = persona("analyst_kpcn")
    third, _, hidden_person = restricted_dossier(persona("analyst_om"), {
        "role": "witness", "given_names": "Cas", "family_name": "Derix"}, "Operation Charlie")
    assert set(dossiers_visible_to(kpcn).filter(restricted=True)) == {
        two_grants["analyst_kpcn"][0]}
    assert third not in dossiers_visible_to(kpcn)
    assert hidden_person not in persons_visible_to(kpcn)


@pytest.fixture
def open_dossier(db):
    """An open (unrestricted) dossier with a signal and a person, which any analyst sees."""
    signal = file_signal(persona("reporter_kmar"), persons=[AMARILIS])
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Open case")
    return dossier, Signal.objects.get(pk=signal.pk).persons.get().person


def inactive_analyst():
    user = persona("analyst_kpcn_colleague")
    user.is_active = False
    return user


OUTSIDERS = {
    "a reporter": lambda: persona("reporter_kmar"),
    "a reporter of another partner": lambda: persona("reporter_szw"),
    "the coordinator": lambda: persona("coordinator"),
    "the register manager": lambda: persona("manager"),
    "the auditor": lambda: persona("auditor"),
    "an inactive analyst": inactive_analyst,
    "an anonymous user": AnonymousUser,
}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_selectors_give_nothing_to_anyone_but_an_active_analyst(open_dossier, who):
    dossier, person = open_dossier
    analyst = persona("analyst_om")
    assert dossier in dossiers_visible_to(analyst) and person in persons_visible_to(analyst)
    user = OUTSIDERS[who]()
    assert list(dossiers_visible_to(user)) == []
    assert list(persons_visible_to(user)) == []


def move_the_mentions_on(analyst, person):
    """Link every mention of `person` to a new register person, so `person` is known only
    from their role in a dossier."""
    other = file_signal(persona("reporter_szw"), persons=[{"role": "victim",
                                                           "family_name": "Elsewhere"}])
    triage_take_in(actor=analyst, signal=other)
    elsewhere = Signal.objects.get(pk=other.pk).persons.get().person
    for mention in person.mentions.all():
        mention_link(actor=analyst, mention=mention, person=elsewhere)
    assert not person.mentions.exists()


def test_a_person_known_only_from_a_role_in_an_open_dossier_stays_visible(open_dossier):
    """Only a role in a hidden dossier hides such a person: not a role in an open one, and
    not somebody else's role in a restricted dossier."""
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    dossier, person = open_dossier
    dossier_person_update(actor=kpcn, role=dossier.persons.get(person=person),
                          values={"identified_on": dt.date(2026, 1, 5)})
    move_the_mentions_on(kpcn, person)
    _, _, somebody_else = restricted_dossier(kpcn, BEREND, "Operation Delta")
    assert dossier.persons.filter(person=person).exists()
    assert person in persons_visible_to(om)
    assert person in persons_visible_to(kpcn)
    assert somebody_else not in persons_visible_to(om)


def test_a_person_known_only_from_a_role_in_a_hidden_dossier_is_hidden_only_from_others(db):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    dossier, _, person = restricted_dossier(kpcn, AMARILIS, "Operation Echo")
    dossier_person_update(actor=kpcn, role=dossier.persons.get(person=person),
                          values={"identified_on": dt.date(2026, 1, 5)})
    move_the_mentions_on(kpcn, person)
    assert dossier.persons.filter(person=person).exists()
    assert person not in persons_visible_to(om)
    assert person in persons_visible_to(kpcn)


def test_a_merged_away_person_is_no_longer_a_register_person(db):
    kpcn = persona("analyst_kpcn")
    one = file_signal(persona("reporter_kmar"), persons=[AMARILIS])
    two = file_signal(persona("reporter_szw"), persons=[AMARILIS])
    dossier_open(actor=kpcn, signals=[one, two], title="Two signals, one person")
    source, target = (Signal.objects.get(pk=s.pk).persons.get().person for s in (two, one))
    assert {source, target} <= set(persons_visible_to(kpcn))
    person_merge(actor=kpcn, source=source, target=target)
    assert source not in persons_visible_to(kpcn)
    assert target in persons_visible_to(kpcn)
    assert as_analyst_page_status(kpcn, source) == 404


def as_analyst_page_status(user, person) -> int:
    from django.test import Client

    from tests.personas import verify_with_one_time_code

    client = Client()
    client.force_login(user)
    verify_with_one_time_code(client, user)
    return client.get(reverse("casework:person", args=[person.pk])).status_code


def test_a_merged_away_dossier_is_no_longer_listed(db):
    kpcn = persona("analyst_kpcn")
    source = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                          title="Source")
    target = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                          title="Target")
    dossier_merge(actor=kpcn, source=source, target=target)
    assert source not in dossiers_visible_to(kpcn)
    assert target in dossiers_visible_to(kpcn)


def test_hidden_mentions_names_only_those_of_the_given_mentions_that_are_hidden(db):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    _, secret_signal, _ = restricted_dossier(kpcn, AMARILIS, "Operation Foxtrot")
    _, other_secret, _ = restricted_dossier(kpcn, BEREND, "Operation Golf")
    public = file_signal(persona("reporter_szw"), persons=[AMARILIS])
    triage_take_in(actor=kpcn, signal=public)
    hidden = secret_signal.persons.get().pk
    also_hidden = other_secret.persons.get().pk
    shown = Signal.objects.get(pk=public.pk).persons.get().pk
    assert hidden_mentions(om, {hidden, shown}) == {hidden}
    assert hidden_mentions(om, {shown}) == set()
    assert hidden_mentions(om, set()) == set()
    assert hidden_mentions(kpcn, {hidden, also_hidden, shown}) == set()
    assert hidden_mentions(om, {hidden, also_hidden, shown}) == {hidden, also_hidden}


def test_a_grant_other_than_viewing_does_not_open_a_restricted_dossier(db):
    """Only the view grant counts: another permission on the dossier's row (change, delete)
    neither opens it nor names the holder among those it is restricted to."""
    from django.contrib.auth.models import Permission

    from casework.need_to_know import restricted_to
    from register.models import DossierUserObjectPermission

    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    dossier, signal, hidden_person = restricted_dossier(kpcn, AMARILIS, "Operation Hotel")
    for codename in ("change_dossier", "delete_dossier"):
        DossierUserObjectPermission.objects.create(
            user=om, content_object=dossier,
            permission=Permission.objects.get(codename=codename,
                                              content_type__app_label="register"))
    assert dossier not in dossiers_visible_to(om)
    assert hidden_person not in persons_visible_to(om)
    assert list(restricted_to(dossier)) == [kpcn]


def test_a_person_mentioned_only_in_a_hidden_dossier_is_hidden_even_without_a_role_there(db):
    """Today every mention in a dossier has its person's role there (dossier_sync_persons);
    the selector does not lean on that: a hidden mention alone hides the person."""
    from register.models import DossierPerson

    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    dossier, _, person = restricted_dossier(kpcn, AMARILIS, "Operation India")
    DossierPerson.objects.filter(dossier=dossier, person=person).delete()
    assert person not in persons_visible_to(om)
    assert person in persons_visible_to(kpcn)


def test_the_analysts_a_dossier_is_restricted_to_come_with_their_organisation_in_one_query(
        db, django_assert_num_queries):
    """The dossier page names each analyst with their organisation; one query, not one per
    analyst."""
    from casework.need_to_know import restricted_to

    kpcn = persona("analyst_kpcn")
    dossier, _, _ = restricted_dossier(kpcn, AMARILIS, "Operation Juliett")
    with django_assert_num_queries(1):
        named = [(analyst.username, analyst.organisation.code)
                 for analyst in restricted_to(dossier)]
    assert named == [(kpcn.username, kpcn.organisation.code)]


def test_the_mentions_matching_may_not_use_are_those_in_restricted_dossiers_not_granted(
        two_grants):
    """Matching writes its lookups out as SQL and asks need to know row by row there
    (`mention_hidden_sql`, issue 21); it must name exactly the mentions the ORM's
    `hidden_mentions` names, for every analyst and every kind of mention."""
    from django.db import connection

    from casework.need_to_know import hidden_dossiers_head, mention_hidden_sql
    from signals.models import SignalPerson

    open_signal = file_signal(persona("reporter_szw"), persons=[BEREND])
    dossier_open(actor=persona("analyst_kpcn"), signals=[open_signal], title="Open case")
    file_signal(persona("reporter_szw"), persons=[AMARILIS])  # in no dossier
    everyone = set(SignalPerson.objects.values_list("pk", flat=True))
    in_alpha = set(SignalPerson.objects.filter(
        signal__dossier=two_grants["analyst_kpcn"][0]).values_list("pk", flat=True))
    in_bravo = set(SignalPerson.objects.filter(
        signal__dossier=two_grants["analyst_om"][0]).values_list("pk", flat=True))

    def written_out(user):
        head, params = hidden_dossiers_head(user)
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {head} SELECT m.id FROM "  # noqa: S608
                           f"{SignalPerson._meta.db_table} m WHERE {mention_hidden_sql('m.id')}",
                           params)
            return {row[0] for row in cursor.fetchall()}

    assert written_out(persona("analyst_kpcn")) == in_bravo
    assert written_out(persona("analyst_om")) == in_alpha
    assert written_out(persona("analyst_kpcn_colleague")) == in_alpha | in_bravo
    for name in ("analyst_kpcn", "analyst_om", "analyst_kpcn_colleague"):
        assert written_out(persona(name)) == hidden_mentions(persona(name), everyone)


def test_only_active_analysts_see_register_persons_at_all(db):
    assert sees_persons(persona("analyst_kpcn"))
    for name in ("reporter_kmar", "coordinator", "manager", "auditor", "holder_kpcn"):
        assert not sees_persons(persona(name))
    assert not sees_persons(AnonymousUser())
    gone = persona("analyst_om")
    gone.is_active = False
    assert not sees_persons(gone)


def test_the_written_out_hidden_dossier_condition_agrees_with_the_nested_exists_it_replaced(db):
    """`through_hidden_dossier` is SQL written once (issue 21: the ORM rebuilt the nested
    EXISTS on every use). For every kind of row, asked directly, negated and from inside a
    subquery, it must pick exactly the rows the ORM's nested EXISTS picks."""
    from django.db.models import Exists, OuterRef

    from casework.need_to_know import through_hidden_dossier, through_visible_dossier
    from register.models import Dossier, DossierUserObjectPermission
    from signals.models import SignalPerson

    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    restricted_dossier(kpcn, AMARILIS, "Operation Juliett")  # granted to kpcn only
    restricted_dossier(om, BEREND, "Operation Kilo")  # granted to om only
    both, _, _ = restricted_dossier(kpcn, AMARILIS, "Operation Lima")
    dossier_restrict(actor=kpcn, dossier=both, analysts=[kpcn, om])
    open_signal = file_signal(persona("reporter_szw"), persons=[BEREND])
    dossier_open(actor=kpcn, signals=[open_signal], title="Open case")
    file_signal(persona("reporter_szw"), persons=[AMARILIS])  # in no dossier

    def nested_exists(user, path):
        granted = DossierUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename="view_dossier")
        return Exists(Dossier.objects.filter(pk=OuterRef(path), restricted=True)
                      .exclude(Exists(granted)))

    def ids(queryset):
        return set(queryset.values_list("pk", flat=True))

    for user in (kpcn, om, persona("analyst_kpcn_colleague")):
        for written, reference in ((through_hidden_dossier(user, "dossier"),
                                    nested_exists(user, "dossier")),
                                   (through_visible_dossier(user, "dossier"),
                                    ~nested_exists(user, "dossier"))):
            assert ids(Signal.objects.filter(written)) == ids(Signal.objects.filter(reference))
        mentions = SignalPerson.objects.filter(signal__persons__isnull=False)
        written = mentions.filter(Exists(Signal.objects.filter(
            pk=OuterRef("signal"), dossier__isnull=False)
            .filter(through_hidden_dossier(user, "dossier"))))
        reference = mentions.filter(Exists(Signal.objects.filter(
            pk=OuterRef("signal"), dossier__isnull=False).filter(nested_exists(user, "dossier"))))
        assert ids(written) == ids(reference)
    hidden_from_om = ids(Signal.objects.filter(through_hidden_dossier(om, "dossier")))
    assert len(hidden_from_om) == 1  # Juliett only: Lima is granted to both, Kilo is om's own
