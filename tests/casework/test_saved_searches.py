"""An analyst saves a search, runs it again later, and shares it with a colleague, who sees
only what need to know lets her see; the words of a search never stand in a URL or the audit
trail."""

from django.urls import reverse

from casework.dossiers import dossier_open, dossier_restrict
from casework.models import SavedSearch
from casework.triage import triage_take_in
from register.models import AuditEvent
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

BOSS = {"role": "suspect", "given_names": "Rico", "family_name": "Boss"}


def save(client, name="Boss", query="Rico Boss"):
    return client.post(reverse("casework:saved_search_save"), {"name": name, "query": query})


def run(client, saved):
    return client.post(reverse("casework:saved_search_run", args=[saved.pk]))


def test_a_search_is_saved_and_run_again_with_the_same_results(db, as_user):
    signal = file_signal(persona("reporter_kmar"), persons=[BOSS])
    client = as_user("analyst_kpcn")
    first = client.post(reverse("casework:search"), {"query": "Rico Boss"})
    assert first.context["save_form"].initial["query"] == "Rico Boss"
    response = save(client)
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.name, saved.query) == (persona("analyst_kpcn"), "Boss",
                                                      "Rico Boss")
    again = run(client, saved)
    assert [s.reference for s in again.context["results"]["signals"]] == [signal.reference]
    event = AuditEvent.objects.filter(action="register.search.performed").latest("pk")
    assert event.detail == {"saved_search": saved.pk}
    assert "Rico" not in str(AuditEvent.objects.filter(action="register.search.saved")
                             .values_list("detail", "result_ids", "object_ref"))
    assert "Rico" not in reverse("casework:saved_search_run", args=[saved.pk])


def test_a_shared_search_shows_the_colleague_only_what_she_may_see(db, as_user):
    kpcn = persona("analyst_kpcn")
    secret = file_signal(persona("reporter_kmar"), persons=[BOSS])
    triage_take_in(actor=kpcn, signal=secret)
    hidden = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=secret.pk)], title="S")
    dossier_restrict(actor=kpcn, dossier=hidden, analysts=[kpcn])
    public = file_signal(persona("reporter_szw"), persons=[BOSS])
    owner = as_user("analyst_kpcn")
    save(owner)
    saved = SavedSearch.objects.get()
    owner.post(reverse("casework:saved_search_share", args=[saved.pk]),
               {f"share-{saved.pk}-analysts": [persona("analyst_om").pk]})
    assert list(saved.shared_with.all()) == [persona("analyst_om")]

    colleague = as_user("analyst_om")
    ran = run(colleague, saved)
    found = ran.context["results"]["signals"]
    assert [s.reference for s in found] == [public.reference]
    # She runs it without reading its words: the search box stays empty, nothing to save.
    assert not ran.context["form"].is_bound and ran.context["save_form"] is None
    assert 'value="Rico Boss"' not in ran.content.decode()
    assert {s.reference for s in run(owner, saved).context["results"]["signals"]} == {
        public.reference, secret.reference}


def test_only_the_owner_shares_or_removes_and_others_do_not_see_it(db, as_user):
    owner = as_user("analyst_kpcn")
    save(owner)
    saved = SavedSearch.objects.get()
    stranger = as_user("analyst_om")
    assert run(stranger, saved).status_code == 404
    assert stranger.post(reverse("casework:saved_search_remove",
                                 args=[saved.pk])).status_code == 404
    saved.shared_with.add(persona("analyst_om"))
    assert stranger.post(reverse("casework:saved_search_remove",
                                 args=[saved.pk])).status_code == 403
    assert owner.post(reverse("casework:saved_search_remove",
                              args=[saved.pk])).status_code == 302
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(action="register.search.removed").exists()


def test_a_search_without_a_name_is_not_saved_and_says_why(db, as_user):
    response = save(as_user("analyst_kpcn"), name="")
    assert response.status_code == 200
    assert "name" in response.context["save_form"].errors
    assert not SavedSearch.objects.exists()
