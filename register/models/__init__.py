from register.models.accounts import ApiToken, Role, RoleGrant, User
from register.models.approvals import Approval
from register.models.audit import AuditEvent
from register.models.disclosures import (
    DisclosedObject,
    Disclosure,
    LegalGround,
    ReadingAlert,
    ShareRequest,
)
from register.models.dossiers import (
    Dossier,
    DossierCounter,
    DossierNote,
    DossierPerson,
    DossierUserObjectPermission,
    FollowUpAction,
)
from register.models.notifications import Notification, NotificationPreference
from register.models.organisations import Organisation
from register.models.persons import BirthPrecision, Person
from register.models.privacy import RetentionItem, RetentionReview, SubjectRequest

__all__ = ["ApiToken", "Approval", "AuditEvent", "BirthPrecision", "DisclosedObject",
           "Disclosure", "Dossier", "DossierCounter", "LegalGround", "NotificationPreference",
           "ReadingAlert", "ShareRequest",
           "DossierNote", "DossierPerson", "DossierUserObjectPermission", "FollowUpAction",
           "Notification", "Organisation", "Person", "RetentionItem",
           "RetentionReview", "Role", "RoleGrant", "SubjectRequest", "User"]
