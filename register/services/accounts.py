"""Accounts: users, their roles and their API tokens."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import ApiToken, Organisation, Role, RoleGrant, User
from register.services.audit import audit_record
from register.two_factor import ROLES_REQUIRING_TWO_FACTOR


def check_role_allowed(*, organisation: Organisation, role: str) -> None:
    if role == Role.ANALYST and not organisation.may_hold_analysts:
        raise ValidationError(
            _("Only staff of KPCN, KMar and OM can be analysts (covenant 3.2)."),
            code="analyst_not_allowed",
        )


def user_create(
    *,
    actor: User | None,
    username: str,
    organisation: Organisation,
    roles: list[str],
    password: str | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
) -> User:
    for role in roles:
        check_role_allowed(organisation=organisation, role=role)
    with transaction.atomic():
        user = User(
            username=username,
            organisation=organisation,
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
        audit_record(
            actor=actor,
            action="register.user.created",
            obj=user,
            detail={"roles": sorted(roles), "organisation": organisation.code},
        )
    return user


def token_issue(*, actor: User | None, user: User) -> str:
    """Create a new API key for `user`; returns the key, which is shown once and never stored.

    Tokens are for partner systems filing signals. Accounts that must log in with a one-time
    code (analysts, managers, auditors) get none: a token would bypass that second factor.
    """
    if user.has_role(*ROLES_REQUIRING_TWO_FACTOR):
        raise ValidationError(
            _("API tokens are only for reporter accounts of partner systems; this account "
              "must log in with a one-time code."), code="token_not_allowed")
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
            expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
        )
        audit_record(actor=actor, action="register.api_token.issued", obj=token,
                     detail={"user_id": user.pk})
    return key


def token_revoke_all(*, actor: User | None, user: User) -> int:
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(actor=actor, action="register.api_token.revoked", obj=user,
                     detail={"count": count})
    return count


USER_FIELDS = ("first_name", "last_name", "email", "phone", "organisation")


def user_update(*, actor: User, user: User, values: dict, roles: list[str]) -> User:
    """Change a user's details and roles; the audit event names what changed, not the values."""
    organisation = values.get("organisation", user.organisation)
    for role in roles:
        check_role_allowed(organisation=organisation, role=role)
    with transaction.atomic():
        changed = [name for name in USER_FIELDS
                   if name in values and getattr(user, name) != values[name]]
        for name in changed:
            setattr(user, name, values[name])
        if changed:
            user.full_clean(exclude=["password"])
            user.save(update_fields=changed)
        current = set(user.role_codes)
        added, removed = sorted(set(roles) - current), sorted(current - set(roles))
        RoleGrant.objects.filter(user=user, role__in=removed).delete()
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in added)
        user.forget_roles()
        if changed or added or removed:
            audit_record(actor=actor, action="register.user.changed", obj=user, detail={
                "fields": changed, "roles_added": added, "roles_removed": removed,
                "organisation": user.organisation.code})
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> None:
    """Disabling a user ends every session and token they have, at once."""
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = 0
        if not active:
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now())
            ended = _end_sessions(user)
        audit_record(actor=actor, action="register.user.enabled" if active
                     else "register.user.disabled", obj=user, detail={"sessions_ended": ended})


def _end_sessions(user: User) -> int:
    from django.contrib.sessions.models import Session

    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def two_factor_reset(*, actor: User, user: User) -> None:
    """For a lost phone: the user enrols a new authenticator at the next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        _end_sessions(user)
        audit_record(actor=actor, action="register.two_factor.reset", obj=user,
                     detail={"devices_removed": count})


def organisation_require_two_factor(*, actor: User, organisation: Organisation,
                                    required: bool) -> None:
    with transaction.atomic():
        organisation.requires_two_factor = required
        organisation.save(update_fields=["requires_two_factor"])
        audit_record(actor=actor, action="register.organisation.changed", obj=organisation,
                     detail={"fields": ["requires_two_factor"], "requires_two_factor": required})
