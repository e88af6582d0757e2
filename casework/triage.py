"""Triage: an analyst takes a signal into the register, declines it, or asks the reporter."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.dossier_persons import dossier_sync_persons
from casework.models import MatchRejection
from casework.persons import MentionFacts, add_identifiers, person_create
from register.models import Person, Role, User
from register.services.audit import audit_record
from register.services.notifications import notify
from signals.models import Signal, SignalForm, SignalPerson, SignalQuestion
from signals.vocab import OPEN_STATUSES, Sector, SignalStatus


def _touch(signal: Signal, *fields: str) -> None:
    signal.last_processed_at = timezone.now()
    signal.save(update_fields=[*fields, "last_processed_at"])


def _lock_open(signal: Signal) -> Signal:
    """Inside the transaction: the signal's row, locked, and still open; two analysts deciding
    at once cannot both win."""
    current = Signal.objects.select_for_update().get(pk=signal.pk)
    if current.status not in OPEN_STATUSES:
        raise ValidationError(_("This signal was already triaged."))
    signal.status = current.status
    return signal


class HolderChanged(ValidationError):
    """Someone else took the signal up after the analyst's page said who held it: taking it
    now would take it over from a colleague she did not know was working on it."""

    def __init__(self, holder: User):
        self.holder = holder
        super().__init__(
            _("%(name)s took up this signal in the meantime. Take it over only if you mean to.")
            % {"name": holder.display_name}, code="holder_changed")


ANY_HOLDER = object()  # the caller did not say whom she expects to hold the signal


def triage_take_up(*, actor: User, signal: Signal, expected_holder=ANY_HOLDER) -> User | None:
    """The analyst says: I am working on this signal. A received signal goes into triage.

    Another analyst may take a signal over (a colleague is away, work is shared out): refusing
    would strand the signal with someone who cannot act on it. A take-over is audited as such,
    with whom it was taken from. Returns the analyst it was taken over from, if any.

    `expected_holder` is the username (None: nobody) the analyst saw holding the signal. If
    someone else holds it now, HolderChanged is raised: a take-over is always a choice made
    knowing whom it is taken from, never the accident of two analysts clicking at once.
    """
    with transaction.atomic():
        _lock_open(signal)  # two analysts taking it up at once: the second sees the first
        holder = Signal.objects.values_list("taken_up_by", flat=True).get(pk=signal.pk)
        previous = User.objects.get(pk=holder) if holder else None
        if previous is not None and previous.pk == actor.pk:
            return None  # already hers: nothing changes, nothing to record
        if (previous is not None and expected_holder is not ANY_HOLDER
                and previous.get_username() != expected_holder):
            raise HolderChanged(previous)
        if signal.status == SignalStatus.RECEIVED:
            signal.status = SignalStatus.IN_TRIAGE
        signal.taken_up_by, signal.taken_up_at = actor, timezone.now()
        _touch(signal, "status", "taken_up_by", "taken_up_at")
        if previous is None:
            audit_record(actor=actor, action="signals.signal.taken_up", obj=signal)
        else:
            audit_record(actor=actor, action="signals.signal.taken_over", obj=signal,
                         detail={"from": previous.pk})
    return previous


def triage_assign(*, actor: User, signal: Signal, analyst: User) -> User | None:
    """Hand an open signal to an analyst, who then holds it as if she had taken it up herself
    (a received signal goes into triage). Audited with whom it went to and from; the analyst
    is told in the app. Returns the analyst who held it before, if any."""
    if not (analyst.is_active and analyst.has_role(Role.ANALYST)):
        raise ValidationError({"analyst": _("%(user)s is not an analyst.")
                               % {"user": analyst.get_username()}}, code="not_analyst")
    with transaction.atomic():
        _lock_open(signal)
        holder = Signal.objects.values_list("taken_up_by", flat=True).get(pk=signal.pk)
        if holder == analyst.pk:
            return analyst  # already hers: nothing changes, nothing to record
        if signal.status == SignalStatus.RECEIVED:
            signal.status = SignalStatus.IN_TRIAGE
        signal.taken_up_by, signal.taken_up_at = analyst, timezone.now()
        _touch(signal, "status", "taken_up_by", "taken_up_at")
        audit_record(actor=actor, action="signals.signal.assigned", obj=signal,
                     detail={"to": analyst.pk, "from": holder})
        if analyst.pk != actor.pk:
            notify(users=[analyst], event="casework.signal.assigned",
                   params={"ref": signal.reference},
                   url=reverse("signals:detail", args=[signal.reference]))
    return User.objects.get(pk=holder) if holder else None


def triage_grade(*, actor: User, signal: Signal, source: str, information: str) -> None:
    with transaction.atomic():
        signal.source_reliability, signal.information_reliability = source, information
        _touch(signal, "source_reliability", "information_reliability")
        audit_record(actor=actor, action="signals.signal.graded", obj=signal,
                     detail={"source": source, "information": information})


def triage_correct_coding(*, actor: User, signal: Signal, island: str, sector: str,
                          forms: list[str]) -> None:
    """Correct the coding; the reporter's original stays on the signal."""
    if not forms:
        raise ValidationError({"forms": _("Keep at least one form.")})
    sector = sector or Sector.UNKNOWN  # one code for "not known", as on filing
    with transaction.atomic():
        if signal.original_coding is None:
            signal.original_coding = {"island": signal.island, "sector": signal.sector,
                                      "forms": sorted(signal.form_codes)}
        changed = [name for name, value in (("island", island), ("sector", sector))
                   if getattr(signal, name) != value]
        signal.island, signal.sector = island, sector
        if set(forms) != set(signal.form_codes):
            changed.append("forms")
            signal.forms.all().delete()
            SignalForm.objects.bulk_create(SignalForm(signal=signal, code=c) for c in set(forms))
        _touch(signal, "island", "sector", "original_coding")
        audit_record(actor=actor, action="signals.signal.coding_corrected", obj=signal,
                     detail={"fields": changed})


def triage_ask(*, actor: User, signal: Signal, question: str) -> SignalQuestion:
    with transaction.atomic():
        _lock_open(signal)
        asked = SignalQuestion.objects.create(signal=signal, asked_by=actor, question=question,
                                              asked_at=timezone.now())
        signal.status = SignalStatus.QUESTION
        _touch(signal, "status")
        audit_record(actor=actor, action="signals.signal.question_asked", obj=signal,
                     detail={"question": asked.pk})
        reporter = signal.submitted_by
        if reporter is not None and not reporter.is_system_account and reporter.pk != actor.pk:
            notify(users=[reporter], event="signals.signal.question_asked",
                   params={"ref": signal.reference},
                   url=reverse("signals:detail", args=[signal.reference]))
    return asked


def question_answer(*, actor: User, question: SignalQuestion, answer: str) -> None:
    """The reporter's answer lands on the signal, which goes back to the analysts' inbox."""
    if question.answered_at:
        raise ValidationError(_("This question was already answered."))
    with transaction.atomic():
        signal = _lock_open(question.signal)
        question.answer, question.answered_at = answer, timezone.now()
        question.save(update_fields=["answer", "answered_at"])
        still_open = signal.questions.filter(answered_at__isnull=True).exists()
        if signal.status == SignalStatus.QUESTION and not still_open:
            signal.status = SignalStatus.IN_TRIAGE
        _touch(signal, "status")
        audit_record(actor=actor, action="signals.signal.question_answered", obj=signal,
                     detail={"question": question.pk})
        told = [u for u in (question.asked_by, signal.taken_up_by)
                if u is not None and u.pk != actor.pk]
        if told:
            notify(users=told, event="signals.signal.question_answered",
                   params={"ref": signal.reference},
                   url=reverse("signals:detail", args=[signal.reference]))


def triage_decline(*, actor: User, signal: Signal, reason: str,
                   reason_for_reporter: str = "") -> None:
    """Not taken up, with the reason; `reason_for_reporter` is what the analyst chooses to
    tell the reporter (the reason itself stays with the analysts)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason why the signal is not taken up.")})
    with transaction.atomic():
        _lock_open(signal)
        signal.status, signal.not_taken_up_reason = SignalStatus.NOT_TAKEN_UP, reason
        signal.reason_for_reporter = reason_for_reporter.strip()
        signal.triaged_at, signal.triaged_by = timezone.now(), actor
        _touch(signal, "status", "not_taken_up_reason", "reason_for_reporter", "triaged_at",
               "triaged_by")
        audit_record(actor=actor, action="signals.signal.not_taken_up", obj=signal)


def mention_facts(mention: SignalPerson) -> MentionFacts:
    return MentionFacts(
        family_name=mention.family_name, given_names=mention.given_names, alias=mention.alias,
        sex=mention.sex if mention.sex != "unknown" else "", date_of_birth=mention.date_of_birth,
        date_of_birth_precision=mention.date_of_birth_precision,
        nationality=mention.nationality, phone=mention.phone,
        document_number=mention.document_number)


def mention_link(*, actor: User, mention: SignalPerson, person: Person) -> None:
    """The analyst confirms: this mention is this register person."""
    with transaction.atomic():
        mention.person = person
        mention.save(update_fields=["person"])
        add_identifiers(person, mention_facts(mention), mention.pk)
        _touch(mention.signal)
        audit_record(actor=actor, action="signals.mention.linked", obj=mention.signal,
                     result_ids=[f"register.person:{person.pk}"],
                     detail={"mention": mention.pk})
        if mention.signal.dossier_id:
            dossier_sync_persons(mention.signal.dossier)


def mention_reject(*, actor: User, mention: SignalPerson, person: Person) -> None:
    """The analyst says: not this person. The pair is never suggested again."""
    with transaction.atomic():
        MatchRejection.objects.get_or_create(mention=mention, person=person,
                                             defaults={"rejected_by": actor})
        audit_record(actor=actor, action="signals.mention.match_rejected", obj=mention.signal,
                     detail={"mention": mention.pk, "person": person.pk})


def triage_take_in(*, actor: User, signal: Signal) -> None:
    """Take the signal into the register; mentions not linked to a person become new persons."""
    with transaction.atomic():
        _lock_open(signal)
        for mention in signal.persons.filter(person__isnull=True):
            mention.person = person_create(actor=actor, facts=mention_facts(mention),
                                           mention_id=mention.pk)
            mention.save(update_fields=["person"])
        signal.status = SignalStatus.IN_REGISTER
        signal.triaged_at, signal.triaged_by = timezone.now(), actor
        _touch(signal, "status", "triaged_at", "triaged_by")
        audit_record(actor=actor, action="signals.signal.taken_in", obj=signal)
