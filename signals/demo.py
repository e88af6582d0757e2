"""Synthetic demo data. Every name, number and story here is invented."""

import datetime as dt
import random

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.models import Organisation, Role, User
from register.services.accounts import user_create
from register.two_factor import two_factor_required
from signals.models import Signal
from signals.services import SignalInput, signal_submit
from signals.vocab import Channel, ExploitationForm, Indicator, Island, PersonRole, Sector, Sex

DEMO_DOMAIN = "demo.example.invalid"
GIVEN = {
    "VE": ["José Luis", "María Alejandra", "Yusmary", "Carlos Eduardo", "Daniela"],
    "CO": ["Juan Camilo", "Luz Marina", "Andrés Felipe", "Paola"],
    "DO": ["Yokasta", "Ramón Antonio", "Altagracia", "Wilkin"],
    "HT": ["Jean-Baptiste", "Marie-Claire", "Wilner"],
    "CN": ["Wei", "Mei Ling", "Jian"],
    "IN": ["Rahul", "Priya", "Sanjay"],
    "NL": ["Pieter", "Anouk", "Marco"],
    "SR": ["Ravi", "Sharmila", "Errol"],
}
FAMILY = {
    "VE": ["Rodríguez Pérez", "González", "Hernández Silva", "Martínez"],
    "CO": ["García Londoño", "Restrepo", "Ramírez Ortiz"],
    "DO": ["De la Cruz", "Santana Reyes", "Peña"],
    "HT": ["Joseph", "Pierre-Louis", "Baptiste"],
    "CN": ["Zhang", "Li", "Chen"],
    "IN": ["Sharma", "Patel", "Singh"],
    "NL": ["de Vries", "Jansen", "van Dijk"],
    "SR": ["Ramdin", "Mohan", "Pinas"],
}
PLACES = {
    Island.BONAIRE: ["Kralendijk", "Rincon", "Antriol", "Nikiboko", "Lac Bay", "south coast"],
    Island.SINT_EUSTATIUS: ["Oranjestad", "Lower Town", "harbour"],
    Island.SABA: ["The Bottom", "Windwardside", "Fort Bay"],
    Island.AT_SEA: ["south of Bonaire", "between Saba and Sint Eustatius"],
    Island.OUTSIDE_CN: ["Curaçao", "Aruba"],
}
STORIES = [
    "Workers on a building site say their passports are kept by the employer.",
    "A bar employs women who appear to live on the premises and are never seen outside.",
    "A small boat landed at night; several people walked inland carrying bags.",
    "A domestic worker says she has not been paid for months and may not leave the house.",
    "Restaurant staff work seven days a week and sleep in a storeroom.",
    "A woman says she owes a large debt for her journey and must work it off.",
]


def demo_accounts() -> list[tuple[str, str, list[str]]]:
    """(username, organisation code, roles) of every demo account."""
    accounts = [
        (f"reporter.{code}", code, [Role.REPORTER])
        for code in Organisation.objects.filter(is_active=True).values_list("code", flat=True)
    ]
    return accounts + [
        ("analyst.kpcn", "kpcn", [Role.ANALYST]),
        ("analyst.kmar", "kmar", [Role.ANALYST]),
        ("analyst.om", "om", [Role.ANALYST]),
        ("coordinator", "kpcn", [Role.COORDINATOR]),
        ("manager", "kpcn", [Role.MANAGER]),
        ("auditor", "kpcn", [Role.AUDITOR]),
    ]


def ensure_demo_accounts(password: str) -> int:
    """Demo accounts; those that must log in with a one-time code get an authenticator whose
    current code `manage.py demo_code USERNAME` prints (DEBUG only)."""
    organisations = {o.code: o for o in Organisation.objects.all()}
    created = 0
    for username, code, roles in demo_accounts():
        user = User.objects.filter(username=username).first()
        if user is not None:
            # Only accounts this command made (demo addresses) get the demo password again.
            if user.email == f"{username}@{DEMO_DOMAIN}":
                user.set_password(password)
                user.save(update_fields=["password"])
            continue
        first, _, last = username.partition(".")
        user = user_create(
            actor=None, username=username, organisation=organisations[code], roles=roles,
            password=password, email=f"{username}@{DEMO_DOMAIN}",
            first_name=first.capitalize(), last_name=(last or "demo").upper(),
            phone="+599 700 0000",
        )
        if two_factor_required(user):
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        created += 1
    return created


def _person(rng: random.Random, role: str) -> dict:
    country = rng.choice(list(GIVEN))
    born = None
    age = None
    if rng.random() < 0.6:
        born = dt.date(rng.randint(1965, 2007), rng.randint(1, 12), rng.randint(1, 28))
    else:
        age = rng.randint(16, 55)
    return {
        "role": role,
        "given_names": rng.choice(GIVEN[country]),
        "family_name": rng.choice(FAMILY[country]),
        "sex": rng.choice([Sex.FEMALE, Sex.MALE]),
        "date_of_birth": born,
        "estimated_age": age,
        "nationality": country,
        "phone": f"+599 7{rng.randint(10, 99)} {rng.randint(1000, 9999)}",
    }


QUESTIONS = [
    ("How many workers did you see, and did any of them speak to you?",
     "About eight. Two spoke to me in Spanish; they said they work every day."),
    ("Do you know the name of the business or its address?",
     "It is the building site behind the supermarket; the sign says Demo Bouw."),
    ("Was anyone hurt or in need of medical help?",
     "Not that I could see; one woman looked very tired and frightened."),
    ("When did you last see the persons at this place?",
     "Last Thursday evening, around nine o'clock."),
    ("Can the person be reached safely by phone?",
     "No, the employer keeps her phone. Only through the church on Sunday."),
]
DECLINE_REASONS = [
    "No indications of trafficking or smuggling; passed to the labour inspectorate.",
    "Duplicate of an earlier signal about the same situation.",
    "Too little information to act on and the reporter cannot add more.",
    "A labour dispute about wages without indicators of exploitation.",
]
NOTES = [
    "Checked the business register: the company has two directors, one abroad.",
    "Discussed in the weekly casework meeting; KMar checks the travel movements.",
    "The victim is in a safe place; Slachtofferhulp is in contact.",
    "Phone number also appears in an older signal; linked.",
]
CLOSE_REASONS = [
    "Investigation finished and the verdict is final.",
    "No further leads; the persons left the island.",
    "Handed over to the RST, which continues the case.",
    "Administrative measures taken; no criminal case.",
]
CONTROL_SECTORS = [Sector.CONSTRUCTION, Sector.HOSPITALITY, Sector.SEX_WORK,
                   Sector.AGRICULTURE_FISHING, Sector.RETAIL, Sector.DOMESTIC_WORK]
CONTROL_GOALS = [
    "Check working conditions, permits and housing of the staff.",
    "Check residence documents and licences in the nightlife sector.",
    "Joint check of building sites after signals about withheld passports.",
    "Check fishing vessels and crew documents in the harbour.",
]
CANCEL_REASONS = [
    "Not enough staff available because of a hurricane warning.",
    "The directing organisation postponed it; a new date follows.",
]
REPORT_COMMENTARY = (
    "Demo commentary. Most signals this quarter came from Bonaire, as before; the joint "
    "controls on building sites led to two new dossiers on labour exploitation. The partners "
    "agreed to train the reception staff of the island governments in recognising signals.")
BUSINESS_WORDS = ["Bouw", "Bar", "Resto", "Snack", "Hotel", "Minimarket", "Cleaning",
                  "Fishing", "Beauty", "Farm"]
TITLE_WORDS = {
    ExploitationForm.LABOUR: "labour exploitation",
    ExploitationForm.SEXUAL: "sexual exploitation",
    ExploitationForm.SMUGGLING: "people smuggling",
    ExploitationForm.CRIMINAL: "criminal exploitation",
}


def business_name(rng: random.Random) -> str:
    return f"Demo {rng.choice(BUSINESS_WORDS)} {rng.randint(1, 99)} B.V."


def dossier_title(rng: random.Random, signal: Signal) -> str:
    codes = sorted(signal.form_codes)
    what = next((TITLE_WORDS[c] for c in codes if c in TITLE_WORDS), "possible exploitation")
    return f"{what}, {signal.location or signal.get_island_display()}"


def demo_signal_input(rng: random.Random, reporter: User, *, island: str, story: str,
                      persons: list[dict], observed_on: dt.date) -> SignalInput:
    """An invented signal as a reporter of this organisation files it on the web form."""
    forms = rng.sample(
        [ExploitationForm.LABOUR, ExploitationForm.SEXUAL, ExploitationForm.SMUGGLING,
         ExploitationForm.CRIMINAL, ExploitationForm.OTHER], k=rng.choice([1, 1, 2]))
    return SignalInput(
        reporter_name=reporter.get_full_name(),
        reporter_organisation=reporter.organisation,
        reporter_phone=reporter.phone,
        reporter_email=reporter.email,
        observed_on=observed_on,
        island=island,
        location=rng.choice(PLACES[island]),
        sector=rng.choice(Sector.values),
        description=story,
        immediate_danger=rng.random() < 0.05,
        forms=forms,
        indicators=rng.sample(Indicator.values, k=rng.randint(0, 3)),
        persons=persons,
        businesses=[{"name": business_name(rng)}] if rng.random() < 0.4 else [],
    )


def create_demo_signals(count: int, seed: int) -> int:
    """A few recent signals only (`seed_demo --signals N`): quick, for tests and trials."""
    rng = random.Random(seed)
    reporters = list(User.objects.filter(role_grants__role=Role.REPORTER)
                     .select_related("organisation"))
    today = timezone.localdate()
    for _ in range(count):
        reporter = rng.choice(reporters)
        island = rng.choices(list(PLACES), weights=[6, 2, 1, 1, 1])[0]
        persons = [_person(rng, PersonRole.VICTIM) for _ in range(rng.randint(0, 2))]
        persons += [_person(rng, PersonRole.SUSPECT) for _ in range(rng.randint(0, 1))]
        signal, _ = signal_submit(
            actor=reporter,
            channel=Channel.WEB,
            data=demo_signal_input(rng, reporter, island=island, story=rng.choice(STORIES),
                                   persons=persons,
                                   observed_on=today - dt.timedelta(days=rng.randint(0, 400))),
        )
        # Spread the demo over the past weeks, so waiting times and follow-up look real.
        received = timezone.now() - dt.timedelta(hours=rng.randint(1, 24 * 45))
        Signal.objects.filter(pk=signal.pk).update(received_at=received,
                                                   last_processed_at=received)
    return count
