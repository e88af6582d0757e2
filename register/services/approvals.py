"""Four eyes on what would widen a register manager's own power.

A register manager manages everyone's roles and every restricted dossier's access list, so
without a second pair of eyes one manager could give themselves any role, make a second
manager account to approve their own requests, or read any restricted dossier. Therefore a
change to one's own roles, any grant of the register manager role, and a manager's own access
to a restricted dossier (by a grant, or by lifting the restriction) are recorded as an
`Approval` and take effect only when another register manager approves them. Both steps are
audited.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import Approval, Dossier, Role, User
from register.services.audit import audit_record

# How an approved change other than roles is made, by the app that owns what it changes
# (casework for a manager's own access to a restricted dossier): the core cannot import it.
_APPLY: dict[str, Callable] = {}


def register_applier(kind: str, apply: Callable) -> None:
    """`apply(actor=, approval=, subject=)` makes the approved change; called inside the
    decision's transaction."""
    _APPLY[kind] = apply


def roles_need_second_manager(*, actor: User | None, user: User, roles) -> bool:
    """A manager's own roles, and the manager role for anyone, need a second manager."""
    current, asked = set(user.role_codes), set(roles)
    if actor is None or current == asked:
        return False
    return actor.pk == user.pk or Role.MANAGER in asked - current


def approval_ask_roles(*, actor: User, user: User, roles) -> Approval:
    current, asked = set(user.role_codes), set(roles)
    with transaction.atomic():
        # A newer request replaces an older one for the same account: one decision at a time.
        Approval.objects.filter(status=Approval.Status.PENDING, kind=Approval.Kind.ROLES,
                                subject=user).update(status=Approval.Status.WITHDRAWN,
                                                     decided_at=timezone.now())
        approval = Approval.objects.create(
            kind=Approval.Kind.ROLES, requested_by=actor, subject=user,
            roles_added=sorted(asked - current), roles_removed=sorted(current - asked))
        audit_record(actor=actor, action="register.approval.requested", obj=approval,
                     detail={"kind": approval.kind, "user_id": user.pk,
                             "roles_added": approval.roles_added,
                             "roles_removed": approval.roles_removed})
    return approval


def approval_ask_own_dossier_access(*, actor: User, dossier: Dossier,
                                    lift: bool) -> Approval:
    with transaction.atomic():
        Approval.objects.filter(status=Approval.Status.PENDING, subject=actor, dossier=dossier,
                                kind=Approval.Kind.OWN_DOSSIER_ACCESS).update(
            status=Approval.Status.WITHDRAWN, decided_at=timezone.now())
        approval = Approval.objects.create(
            kind=Approval.Kind.OWN_DOSSIER_ACCESS, requested_by=actor, subject=actor,
            dossier=dossier, lift_restriction=lift)
        audit_record(actor=actor, action="register.approval.requested", obj=approval,
                     detail={"kind": approval.kind, "user_id": actor.pk,
                             "dossier_id": dossier.pk, "lift_restriction": lift})
    return approval


def _check_second_manager(actor: User, approval: Approval) -> None:
    if not actor.has_role(Role.MANAGER):
        raise PermissionDenied
    if actor.pk in (approval.requested_by_id, approval.subject_id):
        raise ValidationError(_("A change to your own access needs another register manager "
                                "to approve it."), code="own_change")
    if approval.status != Approval.Status.PENDING:
        raise ValidationError(_("This change was already decided."), code="decided")


def approval_decide(*, actor: User, approval: Approval, approve: bool) -> Approval:
    """The second manager approves (the change is made, in the same transaction) or rejects.

    What is applied is what was asked, on the state of now: the roles asked added and removed,
    or the asker's own access; a role taken away or a colleague removed in between stays so.
    """
    from register.services.accounts import user_update

    with transaction.atomic():
        approval = Approval.objects.select_for_update().get(pk=approval.pk)
        _check_second_manager(actor, approval)
        subject = User.objects.select_related("organisation").get(pk=approval.subject_id)
        if approve and not subject.is_active:
            raise ValidationError(_("The account is disabled; nothing was changed."),
                                  code="inactive")
        approval.status = Approval.Status.APPROVED if approve else Approval.Status.REJECTED
        approval.decided_by, approval.decided_at = actor, timezone.now()
        approval.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(actor=actor, action="register.approval.approved" if approve
                     else "register.approval.rejected", obj=approval,
                     detail={"kind": approval.kind, "requested_by": approval.requested_by_id})
        if not approve:
            return approval
        if approval.kind == Approval.Kind.ROLES:
            roles = (set(subject.role_codes) | set(approval.roles_added)) \
                - set(approval.roles_removed)
            user_update(actor=actor, user=subject, values={}, roles=sorted(roles),
                        approval=approval)
        else:
            _APPLY[approval.kind](actor=actor, approval=approval, subject=subject)
    return approval


def approvals_pending():
    return (Approval.objects.filter(status=Approval.Status.PENDING)
            .select_related("requested_by", "subject", "dossier"))
