"""The match scorer learns from the analysts: on a schedule, the m-probabilities (how often a
level of agreement occurs when mention and person are the same person) are estimated from the
links analysts confirmed in triage, blended with the defaults so that a few judgements move
them only a little; the register's size, its nationalities' shares and the name words many
persons share are counted at the same time (the u side, casework.match_statistics).

Rejected suggestions are counted with the weights: they say how often the register proposed a
wrong person, not how often a level occurs among any two different persons (that is u, which
comes from the register's own frequencies), so they do not move the m-probabilities.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count

from casework.match_scoring import (
    DEFAULT_M,
    Statistics,
    compare_births,
    compare_facts,
    compare_names,
)
from casework.match_statistics import COMMON_WORD
from casework.models import MatchRejection, MatchWeights, NameFrequency, PersonIdentifier
from register.models import AuditEvent, Person
from signals.models import SignalPerson

# The defaults count as this many judgements: the first few links barely move them.
PRIOR_JUDGEMENTS = 50
# The newest links this many are read: enough to estimate a few dozen probabilities.
JUDGEMENTS_READ = 5000
KIND = PersonIdentifier.Kind


def levels_of(mention: SignalPerson, person: Person,
              identifiers: list[PersonIdentifier]) -> Counter:
    """How often each level of agreement occurs between a mention and its person as known
    from everything else (the mention's own identifiers left out)."""
    stats, found = Statistics(), Counter()
    names = [i for i in identifiers if i.kind == KIND.NAME]
    best = max(((compare_names(mention.name_key, n.value, stats)) for n in names),
               key=lambda agreements: sum(a.weight(DEFAULT_M) for a in agreements),
               default=[])
    births = sorted({(i.birth_date, i.birth_precision) for i in names if i.birth_date})
    birth = compare_births(mention.date_of_birth, mention.date_of_birth_precision, births)
    facts = compare_facts(mention, person.nationality, person.sex,
                          {i.value for i in identifiers if i.kind == KIND.PHONE},
                          {i.value for i in identifiers if i.kind == KIND.DOCUMENT}, stats)
    for agreement in best + ([birth] if birth else []) + facts:
        found[agreement.key] += agreement.count
    return found


def estimate_m(counts: dict[str, int]) -> dict[str, float]:
    """Per field, the observed share of each level blended with its default."""
    fields: dict[str, list[str]] = {}
    for key in DEFAULT_M:
        fields.setdefault(key.split(".")[0], []).append(key)
    m = {}
    for keys in fields.values():
        default_total = sum(DEFAULT_M[k] for k in keys)
        observed = sum(counts.get(k, 0) for k in keys)
        for key in keys:
            share = DEFAULT_M[key] / default_total
            m[key] = round(default_total * (counts.get(key, 0) + PRIOR_JUDGEMENTS * share)
                           / (observed + PRIOR_JUDGEMENTS), 5)
    return m


def confirmed_links() -> list[SignalPerson]:
    """The mentions analysts linked to an existing register person, newest first."""
    linked = (AuditEvent.objects.filter(action="signals.mention.linked")
              .order_by("-pk").values_list("detail", flat=True)[:JUDGEMENTS_READ])
    ids = {detail.get("mention") for detail in linked if isinstance(detail, dict)}
    return list(SignalPerson.objects.filter(pk__in=ids - {None}, person__isnull=False)
                .select_related("person"))


def refresh_match_statistics() -> MatchWeights:
    counts = Counter()
    mentions = confirmed_links()
    identifiers: dict[int, list[PersonIdentifier]] = {}
    for identifier in PersonIdentifier.objects.filter(
            person__in={m.person_id for m in mentions}, kind__in=[KIND.NAME, KIND.PHONE,
                                                                   KIND.DOCUMENT]):
        identifiers.setdefault(identifier.person_id, []).append(identifier)
    for mention in mentions:
        others = [i for i in identifiers.get(mention.person_id, [])
                  if i.mention_id != mention.pk]
        counts.update(levels_of(mention, mention.person, others))
    persons = Person.objects.filter(merged_into__isnull=True)
    size = persons.count()
    nationalities = {row["nationality"]: round(row["n"] / size, 5) for row in
                     persons.exclude(nationality="").values("nationality")
                     .annotate(n=Count("pk"))} if size else {}
    common = (PersonIdentifier.objects.filter(kind__in=[KIND.PART, KIND.PAIR]).values("value")
              .annotate(n=Count("person", distinct=True)).filter(n__gte=COMMON_WORD))
    with transaction.atomic():
        NameFrequency.objects.all().delete()
        NameFrequency.objects.bulk_create(NameFrequency(value=row["value"], persons=row["n"])
                                          for row in common)
        return MatchWeights.objects.create(
            m_probabilities={"m": estimate_m(counts), "nationalities": nationalities},
            confirmed=len(mentions), rejected=MatchRejection.objects.count(), persons=size)
