"""The register manager's data-protection duties: data-subject requests and retention."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from register.models import RetentionItem, RetentionReview, SubjectRequest, User
from register.models.disclosures import Channel, LegalGround
from register.retention import DueItem, sources
from register.services.alerts import alert_managers
from register.services.audit import audit_record
from register.services.disclosures import disclosed, disclosures_about, record_disclosure
from register.subject_search import Finding, SubjectQuery, find_subject

REQUEST_FIELDS = ("received_on", "requester_name", "requester_contact", "subject_family_name",
                  "subject_given_names", "subject_date_of_birth", "subject_document_number")


def subject_request_create(*, actor: User, values: dict) -> SubjectRequest:
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            created_by=actor, **{name: values.get(name) or _empty(name) for name in
                                 REQUEST_FIELDS})
        audit_record(actor=actor, action="register.subject_request.created", obj=request)
    return request


def _empty(name: str):
    return None if name in {"subject_date_of_birth"} else ""


def subject_request_verify_identity(*, actor: User, request: SubjectRequest, verified_on: dt.date,
                                    method: str) -> None:
    with transaction.atomic():
        request.identity_verified_by = actor
        request.identity_verified_on = verified_on
        request.identity_method = method
        request.save(update_fields=["identity_verified_by", "identity_verified_on",
                                    "identity_method"])
        audit_record(actor=actor, action="register.subject_request.identity_verified",
                     obj=request)


def _findings(request: SubjectRequest) -> list[Finding]:
    return find_subject(SubjectQuery(
        family_name=request.subject_family_name, given_names=request.subject_given_names,
        date_of_birth=request.subject_date_of_birth,
        document_number=request.subject_document_number))


def subject_request_search(*, actor: User, request: SubjectRequest) -> list[Finding]:
    """Everything held about the subject, under every role and stored spelling."""
    findings = _findings(request)
    audit_record(actor=actor, action="register.subject_request.searched", obj=request,
                 result_ids=[f"{f.object_type}:{f.object_id}" for f in findings])
    return findings


def subject_request_decide(*, actor: User, request: SubjectRequest, outcome: str, ground: str,
                           decided_on: dt.date, notes: str) -> None:
    refused = outcome in (SubjectRequest.Outcome.REFUSED, SubjectRequest.Outcome.PARTLY)
    if refused and not ground:
        raise ValidationError({"refusal_ground": _("Give the ground for refusing.")})
    if not refused and ground:
        raise ValidationError({"refusal_ground": _("A ground is only given when refusing.")})
    if request.identity_verified_on is None and ground != SubjectRequest.Ground.IDENTITY:
        raise ValidationError({"outcome": _(
            "Record who verified the requester's identity first, or refuse on that ground.")})
    with transaction.atomic():
        request.outcome, request.refusal_ground = outcome, ground
        request.decided_on, request.notes = decided_on, notes
        request.save(update_fields=["outcome", "refusal_ground", "decided_on", "notes"])
        audit_record(actor=actor, action="register.subject_request.decided", obj=request,
                     detail={"outcome": outcome, "ground": ground,
                             "days_taken": (decided_on - request.received_on).days})
        if outcome in (SubjectRequest.Outcome.INFORMED, SubjectRequest.Outcome.PARTLY):
            # The answer tells the data subject what is held: a disclosure to them, of what
            # the search finds (a partial answer withholds some of it; the ledger errs on
            # the side of listing all).
            objects = [disclosed(f.object_type, f.object_id, f.reference)
                       for f in _findings(request)]
            if objects:
                record_disclosure(
                    actor=actor, objects=objects, channel=Channel.SUBJECT_ANSWER,
                    recipient_organisation=_("The data subject (request #%(id)s)")
                    % {"id": request.pk}, legal_ground=LegalGround.SUBJECT_REQUEST,
                    purpose=_("Answer to a data-subject request"))


def subject_request_disclosures(request: SubjectRequest, findings: list[Finding]):
    """The disclosures of anything the search found about the subject."""
    return disclosures_about([(f.object_type, f.object_id) for f in findings],
                             [f.reference for f in findings])


def subject_requests_remind(*, today: dt.date | None = None) -> list[int]:
    """Daily: tell the managers which open requests are in week three or late (ids only)."""
    today = today or timezone.localdate()
    due = [r for r in SubjectRequest.objects.filter(outcome="") if r.needs_warning(today)]
    if due:
        lines = [_("Request #%(id)s: answer due on %(due)s (%(days)s days left).")
                 % {"id": r.pk, "due": date_format(r.due_on, "DATE_FORMAT"),
                    "days": r.days_left(today)}
                 for r in due]
        alert_managers(_("Data-subject requests due soon"), "\n".join(lines))
    return [r.pk for r in due]


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - settings.RETENTION_YEARS)
    except ValueError:  # 29 February in a year without one
        return now.replace(year=now.year - settings.RETENTION_YEARS, day=28)


def retention_review_create(*, now: dt.datetime | None = None) -> RetentionReview | None:
    """The scheduled job: list what is past its retention period, for the manager to review."""
    cutoff = retention_cutoff(now)
    pending = set(RetentionItem.objects.filter(review__status=RetentionReview.Status.PENDING)
                  .values_list("object_type", "object_id"))
    due = [item for source in sources().values() for item in source.due(cutoff)
           if (item.object_type, item.object_id) not in pending]
    if not due:
        return None
    with transaction.atomic():
        review = RetentionReview.objects.create(cutoff=cutoff)
        RetentionItem.objects.bulk_create(
            RetentionItem(review=review, object_type=i.object_type, object_id=i.object_id,
                          reference=i.reference, last_processed_at=i.last_processed_at)
            for i in due)
        audit_record(actor=None, action="register.retention.review_created", obj=review,
                     detail={"items": len(due)})
    alert_managers(_("Retention review waiting"),
                   _("%(count)s records are past their retention period and wait for your "
                     "review in the register.") % {"count": len(due)})
    return review


def retention_review_apply(*, actor: User, review: RetentionReview, keep: set[int]) -> int:
    """Anonymise every item of the review except those the manager keeps."""
    with transaction.atomic():
        # Locked, so two managers deciding at once cannot both apply it.
        review = RetentionReview.objects.select_for_update().get(pk=review.pk)
        if review.status != RetentionReview.Status.PENDING:
            raise ValidationError(_("This review was already decided."))
        review.items.filter(pk__in=keep).update(keep=True)
        by_type: dict[str, list[str]] = {}
        for item in review.items.filter(keep=False):
            by_type.setdefault(item.object_type, []).append(item.object_id)
        # Worked on since the review was made? Then it is no longer due.
        still_due = {(i.object_type, i.object_id) for source in sources().values()
                     for i in source.due(review.cutoff)}
        by_type = {kind: [i for i in ids if (kind, i) in still_due]
                   for kind, ids in by_type.items()}
        done = sum(sources()[kind].anonymise(actor=actor, object_ids=ids)
                   for kind, ids in by_type.items())
        review.status, review.decided_by, review.decided_at = (
            RetentionReview.Status.APPLIED, actor, timezone.now())
        review.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(actor=actor, action="register.retention.applied", obj=review,
                     detail={"anonymised": done, "kept": len(keep)})
    return done


def subject_requests_due(cutoff: dt.datetime) -> list[DueItem]:
    """A decided data-subject request is itself personal data, kept for the same period."""
    cutoff_date = timezone.localtime(cutoff).date()
    return [DueItem("register.subjectrequest", str(r.pk), r.audit_ref,
                    timezone.make_aware(dt.datetime.combine(r.decided_on, dt.time())))
            for r in SubjectRequest.objects.filter(decided_on__lt=cutoff_date)
            .exclude(requester_name="")]


def subject_requests_anonymise(*, actor: User, object_ids: list[str]) -> int:
    requests = SubjectRequest.objects.filter(pk__in=object_ids).exclude(requester_name="")
    count = requests.update(requester_name="", requester_contact="", subject_family_name="",
                            subject_given_names="", subject_date_of_birth=None,
                            subject_document_number="", identity_method="", notes="")
    for pk in object_ids:
        audit_record(actor=actor, action="register.subject_request.anonymised",
                     object_type="register.subjectrequest", object_id=pk)
    return count


def retention_review_cancel(*, actor: User, review: RetentionReview) -> None:
    with transaction.atomic():
        review.status, review.decided_by, review.decided_at = (
            RetentionReview.Status.CANCELLED, actor, timezone.now())
        review.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(actor=actor, action="register.retention.cancelled", obj=review)
