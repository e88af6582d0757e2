"""Who must log in with a one-time code (TOTP), and the devices that make those codes."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from register.models import Role, User

# Portfolio holders read the briefs analysts share with them: personal data.
ROLES_REQUIRING_TWO_FACTOR = (Role.ANALYST, Role.MANAGER, Role.AUDITOR, Role.PORTFOLIO_HOLDER)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def token_allowed(user: User) -> bool:
    """Whether an API token may stand for this account. A token never stands in for a
    one-time code: not for a role that requires one, not for admin staff, and not for the
    staff of an organisation that requires two-factor login, unless the register manager
    marked the account as a partner system's API-only account."""
    if user.has_role(*ROLES_REQUIRING_TWO_FACTOR) or user.is_staff or user.is_superuser:
        return False
    return user.is_system_account or not user.organisation.requires_two_factor


def two_factor_required(user: User) -> bool:
    """Analysts, register managers, auditors and admin staff always; everyone in an
    organisation whose register manager requires it; and anyone who enrolled a device."""
    if user.has_role(*ROLES_REQUIRING_TWO_FACTOR) or user.organisation.requires_two_factor:
        return True
    if user.is_staff or user.is_superuser:  # the admin reaches everything
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
