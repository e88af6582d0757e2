"""Searching the register, and saved searches. Every form is posted, so search terms never
appear in a URL."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.dossier_forms import AnalystsForm
from casework.saved_searches import (
    saved_search_create,
    saved_search_delete,
    saved_search_share,
    saved_searches_for,
)
from casework.search import run_search
from casework.triage_forms import SavedSearchForm, SearchForm
from register.access import analyst_only
from register.services.audit import audit_record
from register.ui import add_service_errors


def _ids_shown(results: dict) -> list[str]:
    """Every record the page shows, by id: a document by the mentions that hold it, a place
    by its network node (a signal there), never by its number or name."""
    return ([f"{obj._meta.label_lower}:{obj.pk}" for name in ("persons", "signals", "dossiers")
             for obj in results[name]]
            + [record["audit_id"] for record in results["records"]]
            + [ref for document in results["documents"] for ref in document["audit_ids"]]
            + [place["audit_id"] for place in results["places"]])


def _page(request, form, results=None, save_form=None, saved_search=None):
    if results is not None:
        detail = {"saved_search": saved_search.pk} if saved_search else {}
        audit_record(actor=request.user, action="register.search.performed",
                     result_ids=_ids_shown(results), detail=detail)
    saved = list(saved_searches_for(request.user).prefetch_related("shared_with"))
    for search in saved:
        search.share_form = AnalystsForm(prefix=f"share-{search.pk}", initial={
            "analysts": [user.pk for user in search.shared_with.all()]})
    return render(request, "casework/search.html", {
        "form": form, "results": results, "saved": saved,
        "saved_search": saved_search,
        "save_form": save_form or (SavedSearchForm(initial={"query": form.cleaned_data[
            "query"]}) if results is not None and form.is_bound and form.is_valid()
            else None)})


@analyst_only
def search(request):
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = run_search(request.user, form.cleaned_data["query"])
    return _page(request, form, results)


def _saved(request, search_id: int):
    found = saved_searches_for(request.user).filter(pk=search_id).first()
    if found is None:
        raise Http404
    return found


@analyst_only
@require_POST
def saved_search_run(request, search_id: int):
    """Run a saved search again, with the runner's own need to know."""
    saved = _saved(request, search_id)
    results = run_search(request.user, saved.query)
    if saved.owner_id != request.user.pk:
        # A colleague it is shared with runs it without reading its words: they may be a
        # name she knows nothing of.
        return _page(request, SearchForm(), results, saved_search=saved)
    form = SearchForm({"query": saved.query})
    form.is_valid()
    return _page(request, form, results, saved_search=saved)


@analyst_only
@require_POST
def saved_search_save(request):
    save_form = SavedSearchForm(request.POST)
    if save_form.is_valid():
        try:
            saved_search_create(actor=request.user, **save_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(save_form, error)
        else:
            messages.success(request, _("The search was saved."))
            return redirect("casework:search")
    return _page(request, SearchForm(), save_form=save_form)


@analyst_only
@require_POST
def saved_search_share_view(request, search_id: int):
    saved = _saved(request, search_id)
    form = AnalystsForm(request.POST, prefix=f"share-{saved.pk}")
    if form.is_valid():
        try:
            saved_search_share(actor=request.user, search=saved,
                               analysts=form.cleaned_data["analysts"])
            messages.success(request, _("Who may run this search was saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    return redirect("casework:search")


@analyst_only
@require_POST
def saved_search_delete_view(request, search_id: int):
    saved_search_delete(actor=request.user, search=_saved(request, search_id))
    messages.success(request, _("The saved search was removed."))
    return redirect("casework:search")
