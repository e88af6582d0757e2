"""Accounts: users, their roles and their API tokens."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import ApiToken, Approval, Organisation, Role, RoleGrant, User
from register.services.approvals import approval_ask_roles, roles_need_second_manager
from register.services.audit import audit_record
from register.two_factor import ROLES_REQUIRING_TWO_FACTOR, token_allowed


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
    """A new account. The register manager role is granted only when a second register
    manager approves it: otherwise one manager could make a co-manager to approve their own
    requests. The account is created at once with its other roles."""
    for role in roles:
        check_role_allowed(organisation=organisation, role=role)
    ask_manager = actor is not None and Role.MANAGER in roles
    granted = [role for role in roles if not (ask_manager and role == Role.MANAGER)]
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
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in granted)
        audit_record(
            actor=actor,
            action="register.user.created",
            obj=user,
            detail={"roles": sorted(granted), "organisation": organisation.code},
        )
        if ask_manager:
            user.forget_roles()
            approval_ask_roles(actor=actor, user=user, roles=roles)
    return user


def token_issue(*, actor: User | None, user: User) -> str:
    """Create a new API key for `user`; returns the key, which is shown once and never stored.

    Tokens are for partner systems filing signals. Accounts that must log in with a one-time
    code get none: a token would bypass that second factor (see two_factor.token_allowed).
    """
    if user.has_role(*ROLES_REQUIRING_TWO_FACTOR) or user.is_staff or user.is_superuser:
        raise ValidationError(
            _("API tokens are only for reporter accounts of partner systems; this account "
              "must log in with a one-time code."), code="token_not_allowed")
    if not token_allowed(user):
        raise ValidationError(
            _("%(organisation)s requires two-factor login, so its staff get no API tokens. "
              "Mark this account as a system account of a partner system first, or make the "
              "system account in an organisation that does not require two-factor login.")
            % {"organisation": user.organisation.name}, code="token_not_allowed")
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


def user_update(*, actor: User, user: User, values: dict, roles: list[str],
                approval: Approval | None = None) -> Approval | None:
    """Change a user's details and roles; the audit event names what changed, not the values.

    A manager's change to their own roles, and the register manager role for anyone, is not
    made here but asked of a second register manager (register.services.approvals); the
    details are saved, and the request returned. `approval` is the approved request when that
    second manager makes the change. Moving an account into an organisation that requires
    two-factor login ends its API tokens.
    """
    organisation = values.get("organisation", user.organisation)
    for role in roles:
        check_role_allowed(organisation=organisation, role=role)
    if user.is_system_account and set(roles) - {Role.REPORTER}:
        raise ValidationError(_("A system account can only hold the reporter role."),
                              code="system_account_role")
    asked_roles = approval is None and roles_need_second_manager(actor=actor, user=user,
                                                                 roles=roles)
    asked = None
    with transaction.atomic():
        if asked_roles:
            asked = approval_ask_roles(actor=actor, user=user, roles=roles)
            roles = list(user.role_codes)
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
        revoked = 0
        if "organisation" in changed and not token_allowed(user):
            revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now())
        if changed or added or removed:
            audit_record(actor=actor, action="register.user.changed", obj=user, detail={
                "fields": changed, "roles_added": added, "roles_removed": removed,
                "organisation": user.organisation.code, "tokens_revoked": revoked,
                **({"approval_id": approval.pk} if approval else {})})
    return asked


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

    from register.sessions import end_sessions

    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    end_sessions(ended)  # from the database and, where sessions are cached, from Redis
    return len(ended)


def two_factor_reset(*, actor: User, user: User) -> None:
    """For a lost phone: the user enrols a new authenticator at the next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        _end_sessions(user)
        audit_record(actor=actor, action="register.two_factor.reset", obj=user,
                     detail={"devices_removed": count})


def user_set_system_account(*, actor: User, user: User, system: bool) -> None:
    """A partner system's API-only account keeps its tokens when its organisation requires
    two-factor login for its staff; only a reporter account can be one."""
    if system and set(user.role_codes) - {Role.REPORTER}:
        raise ValidationError(_("Only an account with just the reporter role can be a system "
                                "account."), code="system_account_role")
    with transaction.atomic():
        user.is_system_account = system
        user.save(update_fields=["is_system_account"])
        revoked = 0
        if not system and not token_allowed(user):
            revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now())
        audit_record(actor=actor, action="register.user.changed", obj=user, detail={
            "fields": ["is_system_account"], "is_system_account": system,
            "tokens_revoked": revoked})


def organisation_require_two_factor(*, actor: User, organisation: Organisation,
                                    required: bool) -> None:
    """Requiring two-factor login ends the API tokens of the organisation's staff (system
    accounts keep theirs): lifting the requirement later must not bring them back."""
    with transaction.atomic():
        organisation.requires_two_factor = required
        organisation.save(update_fields=["requires_two_factor"])
        revoked = 0
        if required:
            revoked = ApiToken.objects.filter(
                user__organisation=organisation, user__is_system_account=False,
                revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="register.organisation.changed", obj=organisation,
                     detail={"fields": ["requires_two_factor"], "requires_two_factor": required,
                             "tokens_revoked": revoked})
