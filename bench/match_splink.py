"""Splink (DuckDB) on exactly the records the register is judged on: the register's persons
on one side, the mentions on the other (link only), names cleaned as the register cleans
them. A model as its documentation builds one: names with Jaro-Winkler levels and term
frequencies, the date of birth at day, month and year, nationality, sex, phone and document;
u by random sampling, m by expectation maximisation on two blockings; the prior from the
known share of true pairs. Its best F1 over thresholds is reported beside the register's.
Bench only: Splink is not a dependency of the register.
"""

import time

from bench.match_eval import GRID, best_threshold, summary
from bench.match_population import Labelled, Record
from register.names import digits, name_words, phone_key


def _row(uid: int, record: Record) -> dict:
    given = name_words(record.given_names)
    family = name_words(record.family_name)
    return {"unique_id": uid, "given1": given[0] if given else None,
            "family1": family[0] if family else None,
            "name_all": " ".join(sorted(given + family)) or None,
            "dob": record.born.isoformat() if record.born and not record.year_only else None,
            "birth_year": record.born.year if record.born else None,
            "nationality": record.nationality or None, "sex": record.sex or None,
            "phone": phone_key(record.phone) or None,
            "document": digits(record.document) or None, "truth": record.truth}


def run_splink(labelled: Labelled, *, log=print) -> dict:
    import logging

    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.monotonic()
    left = pd.DataFrame([_row(i, p) for i, p in enumerate(labelled.persons)])
    right = pd.DataFrame([_row(i, m) for i, m in enumerate(labelled.mentions)])
    db = DuckDBAPI()
    true_pairs = sum(1 for m in labelled.mentions if m.truth >= 0)
    settings = SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=true_pairs / (len(left) * len(right)),
        comparisons=[
            cl.NameComparison("given1").configure(term_frequency_adjustments=True),
            cl.NameComparison("family1").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("name_all", [0.95, 0.88]),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("document"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family1"), block_on("given1", "birth_year"), block_on("phone"),
            block_on("document"), block_on("dob"),
            block_on("substr(given1, 1, 3)", "substr(family1, 1, 3)"),
        ],
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["truth"],
    )
    linker = Linker([db.register(left, dataset_display_name="register"),
                     db.register(right, dataset_display_name="mentions")], settings,
                    log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family1"))
    trained = time.monotonic() - started
    pairs = linker.inference.predict(threshold_match_probability=min(GRID)).as_pandas_dataframe()
    # Each pair: the register person on the left, the mention on the right.
    left_is_register = pairs["source_dataset_l"] == "register"
    person = pairs["unique_id_l"].where(left_is_register, pairs["unique_id_r"])
    mention = pairs["unique_id_r"].where(left_is_register, pairs["unique_id_l"])
    by_mention: dict[int, list] = {}
    truths = [p.truth for p in labelled.persons]
    for m, p, chance in zip(mention, person, pairs["match_probability"], strict=True):
        by_mention.setdefault(int(m), []).append(
            (float(chance), truths[int(p)] == labelled.mentions[int(m)].truth))
    scored = [(m.kinds, by_mention.get(i, []), m.truth >= 0)
              for i, m in enumerate(labelled.mentions)]
    threshold, best = best_threshold(scored)
    log(f"   splink: trained in {trained:,.0f} s, best F1 {best.f1:.3f} at {threshold}")
    return {**summary(scored, threshold), "best_f1": round(best.f1, 3),
            "seconds": round(time.monotonic() - started, 1), "pairs_scored": len(pairs)}
