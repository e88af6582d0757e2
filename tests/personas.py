"""The people the tests act as: one per role, from organisations that matter to the rules."""

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
    "coordinator": ("kpcn", [Role.COORDINATOR]),
    "manager": ("kpcn", [Role.MANAGER]),
    "auditor": ("kpcn", [Role.AUDITOR]),
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
