"""Searching the register. The form is posted, so search terms never appear in a URL."""

from django.shortcuts import render

from casework.search import run_search
from casework.triage_forms import SearchForm
from register.access import role_required
from register.models import Role
from register.services.audit import audit_record


@role_required(Role.ANALYST)
def search(request):
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = run_search(request.user, form.cleaned_data["query"])
        audit_record(actor=request.user, action="register.search.performed",
                     result_ids=[f"{obj._meta.label_lower}:{obj.pk}"
                                 for rows in results.values() for obj in rows])
    return render(request, "casework/search.html", {"form": form, "results": results})
