"""A demo register that looks lived in: years of invented casework, seeded through the services.

`make run` on an empty database calls `seed_demo`, which calls `seed_lived_in_register`: from
six years ago until today, reporters file signals, analysts take them up, ask the reporters
questions, decline some and take the rest in, open dossiers with follow-up and victim
decisions (a few restricted to named analysts), partners plan and hold controls against the
targets, the manager handles data-subject requests, the annual and quarterly reports are made
in January and October, and the retention job lists what is past its period.

Everything goes through the real service functions, in the order it happened, with the clock
set to the moment it happens (`simulated_clock`): every timestamp, reference and dossier
number is what the app itself would have written, and the audit trail is one valid chain in
time order. A fixed random seed and days counted back from today make every fresh run hold
the same register relative to today.

It lives here because the seeding needs controls and reporting (layering: register <- signals
<- controls <- reporting). Nothing in it is real: names come from signals.synthetic, places
and stories from signals.demo.
"""

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.dossiers import (
    dossier_add_note,
    dossier_add_signals,
    dossier_open,
    dossier_person_update,
    dossier_restrict,
    dossier_update,
    follow_up_add,
)
from casework.need_to_know import persons_visible_to
from casework.triage import (
    mention_link,
    question_answer,
    triage_ask,
    triage_decline,
    triage_grade,
    triage_take_in,
    triage_take_up,
)
from controls.models import Control, ControlFinding
from controls.services import control_plan, control_record, finding_add, target_set
from register.models import (
    Dossier,
    DossierPerson,
    FollowUpAction,
    Organisation,
    SubjectRequest,
    User,
)
from register.services.notifications import notifications_read
from register.services.privacy import (
    retention_review_create,
    subject_request_create,
    subject_request_decide,
    subject_request_search,
    subject_request_verify_identity,
)
from reporting.figures import Period
from reporting.models import Report, ReportKind
from reporting.services import (
    report_claim_scheduled,
    report_comment,
    report_make,
    report_request,
)
from signals import demo as signal_demo
from signals.models import Signal, SignalPerson
from signals.services import signal_submit
from signals.synthetic import SyntheticPerson, invent, vary
from signals.vocab import Channel, ExploitationForm, Island, PersonRole, Sex, SignalStatus

DEMO_SEED = 2017
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
# Signals per year, counted back from this year: the register grew as partners got used to it.
SIGNALS_PER_YEAR = (70, 55, 45, 35)
# Signals of the last days whose story stops early, whatever the random draw: (days ago, stop)
OPEN_SIGNALS = ((0, "received"), (1, "received"), (2, "received"), (1, "taken_up"),
                (3, "taken_up"), (4, "asked"), (6, "asked"))
RECENT_SIGNALS = 12    # in the last fortnight, on top of this year's number
OLD_SIGNALS = 8        # processed more than RETENTION_YEARS ago: due for retention
RECUR = 0.2            # a mentioned person was seen in an earlier signal
RESTRICT_EVERY = 7     # every so many dossiers one is restricted to named analysts
# Control targets per island, from the first demo year, and raised two years later.
TARGETS = {Island.BONAIRE: (6, 8), Island.SINT_EUSTATIUS: (2, 3), Island.SABA: (2, 2)}
REPORTER_WEIGHTS = {"kpcn": 8, "kmar": 6, "szw": 5, "ind": 4, "olb": 3, "oles": 1, "ols": 1,
                    "voogdijraad": 1, "slachtofferhulp": 2, "kustwacht": 2, "douane": 1,
                    "om": 1, "rst": 1}


@contextmanager
def simulated_clock(start: dt.datetime) -> Iterator[dict]:
    """While seeding, `timezone.now()` answers the moment the demo has reached, so the
    services stamp their rows and audit events as if it happened then. Django and this
    project read the time through `django.utils.timezone.now`, so that one name is enough.
    Seeding runs before the servers start; nothing else reads the clock meanwhile."""
    original = timezone.now
    clock = {"now": start.astimezone(dt.UTC)}
    timezone.now = lambda: clock["now"]
    try:
        yield clock
    finally:
        timezone.now = original


@dataclass(order=True)
class _Step:
    moment: dt.datetime
    order: int
    action: Callable[[], None] = field(compare=False)


class Timeline:
    """Steps run in time order, each with the clock at its moment. A step may plan later
    steps; a step that would happen after today never runs, which is how recent signals stay
    in the inbox and controls still to come stay planned."""

    def __init__(self, clock: dict, today: dt.datetime):
        self.clock, self.today = clock, today
        self._steps: list[_Step] = []
        self._order = itertools.count()

    def at(self, moment: dt.datetime, action: Callable[[], None]) -> None:
        if moment <= self.today:
            heapq.heappush(self._steps, _Step(moment, next(self._order), action))

    def run(self) -> None:
        while self._steps:
            step = heapq.heappop(self._steps)
            # In UTC, as timezone.now() itself answers: the audit hash covers the time as text.
            self.clock["now"] = max(self.clock["now"], step.moment.astimezone(dt.UTC))
            with transaction.atomic():
                step.action()


@dataclass
class DemoCounts:
    signals: int = 0
    dossiers: int = 0
    restricted: int = 0
    controls: int = 0
    reports: int = 0
    subject_requests: int = 0
    retention_items: int = 0


class _LivedIn:
    def __init__(self, rng: random.Random, timeline: Timeline, today: dt.datetime):
        self.rng, self.timeline, self.today = rng, timeline, today
        self.users = {u.username: u for u in User.objects.select_related("organisation")}
        self.organisations = {o.code: o for o in Organisation.objects.all()}
        self.reporters = [self.users[f"reporter.{code}"] for code in REPORTER_WEIGHTS
                          if f"reporter.{code}" in self.users]
        self.reporter_weights = [REPORTER_WEIGHTS[u.organisation.code] for u in self.reporters]
        self.seen: list[SyntheticPerson] = []   # invented individuals, for recurrence
        self.truth_to_person: dict[int, int] = {}  # invented individual -> register person
        self.mention_truth: dict[int, int] = {}    # mention id -> invented individual
        self.open_dossiers: list[Dossier] = []
        self.counts = DemoCounts()
        self.report_ids: list[str] = []    # the reports this seeding asked for
        self.report_files: list[str] = []  # stored PDFs, removed again if seeding fails

    # People and signals -------------------------------------------------------------------

    def _mention(self, role: str) -> dict:
        rng = self.rng
        if self.seen and rng.random() < RECUR:
            person = vary(rng, rng.choice(self.seen))
        else:
            person = invent(rng, truth=len(self.seen))
            self.seen.append(person)
        values = {
            "role": role, "given_names": person.given_names, "family_name": person.family_name,
            "sex": rng.choices([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN], weights=[5, 4, 1])[0],
            "nationality": person.nationality, "phone": person.phone,
        }
        if person.date_of_birth and rng.random() < 0.7:
            values["date_of_birth"] = person.date_of_birth
        else:
            values["estimated_age"] = rng.randint(17, 50)
        if person.document_number:
            values.update(document_type="passport", document_number=person.document_number)
        values["_truth"] = person.truth
        return values

    def _signal_input(self, reporter: User, received: dt.datetime):
        rng = self.rng
        island = rng.choices(list(signal_demo.PLACES), weights=[12, 3, 2, 2, 1])[0]
        persons = [self._mention(PersonRole.VICTIM) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        persons += [self._mention(PersonRole.SUSPECT) for _ in range(rng.choice([0, 0, 1]))]
        truths = [p.pop("_truth") for p in persons]
        story = rng.choice(signal_demo.STORIES)
        data = signal_demo.demo_signal_input(
            rng, reporter, island=island, story=story, persons=persons,
            observed_on=timezone.localtime(received).date() - dt.timedelta(
                days=rng.choice([0, 0, 1, 2, 5, 12])))
        return data, truths

    def plan_signal(self, received: dt.datetime, *, old: bool = False,
                    stop: str = "") -> None:
        """File a signal then and plan what happened to it; `stop` ends its story early
        ("received", "taken_up", "asked"), so the inbox always shows each open status."""
        reporter = self.rng.choices(self.reporters, weights=self.reporter_weights)[0]
        analyst = self.users[self.rng.choices(["analyst.kpcn", "analyst.kmar", "analyst.om"],
                                              weights=[5, 3, 2])[0]]

        def submit():
            data, truths = self._signal_input(reporter, received)
            signal, _ = signal_submit(actor=reporter, channel=Channel.WEB, data=data)
            for mention, truth in zip(signal.persons.order_by("position"), truths, strict=True):
                self.mention_truth[mention.pk] = truth
            self.counts.signals += 1
            if stop != "received":
                self._plan_triage(signal, analyst, received, old=old, stop=stop)

        self.timeline.at(received, submit)

    def _plan_triage(self, signal: Signal, analyst: User, received: dt.datetime,
                     old: bool, stop: str) -> None:
        rng = self.rng
        taken_up = received + dt.timedelta(hours=rng.randint(2, 96 if not stop else 12))

        def take_up():
            triage_take_up(actor=analyst, signal=signal)
            triage_grade(actor=analyst, signal=signal, source=rng.choice("ABBCCD"),
                         information=rng.choice("12233"))

        self.timeline.at(taken_up, take_up)
        if stop == "taken_up":
            return
        decide_at = taken_up + dt.timedelta(hours=rng.randint(4, 24 * 6))
        if stop == "asked" or (not old and rng.random() < 0.25):
            question, answer = rng.choice(signal_demo.QUESTIONS)
            asked_at = taken_up + dt.timedelta(hours=rng.randint(1, 48))
            answered_at = asked_at + dt.timedelta(hours=rng.randint(6, 24 * 10))
            decide_at = answered_at + dt.timedelta(hours=rng.randint(2, 72))
            asked = {}

            def ask():
                asked["question"] = triage_ask(actor=analyst, signal=signal, question=question)

            def reply():
                question_answer(actor=signal.submitted_by, question=asked["question"],
                                answer=answer)

            self.timeline.at(asked_at, ask)
            if stop == "asked":
                return
            self.timeline.at(answered_at, reply)

        def decide():
            signal.refresh_from_db()
            if signal.status not in (SignalStatus.IN_TRIAGE, SignalStatus.RECEIVED):
                return
            if rng.random() < 0.15:
                triage_decline(actor=analyst, signal=signal,
                               reason=rng.choice(signal_demo.DECLINE_REASONS))
                return
            self._link_known_persons(analyst, signal)
            triage_take_in(actor=analyst, signal=signal)
            if not old:
                self._file_in_dossier(analyst, signal)

        self.timeline.at(decide_at, decide)

    def _link_known_persons(self, analyst: User, signal: Signal) -> None:
        """The analyst confirms the suggestions that are right: the same invented individual
        seen before is linked to the register person made for them then."""
        for mention in signal.persons.filter(person__isnull=True):
            truth = self.mention_truth.get(mention.pk)
            person_id = self.truth_to_person.get(truth)
            # Only persons this analyst may see are ever suggested to them (need to know).
            if person_id is not None and persons_visible_to(analyst).filter(
                    pk=person_id).exists():
                mention_link(actor=analyst, mention=mention, person=_person(person_id))

    def _remember_persons(self, signal: Signal) -> None:
        for mention_id, person_id in signal.persons.values_list("pk", "person_id"):
            truth = self.mention_truth.get(mention_id)
            if truth is not None and person_id:
                self.truth_to_person.setdefault(truth, person_id)

    # Dossiers -----------------------------------------------------------------------------

    def _file_in_dossier(self, analyst: User, signal: Signal) -> None:
        self._remember_persons(signal)
        rng = self.rng
        now = timezone.now()
        joinable = [d for d in self.open_dossiers
                    if not d.restricted and now - d.created_at < dt.timedelta(days=120)
                    and d.signals.filter(island=signal.island).exists()]
        choice = rng.random()
        if joinable and choice < 0.3:
            dossier = rng.choice(joinable)
            dossier_add_signals(actor=analyst, dossier=dossier, signals=[signal])
            return
        if choice > 0.75:
            return  # stays in the register without a dossier, as many signals do
        title = f"{signal.get_island_display()}: {signal_demo.dossier_title(rng, signal)}"
        dossier = dossier_open(actor=analyst, signals=[signal], title=title,
                               priority=rng.choice([1, 2, 2, 2, 3, 3, 4]))
        self.open_dossiers.append(dossier)
        self.counts.dossiers += 1
        if analyst.username == "analyst.kpcn" and self.counts.dossiers % RESTRICT_EVERY == 1:
            # Need to know: this case is kept to KPCN and OM; KMar's analyst does not see it.
            dossier_restrict(actor=analyst, dossier=dossier,
                             analysts=[analyst, self.users["analyst.om"]])
            self.counts.restricted += 1
        self._plan_dossier(analyst, dossier, now)

    def _plan_dossier(self, analyst: User, dossier: Dossier, opened: dt.datetime) -> None:
        rng = self.rng
        at = self.timeline.at
        analysis = opened + dt.timedelta(days=rng.randint(2, 15))
        at(analysis, lambda: dossier_update(actor=analyst, dossier=dossier,
                                            values={"status": Dossier.Status.IN_ANALYSIS}))
        at(analysis + HOUR, lambda: dossier_add_note(
            actor=analyst, dossier=dossier, text=rng.choice(signal_demo.NOTES)))
        decided = analysis + dt.timedelta(days=rng.randint(3, 30))
        at(decided, lambda: self._decide_victims(analyst, dossier))
        org = self.organisations
        last = decided
        if rng.random() < 0.55:
            investigation = decided + dt.timedelta(days=rng.randint(1, 20))
            at(investigation, lambda: self._follow_up(analyst, dossier,
                                                      FollowUpAction.Kind.INVESTIGATION,
                                                      org["kpcn"]))
            last = investigation
            if rng.random() < 0.6:
                prosecution = investigation + dt.timedelta(days=rng.randint(40, 160))
                at(prosecution, lambda: self._follow_up(analyst, dossier,
                                                        FollowUpAction.Kind.PROSECUTION,
                                                        org["om"]))
                last = prosecution
                if rng.random() < 0.8:
                    verdict = prosecution + dt.timedelta(days=rng.randint(60, 240))
                    outcome = rng.choice([FollowUpAction.Outcome.CONVICTION] * 3
                                         + [FollowUpAction.Outcome.ACQUITTAL])
                    at(verdict, lambda: self._follow_up(analyst, dossier,
                                                        FollowUpAction.Kind.VERDICT, org["om"],
                                                        outcome=outcome))
                    last = verdict
        extra = rng.sample([
            (FollowUpAction.Kind.VICTIM_CARE, "slachtofferhulp"),
            (FollowUpAction.Kind.WORK_PERMIT_REVOKED, "szw"),
            (FollowUpAction.Kind.ADMINISTRATIVE_REPORT, "olb"),
            (FollowUpAction.Kind.INFORMATION_SHARED, "kmar"),
            (FollowUpAction.Kind.REFERRED_KINGDOM, "kmar"),
            (FollowUpAction.Kind.CLOSURE, "olb"),
        ], k=rng.choice([0, 1, 1, 2]))
        for kind, code in extra:
            moment = decided + dt.timedelta(days=rng.randint(1, 60))
            at(moment, lambda kind=kind, code=code: self._follow_up(analyst, dossier, kind,
                                                                    org[code]))
            last = max(last, moment)
        if rng.random() < 0.3:
            # Planned and not yet done: due a few weeks after it was agreed.
            planned = decided + dt.timedelta(days=rng.randint(1, 40))
            at(planned, lambda: self._follow_up(
                analyst, dossier, FollowUpAction.Kind.INFORMATION_SHARED, org["kpcn"],
                outcome=FollowUpAction.Outcome.PLANNED,
                due_on=timezone.localdate() + dt.timedelta(days=rng.randint(14, 60))))
        if rng.random() < 0.65:
            closed = last + dt.timedelta(days=rng.randint(20, 120))
            at(closed, lambda: self._close(analyst, dossier))

    def _follow_up(self, analyst: User, dossier: Dossier, kind: str, organisation,
                   outcome: str = FollowUpAction.Outcome.DONE, due_on=None) -> None:
        dossier.refresh_from_db()
        if dossier.status == Dossier.Status.CLOSED:
            return
        done = outcome != FollowUpAction.Outcome.PLANNED
        # Planned follow-up for another organisation is a task for its portfolio holders,
        # which needs a brief.
        follow_up_add(actor=analyst, dossier=dossier, kind=kind, organisation=organisation,
                      outcome=outcome, due_on=due_on,
                      happened_on=timezone.localdate() if done else None,
                      brief="" if done else "Graag nagaan en binnen de termijn terugkoppelen.")

    def _decide_victims(self, analyst: User, dossier: Dossier) -> None:
        rng = self.rng
        forms = set(dossier.signals.values_list("forms__code", flat=True)) & set(
            ExploitationForm.values)
        for role in dossier.persons.filter(role=DossierPerson.Role.SUSPECT,
                                           identified_on=None).order_by("pk"):
            dossier_person_update(actor=analyst, role=role,
                                  values={"identified_on": timezone.localdate()})
        for role in dossier.persons.filter(role=DossierPerson.Role.VICTIM,
                                           victim_status="").order_by("pk"):
            status = rng.choices(
                [DossierPerson.VictimStatus.PRESUMED, DossierPerson.VictimStatus.CONFIRMED,
                 DossierPerson.VictimStatus.POSSIBLE, DossierPerson.VictimStatus.NOT_A_VICTIM],
                weights=[5, 2, 2, 1])[0]
            dossier_person_update(actor=analyst, role=role, values={
                "victim_status": status,
                "status_decided_by": rng.choice([DossierPerson.DecidedBy.POLICE,
                                                 DossierPerson.DecidedBy.PROSECUTION]),
                "identified_on": timezone.localdate(),
                "form_of_exploitation": rng.choice(sorted(forms)) if forms else "",
            })

    def _close(self, analyst: User, dossier: Dossier) -> None:
        dossier.refresh_from_db()
        if dossier.status == Dossier.Status.CLOSED or dossier.merged_into_id:
            return
        dossier_update(actor=analyst, dossier=dossier, values={
            "status": Dossier.Status.CLOSED,
            "closed_reason": self.rng.choice(signal_demo.CLOSE_REASONS)})
        if dossier in self.open_dossiers:
            self.open_dossiers.remove(dossier)

    # Controls -----------------------------------------------------------------------------

    def plan_targets(self, first_year: int) -> None:
        manager = self.users["manager"]

        def set_targets(year, index):
            for island, targets in TARGETS.items():
                target_set(actor=manager, island=island, year=year, target=targets[index])

        self.timeline.at(_moment(dt.date(first_year, 1, 8), 10),
                         lambda: set_targets(first_year, 0))
        self.timeline.at(_moment(dt.date(first_year + 2, 1, 8), 10),
                         lambda: set_targets(first_year + 2, 1))

    def plan_controls(self, first_year: int) -> None:
        rng = self.rng
        today = timezone.localtime(self.today).date()
        for year in range(first_year, today.year + 1):
            for island, targets in TARGETS.items():
                target = targets[0 if year < first_year + 2 else 1]
                # Held close to the target; this year also a few still to come.
                count = max(1, target + rng.choice([-1, 0, 0, 1]))
                for n in range(count):
                    day = dt.date(year, 1, 20) + dt.timedelta(days=(n + rng.random()) * 330
                                                              / count)
                    planned_at = None
                    if year == today.year and n == count - 1:
                        day = today + dt.timedelta(days=rng.randint(7, 40))
                        planned_at = self.today - dt.timedelta(days=rng.randint(1, 10))
                    self._plan_control(island, day, planned_at)

    def _plan_control(self, island: str, day: dt.date, planned_at=None) -> None:
        rng = self.rng
        org = self.organisations
        initiating = rng.choice(["szw", "kpcn", "olb" if island == Island.BONAIRE else
                                 "oles" if island == Island.SINT_EUSTATIUS else "ols"])
        planner = self.users[f"reporter.{initiating}"]
        partners = rng.sample(["szw", "ind", "kpcn", "kmar", "douane"], k=3)
        control = {}
        place = rng.choice(signal_demo.PLACES[island])
        sector = rng.choice(signal_demo.CONTROL_SECTORS)

        def plan():
            control["it"] = control_plan(actor=planner, values={
                "island": island, "place": place, "sector": sector, "planned_on": day,
                "initiating_organisation": org[initiating],
                "directing_organisation": org["kpcn"],
                "goal": rng.choice(signal_demo.CONTROL_GOALS),
                "team": "", "briefing": ""},
                participants=[(org[code], "") for code in partners],
                businesses=[{"name": signal_demo.business_name(rng)}
                            for _ in range(rng.randint(1, 3))])
            self.counts.controls += 1

        def record():
            it = control["it"]
            if rng.random() < 0.1:
                control_record(actor=planner, control=it, status=Control.Status.CANCELLED,
                               values={"cancelled_reason": rng.choice(
                                   signal_demo.CANCEL_REASONS)}, took_part=[])
                return
            took_part = [p.organisation for p in it.participants.select_related(
                "organisation").order_by("pk") if rng.random() < 0.9] or [org[initiating]]
            control_record(actor=planner, control=it, status=Control.Status.HELD, values={
                "held_on": day, "persons_checked": rng.randint(4, 40),
                "businesses_checked": rng.randint(1, 5), "arrests": rng.choice([0, 0, 0, 1, 2]),
                "fines": rng.choice([0, 1, 2, 3]), "follow_up_agreed": ""}, took_part=took_part)
            for organisation in took_part[:2]:
                finder = self.users.get(f"reporter.{organisation.code}")
                if finder is None:
                    continue
                finding_add(actor=finder, control=it, category=rng.choice(
                    ControlFinding.Category.values), count=rng.randint(1, 6), description="")

        start = _moment(day, 9) - dt.timedelta(days=rng.randint(10, 30))
        self.timeline.at(planned_at or start, plan)
        self.timeline.at(_moment(day, 17), record)

    # The manager's duties -----------------------------------------------------------------

    def plan_subject_requests(self) -> None:
        manager = self.users["manager"]
        today = timezone.localtime(self.today).date()
        requests = [
            # (received, decided after days or None) -- one past retention, one answered,
            # one in its third week.
            (today - dt.timedelta(days=365 * 5 + 200), 18),
            (today - dt.timedelta(days=400), 21),
            (today - dt.timedelta(days=17), None),
        ]
        for received, decide_after in requests:
            def handle(received=received, decide_after=decide_after):
                subject = SignalPerson.objects.filter(role=PersonRole.VICTIM).exclude(
                    family_name="").order_by("pk").first()
                values = {"received_on": received, "requester_name": "Demo requester",
                          "requester_contact": "requester@demo.example.invalid",
                          "subject_family_name": subject.family_name if subject else "Demo",
                          "subject_given_names": subject.given_names if subject else "",
                          "subject_date_of_birth": subject.date_of_birth if subject else None}
                request = subject_request_create(actor=manager, values=values)
                subject_request_verify_identity(actor=manager, request=request,
                                                verified_on=received,
                                                method="Passport shown at the counter")
                findings = subject_request_search(actor=manager, request=request)
                self.counts.subject_requests += 1
                if decide_after is not None:
                    self.timeline.at(
                        _moment(received + dt.timedelta(days=decide_after), 11),
                        lambda: subject_request_decide(
                            actor=manager, request=request,
                            outcome=SubjectRequest.Outcome.INFORMED if findings
                            else SubjectRequest.Outcome.NOTHING_HELD, ground="",
                            decided_on=timezone.localdate(), notes=""))

            self.timeline.at(_moment(received, 10), handle)

    def plan_reports(self) -> None:
        """The annual reports as beat makes them each January for the year before (final at
        once), and the last complete quarter as the coordinator asked for it: a draft with
        commentary, waiting to be finalised. Rendered to PDF by the reporting services (a few
        seconds each, so four of them)."""
        today = timezone.localtime(self.today).date()
        for year in range(today.year - 3, today.year):
            self.timeline.at(_moment(dt.date(year + 1, 1, 3), 7),
                             lambda year=year: self._scheduled_report(Period.year(year)))
        quarter = (today.month - 1) // 3 or 4
        period = Period.quarter(today.year - (quarter == 4), quarter)
        self.timeline.at(_moment(period.end + dt.timedelta(days=6), 10),
                         lambda: self._draft_report(period))

    def _scheduled_report(self, period: Period) -> None:
        report = report_claim_scheduled(ReportKind.ANNUAL, period)
        if report is None:
            return  # beat claimed this period first: it is that run's report, not ours
        self._queued_now(report)
        self._make(report)

    def _draft_report(self, period: Period) -> None:
        coordinator = self.users["coordinator"]
        report, _ = report_request(actor=coordinator, kind=ReportKind.QUARTERLY, period=period,
                                   language="nl")
        self._queued_now(report)
        report_comment(actor=coordinator, report=report,
                       commentary=signal_demo.REPORT_COMMENTARY)
        # Made here and now. The two tasks report_request and report_comment queue reach a
        # worker only when the whole seeding commits (see seed_lived_in_register): the
        # report is made by then, so the worker finds nothing to claim.
        self._make(report)

    @staticmethod
    def _queued_now(report: Report) -> None:
        """Report.queued_at defaults to the real timezone.now, bound when the model was
        imported, which the simulated clock cannot reach: set it to the demo's moment."""
        Report.objects.filter(pk=report.pk).update(queued_at=timezone.now())

    def _make(self, report: Report) -> None:
        self.report_ids.append(str(report.pk))
        if report_make(str(report.pk)):
            self.counts.reports += 1
            self.report_files.append(Report.objects.values_list("file", flat=True)
                                     .get(pk=report.pk))

    def plan_housekeeping(self) -> None:
        """Users read their notifications now and then; a month ago was the last time."""
        moment = self.today - dt.timedelta(days=30)

        def read():
            for user in self.users.values():
                notifications_read(user=user)

        self.timeline.at(moment, read)


def _person(person_id: int):
    from register.models import Person

    return Person.objects.get(pk=person_id)


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


def _receipt_moments(rng: random.Random, today: dt.datetime,
                     per_years: tuple[int, ...]) -> Iterator[tuple[dt.datetime, bool]]:
    """When the signals came in: OLD_SIGNALS years before the retention limit, then the
    yearly numbers from 1 January three years ago until today."""
    from django.conf import settings

    old_start = today - dt.timedelta(days=365 * (settings.RETENTION_YEARS + 1) + 60)
    for _ in range(OLD_SIGNALS):
        yield old_start + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 300)), True
    local_today = timezone.localtime(today).date()
    for back, per_year in enumerate(per_years):
        year = local_today.year - back
        start = _moment(dt.date(year, 1, 1), 0)
        end = today if back == 0 else _moment(dt.date(year + 1, 1, 1), 0)
        span = (end - start).total_seconds()
        count = round(per_year * span / (365 * 86400)) if back == 0 else per_year
        for _ in range(count):
            moment = start + dt.timedelta(seconds=rng.uniform(0, span))
            # Office hours, mostly: partners file during the day.
            moment = moment.replace(hour=rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 20]))
            yield min(moment, today - HOUR * 2), False
    # The last fortnight, busier: the inbox holds new signals, some taken up, some waiting
    # for the reporter's answer.
    for _ in range(RECENT_SIGNALS):
        yield today - dt.timedelta(minutes=rng.randint(60, 60 * 24 * 14)), False


def seed_lived_in_register(*, password: str, seed: int = DEMO_SEED,
                           signals_per_year: tuple[int, ...] = SIGNALS_PER_YEAR) -> DemoCounts:
    """Accounts, then years of casework until today. Run it on an empty register only.
    `signals_per_year` counts back from this year (this year's number is for a whole year).

    All or nothing, in one transaction: a seeding that fails half-way leaves the register
    empty, so the next `make run` seeds it again instead of serving half a register. Tasks
    the services queue (on commit) reach the worker only once everything is in place."""
    rng = random.Random(seed)  # noqa: S311 -- invented demo data, reproducible by design
    today = timezone.now().replace(microsecond=0)
    report_files: list[str] = []
    try:
        # Outside the simulated clock, so that what runs on commit runs at the real time.
        with transaction.atomic():
            with simulated_clock(today) as clock:
                counts, report_ids = _seed(rng, clock, today, password, signals_per_year,
                                           report_files)
            # Only the demo's own reports: one a worker or beat running meanwhile queued
            # is theirs to make, and does not make the demo fail.
            if Report.objects.filter(pk__in=report_ids).exclude(
                    status=Report.Status.DONE).exists():
                raise ValidationError("A demo report was not made.")
    except BaseException:
        # The rows are rolled back; the PDFs already stored are not.
        storage = Report._meta.get_field("file").storage
        for name in filter(None, report_files):
            storage.delete(name)
        raise
    return counts


def _seed(rng: random.Random, clock: dict, today: dt.datetime, password: str,
          signals_per_year: tuple[int, ...],
          report_files: list[str]) -> tuple[DemoCounts, list[str]]:
    moments = sorted(_receipt_moments(rng, today, signals_per_year))
    clock["now"] = (moments[0][0] - dt.timedelta(days=30)).astimezone(dt.UTC)
    signal_demo.ensure_demo_accounts(password)
    timeline = Timeline(clock, today)
    demo = _LivedIn(rng, timeline, today)
    demo.report_files = report_files
    for moment, old in moments:
        demo.plan_signal(moment, old=old)
    for days, stop in OPEN_SIGNALS:
        demo.plan_signal(today - dt.timedelta(days=days, hours=3), stop=stop)
    first_year = timezone.localtime(today).year - 3
    demo.plan_targets(first_year)
    demo.plan_controls(first_year)
    demo.plan_subject_requests()
    demo.plan_reports()
    demo.plan_housekeeping()
    timeline.run()
    clock["now"] = today
    review = retention_review_create(now=today)
    demo.counts.retention_items = review.items.count() if review else 0
    return demo.counts, demo.report_ids
