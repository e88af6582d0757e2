from register.models.accounts import ApiToken, Role, RoleGrant, User
from register.models.audit import AuditEvent
from register.models.organisations import Organisation

__all__ = ["ApiToken", "AuditEvent", "Organisation", "Role", "RoleGrant", "User"]
