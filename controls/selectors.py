"""Who sees which controls, and what of them."""

from django.db.models import Q, QuerySet

from casework.need_to_know import through_hidden_dossier
from controls.models import Control, ControlFinding
from register.models import Role, User


def controls_visible_to(user: User) -> QuerySet[Control]:
    """Analysts see every control; staff of a partner see the controls their organisation takes
    part in (initiating, directing or participating)."""
    controls = Control.objects.select_related("initiating_organisation",
                                              "directing_organisation")
    if not (user.is_authenticated and user.is_active):
        return controls.none()
    if user.has_role(Role.ANALYST):
        return controls
    if user.has_role(Role.REPORTER):
        organisation = user.organisation_id
        return controls.filter(Q(initiating_organisation_id=organisation)
                               | Q(directing_organisation_id=organisation)
                               | Q(participants__organisation_id=organisation)).distinct()
    return controls.none()


def may_edit(user: User, control: Control) -> bool:
    """Participants record their control; the analysts only look."""
    if not user.has_role(Role.REPORTER, Role.ANALYST):
        return False
    organisation = user.organisation_id
    return (organisation in (control.initiating_organisation_id,
                             control.directing_organisation_id)
            or control.participants.filter(organisation_id=organisation).exists())


def sees_everything_of(user: User, control: Control) -> bool:
    """An analyst who may see every signal raised during the control (need to know)."""
    return user.has_role(Role.ANALYST) and not control.signal_links.filter(
        through_hidden_dossier(user, "signal__dossier")).exists()


def findings_for(user: User, control: Control) -> list[tuple[ControlFinding, bool]]:
    """(finding, may read its description): a description may name people, so it is shown to
    the organisation that wrote it, and to analysts allowed to see the linked signals."""
    everything = sees_everything_of(user, control)
    return [(finding, everything or finding.organisation_id == user.organisation_id)
            for finding in control.findings.select_related("organisation")]


def may_read_report(user: User, report) -> bool:
    return report.uploaded_by.organisation_id == user.organisation_id or sees_everything_of(
        user, report.control)
