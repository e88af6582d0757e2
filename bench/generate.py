"""A register full of invented casework, written fast, with a known truth.

Signals spread over years, islands, forms and sectors; the same invented individuals recur
across signals, written down as partners really do (signals.synthetic.vary); analysts took most
signals into the register, linked the mentions to register persons and compiled dossiers with
follow-up; some dossiers are restricted; controls were held; and every step left its event in
a valid hash chain. `bench.MentionTruth` says which individual each mention really is.

Rows are built in Python in batches and written with COPY (bench.bulk). Nothing here is real.
"""

import datetime as dt
import json
import random
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from bench.batches import TABLES, Batch, Writer
from bench.bulk import IdBlock, reset_sequences, table_of
from casework.persons import MentionFacts, identifiers_for
from controls.models import Control, ControlFinding
from register.models import (
    AuditEvent,
    Dossier,
    DossierPerson,
    FollowUpAction,
    Organisation,
    Role,
    User,
)
from register.models.audit import GENESIS_HASH, chain_hash, event_payload
from register.names import digits, name_key, phone_key, phonetic_key
from signals.demo import PLACES, STORIES
from signals.models import ReferenceCounter
from signals.services import age_at
from signals.synthetic import SyntheticPerson, invent, vary
from signals.vocab import (
    AgeBand,
    Channel,
    ExploitationForm,
    Indicator,
    Island,
    PersonRole,
    Sector,
    SignalStatus,
)

BATCH = 5_000
USERNAME_PREFIX = "synthetic."
OPEN_DAYS = 21           # signals younger than this still wait in the inbox
RECUR = 0.35             # a mention is an individual seen before
RESTRICTED = 0.04        # share of dossiers restricted to named analysts
BUSINESS_WORDS = ["Bar", "Snack", "Bouw", "Construction", "Hotel", "Restaurant", "Minimarket",
                  "Cleaning", "Fishing", "Beauty", "Car Rental", "Security", "Farm", "Club"]
VESSEL_WORDS = ["Esperanza", "Caribe", "Stella Maris", "Bon Bini", "La Gaviota", "Mi Sueño",
                "Saba Star", "Orion", "Pelikaan", "Dushi"]
ISLAND_WEIGHTS = {Island.BONAIRE: 60, Island.SINT_EUSTATIUS: 14, Island.SABA: 10,
                  Island.AT_SEA: 11, Island.OUTSIDE_CN: 5}
CONTROL_ISLANDS = [Island.BONAIRE, Island.SINT_EUSTATIUS, Island.SABA]


@dataclass
class Stats:
    signals: int = 0
    mentions: int = 0
    persons: int = 0
    identifiers: int = 0
    dossiers: int = 0
    restricted: int = 0
    follow_ups: int = 0
    controls: int = 0
    audit_events: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Staff:
    reporters: list[User]
    analysts: list[User]

    @property
    def bench_analyst(self) -> User:
        """The analyst the benchmarks act as: granted some restricted dossiers, not all."""
        return self.analysts[0]


def ensure_staff() -> Staff:
    """Synthetic accounts: a reporter per organisation, three analysts per analyst
    organisation. Kept across runs so sessions and tokens of a benchmark stay valid."""
    reporters, analysts = [], []
    for org in Organisation.objects.filter(is_active=True).order_by("code"):
        reporters.append(_account(f"{USERNAME_PREFIX}reporter.{org.code}", org, Role.REPORTER))
        if org.may_hold_analysts:
            analysts += [_account(f"{USERNAME_PREFIX}analyst.{org.code}.{n}", org, Role.ANALYST)
                         for n in (1, 2, 3)]
    analysts.sort(key=lambda u: (u.organisation.code != "kpcn", u.username))
    return Staff(reporters, analysts)


def _account(username: str, org: Organisation, role: str) -> User:
    user, made = User.objects.get_or_create(username=username, defaults={
        "organisation": org, "email": f"{username}@synthetic.example.invalid"})
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.role_grants.create(role=role)
    return user


class Generator:
    def __init__(self, *, signals: int, seed: int = 1, years: int = 10,
                 end: dt.datetime | None = None, log=print):
        self.total, self.rng, self.log = signals, random.Random(seed), log
        self.end = end or timezone.now().replace(microsecond=0)
        self.start = self.end - dt.timedelta(days=365 * years)
        self.stats = Stats()
        self.staff = ensure_staff()
        self.orgs = list(Organisation.objects.filter(is_active=True))
        self.analyst_orgs = [o for o in self.orgs if o.may_hold_analysts]
        self.view_dossier = Permission.objects.get(codename="view_dossier",
                                                   content_type__app_label="register").pk
        self.ids = {key: IdBlock(table_of(TABLES[key]))
                    for key in ("signal", "mention", "person", "dossier", "control", "audit")}
        self.prev_hash = (AuditEvent.objects.order_by("-id").values_list("hash", flat=True)
                          .first() or GENESIS_HASH)
        self.references = dict(ReferenceCounter.objects.values_list("year", "last_number"))
        from register.models import DossierCounter
        self.dossier_numbers = dict(DossierCounter.objects.values_list("year", "last_number"))
        # The invented individuals, and the register person each became once taken in.
        self.individuals: list[SyntheticPerson] = []
        self.person_of: dict[int, int] = {}
        self.open_dossier: dict[str, tuple[int, int, dt.datetime]] = {}
        self.dossier_roles: set[tuple[int, int, str]] = set()
        self.roles: dict[int, str] = {}

    # -- the whole run ---------------------------------------------------------------------

    def run(self) -> Stats:
        span = (self.end - self.start).total_seconds()
        writer = Writer(background=not connection.in_atomic_block)
        for first in range(0, self.total, BATCH):
            batch = Batch()
            for i in range(first, min(first + BATCH, self.total)):
                at = self.start + dt.timedelta(seconds=span * (i + self.rng.random())
                                               / self.total)
                self._signal(batch, at)
            self._controls(batch, (min(first + BATCH, self.total) - first) // 100)
            batch.events.sort(key=lambda e: e[0])
            for event in batch.events:
                batch.add("audit", self._chained(*event))
            self.stats.audit_events += len(batch.events)
            writer.put(batch.rows)
            self.log(f"  {min(first + BATCH, self.total):>9,} signals")
        writer.close()
        self._finish()
        return self.stats

    def _finish(self) -> None:
        with transaction.atomic():
            for year, number in self.references.items():
                ReferenceCounter.objects.update_or_create(year=year,
                                                          defaults={"last_number": number})
            from register.models import DossierCounter
            for year, number in self.dossier_numbers.items():
                DossierCounter.objects.update_or_create(year=year,
                                                        defaults={"last_number": number})
        reset_sequences(table_of(TABLES[key]) for key in TABLES if key != "truth")
        reset_sequences(["register_dossier_assigned_analysts"])
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # What autovacuum would do in time: statistics for the planner, and the
                # visibility map that lets counts read indexes only.
                cursor.execute("VACUUM ANALYZE")

    # -- one signal ------------------------------------------------------------------------

    def _signal(self, batch: Batch, received: dt.datetime) -> None:
        rng = self.rng
        sid = self.ids["signal"].take()
        reporter = rng.choice(self.staff.reporters)
        analyst = rng.choice(self.staff.analysts)
        age = (self.end - received).days
        status = (rng.choices([SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE,
                               SignalStatus.QUESTION], [5, 3, 2])[0] if age < OPEN_DAYS else
                  rng.choices([SignalStatus.IN_REGISTER, SignalStatus.NOT_TAKEN_UP], [85, 15])[0])
        island = rng.choices(list(ISLAND_WEIGHTS), list(ISLAND_WEIGHTS.values()))[0]
        observed = (received - dt.timedelta(days=rng.randint(0, 10))).date()
        forms = rng.sample(ExploitationForm.values, k=rng.choice([1, 1, 1, 2]))
        triaged = status not in (SignalStatus.RECEIVED,)
        triaged_at = received + dt.timedelta(hours=rng.randint(2, 120)) if triaged else None
        year = timezone.localtime(received).year
        self.references[year] = number = self.references.get(year, 0) + 1
        reference = f"MH-{year}-{number:06d}"
        dossier_id = None
        if status == SignalStatus.IN_REGISTER and rng.random() < 0.7:
            dossier_id = self._dossier_for(batch, island, triaged_at, analyst, forms[0])
        batch.add("signal", (
            sid, reference, status,
            rng.choices([Channel.WEB, Channel.API, Channel.PAPER], [6, 3, 1])[0], received,
            reporter.pk, None, "", f"Medewerker {reporter.organisation.code.upper()}",
            reporter.organisation_id, "", "", observed, island, rng.choice(PLACES[island]),
            rng.choice(Sector.values), rng.choice(STORIES), rng.random() < 0.03,
            triaged_at or received, dossier_id, triaged_at, analyst.pk if triaged else None,
            "Geen aanwijzingen" if status == SignalStatus.NOT_TAKEN_UP else "",
            rng.choice("ABCD") if triaged else "", rng.choice("1234") if triaged else "",
            # Triage starts with an explicit take-up by the analyst who then works on it.
            analyst.pk if triaged else None, triaged_at))
        for code in forms:
            batch.add("form", (sid, code))
        for code in rng.sample(Indicator.values, k=rng.randint(1, 4)):
            batch.add("indicator", (sid, code))
        linked = status == SignalStatus.IN_REGISTER
        for position in range(rng.choices([1, 2, 3], [50, 35, 15])[0]):
            self._mention(batch, sid, position, observed, linked, analyst, triaged_at,
                          dossier_id, forms[0])
        if rng.random() < 0.3:
            name = f"{rng.choice(BUSINESS_WORDS)} {rng.choice(VESSEL_WORDS)} {rng.randint(1, 99)}"
            registration = f"{rng.randint(10000, 99999)}" if rng.random() < 0.5 else ""
            batch.add("business", (sid, 0, name, registration, "", name_key(name)))
        if rng.random() < 0.1:
            name = rng.choice(VESSEL_WORDS)
            registration = f"BON{rng.randint(100, 999)}" if rng.random() < 0.6 else ""
            batch.add("vehicle", (sid, 0, "vessel", name, registration, "",
                                  digits(registration) or name_key(name)))
        self._signal_events(batch, sid, reference, received, reporter, analyst, status,
                            triaged_at, dossier_id)
        self.stats.signals += 1

    def _mention(self, batch, sid, position, observed, linked, analyst, triaged_at, dossier_id,
                 form) -> None:
        rng = self.rng
        if self.individuals and rng.random() < RECUR:
            # Cases cluster: most returning individuals were seen recently.
            pool = len(self.individuals)
            truth = (rng.randrange(max(0, pool - 2000), pool) if rng.random() < 0.6
                     else rng.randrange(pool))
            written = vary(rng, self.individuals[truth])
        else:
            truth = len(self.individuals)
            self.individuals.append(invent(rng, truth))
            written = self.individuals[truth]
        mid = self.ids["mention"].take()
        role = rng.choices(PersonRole.values, [60, 25, 10, 5])[0]
        person_id = None
        if linked:
            person_id = self.person_of.get(truth)
            if person_id is None:
                person_id = self.person_of[truth] = self.ids["person"].take()
                batch.add("person", (person_id, written.family_name, written.given_names, "",
                                     "", written.date_of_birth, written.nationality, triaged_at,
                                     analyst.pk))
                batch.events.append((triaged_at, analyst, "register.person.created",
                                     "register.person", person_id, f"P-{person_id}", [], {}))
                self.stats.persons += 1
            facts = MentionFacts(family_name=written.family_name,
                                 given_names=written.given_names,
                                 date_of_birth=written.date_of_birth, phone=written.phone,
                                 document_number=written.document_number)
            born = written.date_of_birth
            for kind, value in dict.fromkeys(identifiers_for(facts)):
                batch.add("identifier", (person_id, mid, kind, value, born,
                                         born.year if born else None))
                self.stats.identifiers += 1
            if dossier_id and role in (PersonRole.VICTIM, PersonRole.SUSPECT):
                self._dossier_role(batch, dossier_id, person_id, role, observed, form)
        sex = rng.choice(["female", "male", "unknown"])
        stand_in = _Born(written.date_of_birth)
        batch.add("mention", (
            mid, sid, position, role, written.family_name, written.given_names, "", sex,
            written.date_of_birth, None, written.nationality,
            "passport" if written.document_number else "", written.document_number,
            written.phone, "", name_key(written.given_names, written.family_name),
            phonetic_key(written.given_names, written.family_name), phone_key(written.phone),
            digits(written.document_number), person_id,
            AgeBand.for_age(age_at(stand_in, observed))))
        batch.add("truth", (mid, truth))
        self.stats.mentions += 1

    def _signal_events(self, batch, sid, reference, received, reporter, analyst, status,
                       triaged_at, dossier_id) -> None:
        rng, events = self.rng, batch.events
        signal = ("signals.signal", sid, reference)
        events.append((received, reporter, "signals.signal.created", *signal, [],
                       {"channel": "web", "persons": 1, "businesses": 0, "vehicles": 0,
                        "attachments": 0}))
        if rng.random() < 0.2:
            events.append((received, analyst, "signals.inbox.listed", "signals.signal", "", "",
                           [sid - k for k in range(25) if sid - k > 0], {"view": "open"}))
        if triaged_at is None:
            return
        later = triaged_at
        for _ in range(rng.randint(2, 6)):
            later += dt.timedelta(minutes=rng.randint(1, 600))
            events.append((later, rng.choice(self.staff.analysts), "signals.signal.viewed",
                           *signal, [], {}))
        events.append((triaged_at, analyst, "signals.signal.taken_up", *signal, [], {}))
        events.append((triaged_at, analyst, "signals.signal.graded", *signal, [], {}))
        if status == SignalStatus.IN_REGISTER:
            events.append((triaged_at, analyst, "signals.signal.taken_in", *signal, [], {}))
        elif status == SignalStatus.NOT_TAKEN_UP:
            events.append((triaged_at, analyst, "signals.signal.not_taken_up", *signal, [], {}))
        if dossier_id:
            events.append((later, analyst, "register.dossier.viewed", "register.dossier",
                           dossier_id, "", [], {}))

    # -- dossiers --------------------------------------------------------------------------

    def _dossier_for(self, batch, island, at, analyst, form) -> int:
        """Signals of one island within a few weeks tend to form one case."""
        current = self.open_dossier.get(island)
        if current and current[1] > 0 and (at - current[2]).days < 30:
            self.open_dossier[island] = (current[0], current[1] - 1, current[2])
            return current[0]
        rng = self.rng
        did = self.ids["dossier"].take()
        self.open_dossier[island] = (did, rng.choice([0, 0, 1, 1, 2, 3]), at)
        year = timezone.localtime(at).year
        self.dossier_numbers[year] = number = self.dossier_numbers.get(year, 0) + 1
        closed = (self.end - at).days > 365 and rng.random() < 0.8
        status = Dossier.Status.CLOSED if closed else rng.choice(
            [Dossier.Status.OPEN, Dossier.Status.IN_ANALYSIS, Dossier.Status.IN_FOLLOW_UP])
        restricted = rng.random() < RESTRICTED
        updated = min(at + dt.timedelta(days=rng.randint(1, 200)), self.end)
        batch.add("dossier", (did, f"DS-{year}-{number:04d}",
                              f"{rng.choice(BUSINESS_WORDS)} {island} {number}", status,
                              "Afgerond" if closed else "", rng.choice([1, 2, 2, 3, 4]),
                              restricted, analyst.pk, at, updated, updated if closed else None))
        batch.add("assigned", (did, analyst.pk))
        if restricted:
            granted = {analyst.pk, rng.choice(self.staff.analysts).pk}
            if rng.random() < 0.2:
                granted.add(self.staff.bench_analyst.pk)
            for user_id in granted:
                batch.add("grant", (self.view_dossier, user_id, did))
            self.stats.restricted += 1
        self._follow_ups(batch, did, at, analyst)
        batch.events.append((at, analyst, "register.dossier.created", "register.dossier", did,
                             f"DS-{year}-{number:04d}", [], {}))
        self.stats.dossiers += 1
        return did

    def _follow_ups(self, batch, did, at, analyst) -> None:
        rng, kinds = self.rng, FollowUpAction.Kind
        chain = []
        if rng.random() < 0.6:
            chain.append((kinds.INVESTIGATION, FollowUpAction.Outcome.DONE))
            if rng.random() < 0.5:
                chain.append((kinds.PROSECUTION, FollowUpAction.Outcome.DONE))
                if rng.random() < 0.7:
                    chain.append((kinds.VERDICT, rng.choices(
                        [FollowUpAction.Outcome.CONVICTION, FollowUpAction.Outcome.ACQUITTAL],
                        [8, 2])[0]))
        if rng.random() < 0.4:
            chain.append((kinds.VICTIM_CARE, FollowUpAction.Outcome.DONE))
        if rng.random() < 0.2:
            chain.append((rng.choice([kinds.LICENCE_REVOKED, kinds.TAX_FINE,
                                      kinds.INFORMATION_SHARED, kinds.REFERRED_KINGDOM]),
                          FollowUpAction.Outcome.DONE))
        day = at.date()
        for kind, outcome in chain:
            day += dt.timedelta(days=rng.randint(5, 120))
            happened = day if day <= self.end.date() else None
            batch.add("follow_up", (did, kind, rng.choice(self.analyst_orgs).pk, day,
                                    outcome if happened else FollowUpAction.Outcome.PLANNED,
                                    happened, "", analyst.pk, at))
            self.stats.follow_ups += 1

    def _dossier_role(self, batch, did, person_id, role, observed, form) -> None:
        key = (did, person_id, role)
        if key in self.dossier_roles:
            return
        self.dossier_roles.add(key)
        victim = role == PersonRole.VICTIM
        status = self.rng.choices(list(DossierPerson.VictimStatus.values), [3, 5, 3, 1])[0] \
            if victim else ""
        batch.add("dossier_person", (did, person_id, role, status,
                                     "police" if victim else "", observed,
                                     form if victim else ""))

    # -- controls --------------------------------------------------------------------------

    def _controls(self, batch: Batch, count: int) -> None:
        rng = self.rng
        signals = batch.rows["signal"]
        for _ in range(max(1, count)):
            cid = self.ids["control"].take()
            row = rng.choice(signals)
            planned = row[4].date()
            island = rng.choice(CONTROL_ISLANDS)
            held = rng.random() < 0.85
            planner = rng.choice(self.staff.reporters)
            initiating, directing = rng.choice(self.orgs), rng.choice(self.analyst_orgs)
            batch.add("control", (
                cid, island, rng.choice(PLACES[island]), rng.choice(Sector.values), planned,
                initiating.pk, directing.pk, "Controle op arbeidsomstandigheden", "", "",
                Control.Status.HELD if held else Control.Status.CANCELLED,
                planned if held else None, "" if held else "Weersomstandigheden",
                rng.randint(3, 40) if held else None, rng.randint(1, 8) if held else None,
                rng.randint(0, 3) if held else None, rng.randint(0, 5) if held else None, "",
                row[4] + dt.timedelta(days=2) if held else None, planner.pk, row[4]))
            for org in rng.sample(self.orgs, k=min(len(self.orgs), rng.randint(2, 4))):
                batch.add("participant", (cid, org.pk, "", held or None))
                if held and rng.random() < 0.5:
                    batch.add("finding", (cid, org.pk, rng.choice(ControlFinding.Category.values),
                                          rng.randint(1, 6), "", planner.pk, row[4]))
            batch.add("control_business", (cid, f"{rng.choice(BUSINESS_WORDS)} {cid}", "",
                                           held))
            if held and rng.random() < 0.3:
                batch.add("control_signal", (cid, row[0]))
            batch.events.append((row[4], planner, "controls.control.planned", "controls.control",
                                 cid, f"CO-{cid}", [], {}))
            self.stats.controls += 1

    # -- the audit chain -------------------------------------------------------------------

    def _chained(self, at, actor, action, object_type, object_id, object_ref, result_ids,
                 detail) -> tuple:
        at = at.astimezone(dt.UTC)
        roles = self.roles.get(actor.pk)
        if roles is None:
            roles = self.roles[actor.pk] = ",".join(sorted(actor.role_codes))
        values = (at, actor.pk, actor.username, actor.organisation.code, roles, action,
                  object_type, str(object_id), object_ref,
                  f"{self.rng.getrandbits(128):032x}", f"192.0.2.{self.rng.randint(1, 254)}",
                  [str(i) for i in result_ids], detail)
        digest = chain_hash(self.prev_hash, event_payload(*values))
        row = (self.ids["audit"].take(), *values[:-2], json.dumps(values[-2]),
               json.dumps(values[-1]), self.prev_hash, digest)
        self.prev_hash = digest
        return row


@dataclass(frozen=True)
class _Born:
    """What signals.services.age_at reads of a mention."""

    date_of_birth: dt.date | None
    estimated_age: int | None = None
