"""The match suggestions on a small labelled population of the region (bench.match_population:
thousands of names with a Zipf-like frequency, households sharing a family name and a phone,
every kind of difference of issue 17, strangers), through the register's own suggestion
function. The floors are what the method reaches here; bench/ measures 10k and 100k persons
and Splink beside it."""

from bench.match_eval import counts_at, load_mentions, load_register, run_register
from bench.match_population import labelled
from casework.match_learning import refresh_match_statistics
from casework.matching import THRESHOLD
from tests.personas import persona

# What the method reaches here (precision 1.000, recall 1.000 of 187 mentions that have a
# person, no stranger suggested, on PostgreSQL and SQLite), less one mention's worth.
PRECISION, RECALL, STRANGERS_SUGGESTED = 0.99, 0.99, 0


def test_suggestions_on_a_small_population_of_the_region_are_precise_and_find_their_person(db):
    population = labelled(600, 240, seed=3)
    analyst = persona("analyst_kpcn")
    person_of = load_register(population.persons, analyst)
    refresh_match_statistics()
    mentions = load_mentions(population.mentions, analyst)
    run = run_register(population, person_of, mentions, analyst, weaker=False)
    total, by_kind = counts_at(run.scored, THRESHOLD)
    assert total.with_truth > 150
    assert total.precision >= PRECISION, total
    assert total.recall >= RECALL, total
    # Strangers are not taken for a register person.
    assert by_kind["stranger"].shown <= STRANGERS_SUGGESTED, by_kind["stranger"]
    # A fixed number of queries per mention, whatever it says: the lookup, the visible
    # candidates with their identifiers, what may be shown of the hopeful ones.
    assert max(run.queries) <= 3
