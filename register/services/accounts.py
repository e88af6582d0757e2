"""Accounts: users, their roles and their API tokens."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import ApiToken, Organisation, Role, RoleGrant, User
from register.services.audit import audit_record


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
    """Create a new API key for `user`; returns the key, which is shown once and never stored."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8]
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
