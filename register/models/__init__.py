from register.models.accounts import ApiToken, Role, RoleGrant, User
from register.models.audit import AuditEvent
from register.models.organisations import Organisation
from register.models.privacy import RetentionItem, RetentionReview, SubjectRequest

__all__ = ["ApiToken", "AuditEvent", "Organisation", "RetentionItem", "RetentionReview", "Role",
           "RoleGrant", "SubjectRequest", "User"]
