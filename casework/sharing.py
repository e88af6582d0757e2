"""Sharing a dossier with another country of the Kingdom (Aruba, Curaçao, Sint Maarten, the
Netherlands) under "no, unless": one analyst asks, with the legal ground, the recipient, the
purpose and the keeping date; a second analyst who may see the dossier approves or refuses.
Only the approval records the disclosure, and only then can the summary to send be printed
(reporting.views.share_summary)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.dossier_contents import dossier_contents
from casework.need_to_know import dossiers_visible_to
from register.models import Dossier, Role, ShareRequest, User
from register.models.disclosures import Channel
from register.services.audit import audit_record
from register.services.disclosures import disclosed, record_disclosure
from register.services.notifications import notify


def _approvers(dossier: Dossier, requester: User) -> list[User]:
    """Who is asked to approve: the dossier's other analysts, else the requester's colleagues
    who may see the dossier."""
    assigned = [u for u in dossier.assigned_analysts.filter(is_active=True)
                if u.pk != requester.pk]
    candidates = assigned or list(User.objects.filter(
        is_active=True, organisation=requester.organisation, role_grants__role=Role.ANALYST)
        .exclude(pk=requester.pk))
    return [u for u in candidates if dossiers_visible_to(u).filter(pk=dossier.pk).exists()]


def share_request_create(*, actor: User, dossier: Dossier, values: dict) -> ShareRequest:
    with transaction.atomic():
        share = ShareRequest.objects.create(dossier=dossier, requested_by=actor,
                                            requested_at=timezone.now(), **values)
        audit_record(actor=actor, action="register.dossier.share_requested", obj=dossier,
                     detail={"share": share.pk, "country": share.country,
                             "ground": share.legal_ground})
        notify(users=_approvers(dossier, actor), event="casework.share.requested",
               params={"ref": dossier.number, "country": share.country},
               url=reverse("casework:dossier", args=[dossier.number]))
    return share


def share_objects(actor: User, dossier: Dossier) -> list[tuple[str, str, str]]:
    contents = dossier_contents(actor, dossier)
    return ([disclosed("register.dossier", dossier.pk, dossier.number)]
            + [disclosed("signals.signal", s.pk, s.reference) for s in contents["signals"]]
            + [disclosed("register.person", role.person_id, dossier.number)
               for role in contents["persons"]])


def share_request_decide(*, actor: User, share: ShareRequest, approve: bool,
                         reason: str = "") -> ShareRequest:
    """A second analyst's decision. The one who asked cannot decide; a decided request stays
    decided; a refusal gives its reason."""
    if share.requested_by_id == actor.pk:
        raise ValidationError({"decision": _("A second analyst must decide: you asked for "
                                             "this share yourself.")})
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for refusing.")})
    with transaction.atomic():
        share = ShareRequest.objects.select_for_update().select_related(
            "dossier", "requested_by").get(pk=share.pk)
        if share.status != ShareRequest.Status.PENDING:
            raise ValidationError({"decision": _("This request was already decided.")})
        share.decided_by, share.decided_at = actor, timezone.now()
        if approve:
            share.status = ShareRequest.Status.APPROVED
            share.disclosure = record_disclosure(
                actor=actor, disclosed_by=share.requested_by, approved_by=actor,
                objects=share_objects(share.requested_by, share.dossier),
                channel=Channel.KINGDOM_SHARE, country=share.country,
                recipient_organisation=share.recipient_organisation,
                recipient_person=share.recipient_person, legal_ground=share.legal_ground,
                purpose=share.purpose, kept_until=share.kept_until)
        else:
            share.status, share.refusal_reason = ShareRequest.Status.REFUSED, reason.strip()
        share.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason",
                                  "disclosure"])
        audit_record(actor=actor, action=f"register.dossier.share_{share.status}",
                     obj=share.dossier, detail={"share": share.pk})
        notify(users=[share.requested_by], event="casework.share.decided",
               params={"ref": share.dossier.number, "status": share.status},
               url=reverse("casework:dossier", args=[share.dossier.number]))
    return share
