import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from register.models.organisations import Organisation


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    ANALYST = "analyst", _("Analyst")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Register manager")
    AUDITOR = "auditor", _("Auditor")
    # A partner organisation's named contact for trafficking (inspection recommendation 4):
    # sees nothing of the register but the follow-up tasks addressed to its organisation and
    # the feedback on its organisation's signals.
    PORTFOLIO_HOLDER = "portfolio_holder", _("Portfolio holder")


class RegisterUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.select_related("organisation").get(**{self.model.USERNAME_FIELD: username})


class User(AbstractUser):
    """A member of staff of exactly one organisation, holding one or more roles."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisation"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # A partner system's account that files signals through the API. Its API tokens keep
    # working when its organisation requires two-factor login for its staff.
    is_system_account = models.BooleanField(_("system account (API only)"), default=False)
    # The language of the e-mails the register sends this user (blank: the register's own).
    language = models.CharField(_("language of e-mails"), max_length=10, blank=True,
                                choices=settings.LANGUAGES)

    objects = RegisterUserManager()
    REQUIRED_FIELDS = ["email", "organisation"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        """How colleagues see this user on pages and in messages: the full name if known."""
        return self.get_full_name() or self.get_username()

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            if self.pk is None:
                cached = frozenset()
            else:
                cached = frozenset(self.role_grants.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return self.is_active and bool(self.role_codes.intersection(roles))

    def forget_roles(self) -> None:
        self.__dict__.pop("_role_codes", None)


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")
        ]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.get_role_display()


class ApiToken(models.Model):
    """An API key for a partner system. Only a hash is stored: a leaked table grants nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
