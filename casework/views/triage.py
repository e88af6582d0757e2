"""The analysts' inbox and the triage of one signal; the reporter's answer to a question."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import triage
from casework.border import earlier_at_the_border
from casework.bulk_forms import SignalBulkForm
from casework.dossier_forms import DossierOpenForm, NumberForm
from casework.dossiers import dossier_add_signals, dossier_open
from casework.matching import suggest_persons
from casework.need_to_know import dossiers_visible_to, persons_visible_to
from casework.person_facts import attach_visible_facts
from casework.related import related_signals, suggested_dossiers
from casework.selectors import visible_signal_or_404
from casework.triage_forms import (
    AnswerForm,
    AssignForm,
    CodingForm,
    DeclineForm,
    GradeForm,
    QuestionForm,
)
from casework.worklists import SignalWorklist, inbox_worklist
from register.access import analyst_only, role_required
from register.models import Role
from register.services.audit import audit_filters, audit_record
from register.ui import error_items, kept, list_query, page_of, sort_headers
from signals.models import Signal
from signals.vocab import OPEN_STATUSES

INBOX_COLUMNS = (("reference", _("Reference")), ("received", _("Waiting")),
                 ("organisation", _("From")), ("island", _("Island")), (None, _("Forms")),
                 ("status", _("Status")), ("taken_up", _("Taken up by")))


@analyst_only
def inbox(request):
    return inbox_page(request)


def inbox_page(request, bulk_form: SignalBulkForm | None = None):
    """The inbox as filtered by the query string; `bulk_form` is a refused bulk action, shown
    again with its errors next to the bar and the rows still ticked."""
    worklist, overdue = inbox_worklist(request)
    page = page_of(request, worklist.qs)
    audit_record(actor=request.user, action="signals.inbox.listed", object_type="signals.signal",
                 result_ids=[s.pk for s in page],
                 detail={"view": "overdue" if overdue else "open",
                         "filters": audit_filters(request.GET, SignalWorklist.base_filters)})
    bulk_form = bulk_form or SignalBulkForm()
    return render(request, "casework/inbox.html", {
        "page": page, "overdue": overdue, "now": timezone.now(), "worklist": worklist,
        "columns": sort_headers(request, INBOX_COLUMNS), "query": list_query(request),
        "keep": kept(request, "view", "per_page", "ordering"), "bulk_form": bulk_form,
        "ticked": set(bulk_form.chosen()), "error_items": error_items(bulk_form)})


def triage_page(request, signal: Signal, forms: dict | None = None):
    """The analyst's view of a signal: details, triage, persons, related signals, dossier.

    Only a read (audited): looking at a signal never changes it. Triage starts when an analyst
    takes it up, so a crawl or a curious click leaves the signal waiting where it was.
    """
    user = request.user
    mentions = list(signal.persons.select_related("person"))
    attach_visible_facts(user, [m.person for m in mentions])
    # "Show weaker matches" for one mention: the persons the register was not sure of.
    weaker = request.GET.get("weaker", "")
    suggestions = {m.pk: suggest_persons(m, user=user, weaker=str(m.pk) == weaker)
                   for m in mentions if not m.person_id}
    related = related_signals(signal, user=user)
    # Linked persons and confident suggestions (what the page offers first) met before.
    candidates = [m.person for m in mentions if m.person_id] + [
        s.person for items in suggestions.values() for s in items if not s.weak]
    repeats = earlier_at_the_border(user, signal, candidates)
    forms = forms or {}
    context = {
        "signal": signal,
        "is_open": signal.status in OPEN_STATUSES,
        "mine": signal.taken_up_by_id == user.pk,
        "mentions": [(m, suggestions.get(m.pk, [])) for m in mentions],
        "weaker": weaker,
        "border_repeats": repeats,
        "related": related,
        "suggested_dossiers": suggested_dossiers(related, user=user),
        "grade_form": forms.get("grade") or GradeForm(initial={
            "source": signal.source_reliability, "information": signal.information_reliability}),
        "coding_form": forms.get("coding") or CodingForm(initial={
            "island": signal.island, "sector": signal.sector, "forms": signal.form_codes}),
        "question_form": forms.get("ask") or QuestionForm(),
        "assign_form": forms.get("assign") or AssignForm(
            initial={"analyst": signal.taken_up_by_id}),
        "decline_form": forms.get("decline") or DeclineForm(),
        "open_form": forms.get("open-dossier") or DossierOpenForm(),
        "add_form": forms.get("add-to-dossier") or NumberForm(),
        "error_items": error_items(*forms.values()),
    }
    shown = {m.person_id for m in mentions if m.person_id} | {
        s.person.pk for items in suggestions.values() for s in items}
    audit_record(actor=user, action="signals.signal.viewed", obj=signal,
                 result_ids=[f"register.person:{pk}" for pk in sorted(shown)]
                 + [f"signals.signal:{r.signal.pk}" for r in related]
                 + [f"signals.signal:{s.pk}" for _p, found in repeats for s in found])
    return render(request, "casework/triage.html", context)


# One small view per action: @require_POST, the form if there is one, one service call. A
# refusal by the service is shown as a message on the signal's page; an invalid form shows
# the page again with the errors next to the fields and what was typed kept.

def _run(request, signal, run, success):
    """Run a triage service; say what it did (`success` may word it from what `run` returned)
    or why it refused, and show the signal again."""
    try:
        result = run()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("signals:detail", reference=signal.reference)


def _posted(request, reference: str, key: str, form_class):
    """The signal and its posted form; `page` is the page to show again when it is invalid."""
    signal = visible_signal_or_404(request.user, reference)
    form = form_class(request.POST)
    page = None if form.is_valid() else triage_page(request, signal, {key: form})
    return signal, form, page


@analyst_only
@require_POST
def take_up(request, reference: str):
    signal = visible_signal_or_404(request.user, reference)
    # The holder the analyst's page showed ("" for nobody): if someone else took the signal up
    # since, she is told who, and the page then offers to take it over from that colleague.
    expected = request.POST.get("holder") or None

    def success(previous):
        if previous is None:
            return _("You have taken up this signal; it is now in triage.")
        return _("You have taken this signal over from %(name)s.") % {
            "name": previous.display_name}
    return _run(request, signal, lambda: triage.triage_take_up(
        actor=request.user, signal=signal, expected_holder=expected), success)


@analyst_only
@require_POST
def assign(request, reference: str):
    signal, form, page = _posted(request, reference, "assign", AssignForm)
    if page:
        return page
    analyst = form.cleaned_data["analyst"]
    return _run(request, signal, lambda: triage.triage_assign(
        actor=request.user, signal=signal, analyst=analyst),
        _("%(name)s now holds this signal.") % {"name": analyst.display_name})


@analyst_only
@require_POST
def take_in(request, reference: str):
    signal = visible_signal_or_404(request.user, reference)
    return _run(request, signal, lambda: triage.triage_take_in(actor=request.user, signal=signal),
                _("The signal is in the register."))


@analyst_only
@require_POST
def grade(request, reference: str):
    signal, form, page = _posted(request, reference, "grade", GradeForm)
    if page:
        return page
    data = form.cleaned_data
    return _run(request, signal, lambda: triage.triage_grade(
        actor=request.user, signal=signal, source=data["source"],
        information=data["information"]), _("Saved."))


@analyst_only
@require_POST
def coding(request, reference: str):
    signal, form, page = _posted(request, reference, "coding", CodingForm)
    if page:
        return page
    data = form.cleaned_data
    return _run(request, signal, lambda: triage.triage_correct_coding(
        actor=request.user, signal=signal, island=data["island"], sector=data["sector"],
        forms=data["forms"]), _("Saved."))


@analyst_only
@require_POST
def ask(request, reference: str):
    signal, form, page = _posted(request, reference, "ask", QuestionForm)
    if page:
        return page
    return _run(request, signal, lambda: triage.triage_ask(
        actor=request.user, signal=signal, question=form.cleaned_data["question"]),
        _("Your question was sent to the reporter."))


@analyst_only
@require_POST
def decline(request, reference: str):
    signal, form, page = _posted(request, reference, "decline", DeclineForm)
    if page:
        return page
    return _run(request, signal, lambda: triage.triage_decline(
        actor=request.user, signal=signal, reason=form.cleaned_data["reason"],
        reason_for_reporter=form.cleaned_data["reason_for_reporter"]),
        _("The signal is marked as not taken up."))


@analyst_only
@require_POST
def open_dossier(request, reference: str):
    signal, form, page = _posted(request, reference, "open-dossier", DossierOpenForm)
    if page:
        return page
    try:
        dossier = dossier_open(actor=request.user, signals=[signal],
                               title=form.cleaned_data["title"],
                               priority=form.cleaned_data["priority"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("signals:detail", reference=signal.reference)
    messages.success(request, _("Dossier %(number)s was opened with this signal.")
                     % {"number": dossier.number})
    return redirect("casework:dossier", number=dossier.number)


@analyst_only
@require_POST
def add_to_dossier(request, reference: str):
    signal, form, page = _posted(request, reference, "add-to-dossier", NumberForm)
    if page:
        return page
    dossier = dossiers_visible_to(request.user).filter(number=form.cleaned_data["number"]).first()
    if dossier is None:
        form.add_error("number", _("No dossier with this number that you may see."))
        return triage_page(request, signal, {"add-to-dossier": form})
    return _run(request, signal, lambda: dossier_add_signals(
        actor=request.user, dossier=dossier, signals=[signal]),
        _("%(reference)s was added to dossier %(number)s.")
        % {"reference": signal.reference, "number": dossier.number})


def _mention_and_person(request, reference: str, mention_id: int):
    signal = visible_signal_or_404(request.user, reference)
    mention = get_object_or_404(signal.persons, pk=mention_id)
    person_id = request.POST.get("person", "")
    if not person_id.isdigit():
        raise Http404
    person = get_object_or_404(persons_visible_to(request.user), pk=int(person_id))
    return signal, mention, person


@analyst_only
@require_POST
def mention_link(request, reference: str, mention_id: int):
    signal, mention, person = _mention_and_person(request, reference, mention_id)
    triage.mention_link(actor=request.user, mention=mention, person=person)
    messages.success(request, _("The mention is linked to %(person)s.")
                     % {"person": person.audit_ref})
    return redirect("signals:detail", reference=signal.reference)


@analyst_only
@require_POST
def mention_reject(request, reference: str, mention_id: int):
    signal, mention, person = _mention_and_person(request, reference, mention_id)
    triage.mention_reject(actor=request.user, mention=mention, person=person)
    messages.success(request, _("This suggestion will not be made again."))
    return redirect("signals:detail", reference=signal.reference)


@role_required(Role.REPORTER, Role.ANALYST)
@require_POST
def answer_question(request, reference: str, question_id: int):
    signal = visible_signal_or_404(request.user, reference)
    if signal.submitted_by_id != request.user.pk:
        raise Http404
    question = get_object_or_404(signal.questions, pk=question_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            triage.question_answer(actor=request.user, question=question,
                                   answer=form.cleaned_data["answer"])
            messages.success(request, _("Thank you. Your answer was added to the signal."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Write your answer before sending it."))
    return redirect("signals:detail", reference=signal.reference)
