"""The people the tests act as: one per role, from organisations that matter to the rules."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.models import Organisation, Role, User
from register.services.accounts import user_create

PASSWORD = "persona-password-1"

PERSONAS = {
    # name: (organisation code, roles)
    "reporter_kmar": ("kmar", [Role.REPORTER]),
    "reporter_kmar_colleague": ("kmar", [Role.REPORTER]),
    "reporter_szw": ("szw", [Role.REPORTER]),
    "analyst_kpcn": ("kpcn", [Role.ANALYST]),
    "analyst_om": ("om", [Role.ANALYST]),
    "analyst_kpcn_colleague": ("kpcn", [Role.ANALYST]),
    "coordinator": ("kpcn", [Role.COORDINATOR]),
    "manager": ("kpcn", [Role.MANAGER]),
    "auditor": ("kpcn", [Role.AUDITOR]),
    # Portfolio holders: KPCN's (police, asked for criminal investigations) and OM's.
    "holder_kpcn": ("kpcn", [Role.PORTFOLIO_HOLDER]),
    "holder_om": ("om", [Role.PORTFOLIO_HOLDER]),
}


def create_personas() -> None:
    organisations = {o.code: o for o in Organisation.objects.all()}
    existing = set(User.objects.values_list("username", flat=True))
    for name, (code, roles) in PERSONAS.items():
        if name.replace("_", ".") in existing:
            continue
        user_create(
            actor=None, username=name.replace("_", "."), organisation=organisations[code],
            roles=roles, password=PASSWORD, email=f"{name}@example.invalid",
            first_name=name.split("_")[0].capitalize(), last_name="Persona",
            phone="+599 700 1234",
        )


def persona(name: str) -> User:
    return User.objects.select_related("organisation").get(username=name.replace("_", "."))


def totp_device(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "test",
                                                                      "confirmed": True})
    return device


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def verify_with_one_time_code(client, user: User) -> None:
    """Give the session what the two-factor page gives after a correct code."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
