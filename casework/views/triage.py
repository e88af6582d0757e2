"""The analysts' inbox and the triage of one signal; the reporter's answer to a question."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import triage
from casework.dossier_forms import DossierOpenForm, NumberForm
from casework.dossiers import dossier_add_signals, dossier_open
from casework.matching import suggest_persons
from casework.need_to_know import dossiers_visible_to, persons_visible_to
from casework.person_facts import attach_visible_facts
from casework.related import related_signals, suggested_dossiers
from casework.selectors import inbox_for, visible_signal_or_404, without_follow_up
from casework.triage_forms import AnswerForm, CodingForm, DeclineForm, GradeForm, QuestionForm
from register.access import analyst_only, role_required
from register.models import Role
from register.services.audit import audit_record
from register.ui import error_items, page_of
from signals.models import Signal
from signals.vocab import OPEN_STATUSES


@analyst_only
def inbox(request):
    overdue = request.GET.get("view") == "overdue"
    signals = without_follow_up(request.user) if overdue else inbox_for(request.user)
    signals = signals.select_related("taken_up_by")  # who works on each, in the same query
    page = page_of(request, signals)
    audit_record(actor=request.user, action="signals.inbox.listed", object_type="signals.signal",
                 result_ids=[s.pk for s in page], detail={"view": "overdue" if overdue else
                                                          "open"})
    return render(request, "signals/inbox.html", {
        "page": page, "overdue": overdue, "now": timezone.now(),
        "query": "view=overdue" if overdue else ""})


def triage_page(request, signal: Signal, forms: dict | None = None):
    """The analyst's view of a signal: details, triage, persons, related signals, dossier.

    Only a read (audited): looking at a signal never changes it. Triage starts when an analyst
    takes it up, so a crawl or a curious click leaves the signal waiting where it was.
    """
    user = request.user
    mentions = list(signal.persons.select_related("person"))
    attach_visible_facts(user, [m.person for m in mentions])
    suggestions = {m.pk: suggest_persons(m, user=user) for m in mentions if not m.person_id}
    related = related_signals(signal, user=user)
    forms = forms or {}
    context = {
        "signal": signal,
        "is_open": signal.status in OPEN_STATUSES,
        "mine": signal.taken_up_by_id == user.pk,
        "mentions": [(m, suggestions.get(m.pk, [])) for m in mentions],
        "related": related,
        "suggested_dossiers": suggested_dossiers(related, user=user),
        "grade_form": forms.get("grade") or GradeForm(initial={
            "source": signal.source_reliability, "information": signal.information_reliability}),
        "coding_form": forms.get("coding") or CodingForm(initial={
            "island": signal.island, "sector": signal.sector, "forms": signal.form_codes}),
        "question_form": forms.get("ask") or QuestionForm(),
        "decline_form": forms.get("decline") or DeclineForm(),
        "open_form": forms.get("open-dossier") or DossierOpenForm(),
        "add_form": forms.get("add-to-dossier") or NumberForm(),
        "error_items": error_items(*forms.values()),
    }
    shown = {m.person_id for m in mentions if m.person_id} | {
        s.person.pk for items in suggestions.values() for s in items}
    audit_record(actor=user, action="signals.signal.viewed", obj=signal,
                 result_ids=[f"register.person:{pk}" for pk in sorted(shown)]
                 + [f"signals.signal:{r.signal.pk}" for r in related])
    return render(request, "signals/triage.html", context)


ACTIONS = {
    "grade": GradeForm, "coding": CodingForm, "ask": QuestionForm, "decline": DeclineForm,
    "open-dossier": DossierOpenForm, "add-to-dossier": NumberForm,
}


@analyst_only
@require_POST
def triage_action(request, reference: str, action: str):
    signal = visible_signal_or_404(request.user, reference)
    if action == "take-up":
        return _take_up(request, signal)
    if action == "take-in":
        return _run(request, signal, lambda: triage.triage_take_in(actor=request.user,
                                                                  signal=signal),
                    _("The signal is in the register."))
    form_class = ACTIONS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        return triage_page(request, signal, {action: form})
    data = form.cleaned_data
    user = request.user
    if action == "grade":
        def run():
            triage.triage_grade(actor=user, signal=signal, source=data["source"],
                                information=data["information"])
    elif action == "coding":
        def run():
            triage.triage_correct_coding(actor=user, signal=signal, island=data["island"],
                                         sector=data["sector"], forms=data["forms"])
    elif action == "ask":
        def run():
            triage.triage_ask(actor=user, signal=signal, question=data["question"])
        return _run(request, signal, run, _("Your question was sent to the reporter."))
    elif action == "decline":
        def run():
            triage.triage_decline(actor=user, signal=signal, reason=data["reason"])
        return _run(request, signal, run, _("The signal is marked as not taken up."))
    elif action == "open-dossier":
        try:
            dossier = dossier_open(actor=user, signals=[signal], title=data["title"],
                                   priority=data["priority"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("signals:detail", reference=signal.reference)
        messages.success(request, _("Dossier %(number)s was opened with this signal.")
                         % {"number": dossier.number})
        return redirect("casework:dossier", number=dossier.number)
    else:
        dossier = dossiers_visible_to(user).filter(number=data["number"]).first()
        if dossier is None:
            form.add_error("number", _("No dossier with this number that you may see."))
            return triage_page(request, signal, {action: form})

        def run():
            dossier_add_signals(actor=user, dossier=dossier, signals=[signal])
        return _run(request, signal, run,
                    _("%(reference)s was added to dossier %(number)s.")
                    % {"reference": signal.reference, "number": dossier.number})
    return _run(request, signal, run, _("Saved."))


def _take_up(request, signal):
    # The holder the analyst's page showed ("" for nobody): if someone else took the signal up
    # since, she is told who, and the page then offers to take it over from that colleague.
    expected = request.POST.get("holder") or None

    def run():
        return triage.triage_take_up(actor=request.user, signal=signal, expected_holder=expected)

    def success(previous):
        if previous is None:
            return _("You have taken up this signal; it is now in triage.")
        return _("You have taken this signal over from %(name)s.") % {
            "name": previous.display_name}
    return _run(request, signal, run, success)


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


@analyst_only
@require_POST
def mention_decision(request, reference: str, mention_id: int, decision: str):
    signal = visible_signal_or_404(request.user, reference)
    mention = get_object_or_404(signal.persons, pk=mention_id)
    person_id = request.POST.get("person", "")
    if not person_id.isdigit():
        raise Http404
    person = get_object_or_404(persons_visible_to(request.user), pk=int(person_id))
    if decision == "link":
        triage.mention_link(actor=request.user, mention=mention, person=person)
        messages.success(request, _("The mention is linked to %(person)s.")
                         % {"person": person.audit_ref})
    elif decision == "reject":
        triage.mention_reject(actor=request.user, mention=mention, person=person)
        messages.success(request, _("This suggestion will not be made again."))
    else:
        raise Http404
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
