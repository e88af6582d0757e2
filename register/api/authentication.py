from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from register.models import ApiToken
from register.two_factor import token_allowed


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by the key's SHA-256; revoked keys fail."""

    def authenticate_credentials(self, key):
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user__organisation")
            .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True,
                    expires_at__gt=now)
            .first()
        )
        # A token never stands in for a one-time code the account needs, even if the role or
        # the organisation's requirement came after the token was issued.
        if token is None or not token.user.is_active or not token_allowed(token.user):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (token.user, token)
