"""Multiple systems estimation: how many persons no list saw, from how the lists overlap.

`estimate_population(table)` checks that the table can carry an estimate, chooses a model,
fits it and returns the estimate with its 95% interval and what an analyst needs to judge it.
When the table cannot carry an estimate the result is a refusal: no number, and the reason.

Methods (see the README, "Estimating the hidden number"):
- `stepwise` (the default): the rule of Bales, Hesketh and Silverman (2015), behind the Home
  Office's 2014 estimate and the Dutch rapporteur's with UNODC: start from the main effects and
  add the two-list interaction with the smallest p-value while it is below the threshold,
  considering only pairs of lists that share persons.
- `aic`, `bic`: the model with the lowest information criterion among the models with two-list
  interactions, found by adding and removing one interaction at a time (an exhaustive search
  over 2**15 models of six lists would not fit in a second).
- `main`: main effects only (lists independent of each other).
Every model is checked for the existence and identifiability of its estimate before it is
considered (Chan, Silverman and Vincent 2021).

Intervals: `profile` (the default), the profile likelihood interval of the whole population;
`bootstrap`, a parametric bootstrap: tables drawn from the chosen model's fitted cells
(the estimated total spread over all capture histories, the unseen one included), the model
chosen again on each by the same method, and the 2.5th and 97.5th percentiles of their
estimated totals. The bootstrap allows for the model having been chosen from the same data,
which the profile interval does not, at the cost of a model search per replicate: minutes,
not the second a page can wait, so it is offered on the command line only.
"""

from dataclasses import asdict, dataclass, field
from itertools import combinations

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting import loglinear
from reporting.capture_table import CaptureTable
from reporting.loglinear import Fit, Pair

METHODS = ("stepwise", "aic", "bic", "main")
DEFAULT_METHOD = "stepwise"
INTERVALS = ("profile", "bootstrap")
DEFAULT_INTERVAL = "profile"
BOOTSTRAP_REPLICATES = 200
# A bootstrap interval with more than this share of replicates without an estimate is
# flagged: it leaves out exactly the tables that point to a larger, vaguer total.
BOOTSTRAP_FAILED_SHARE = 0.05
# Bales, Hesketh and Silverman's threshold; Chan, Silverman and Vincent use 0.02.
DEFAULT_THRESHOLD = 0.05
# Below this many persons in common a pair of lists says little about their dependence.
SPARSE_OVERLAP = 5
# An estimate this many times what was observed rests mostly on the model, not the data.
LARGE_MULTIPLE = 10


@dataclass
class Estimate:
    observed: int
    estimate: int | None = None
    low: int | None = None
    high: int | None = None
    model: str = ""
    reason: str = ""
    method: str = ""
    lists: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def hidden(self) -> int | None:
        return None if self.estimate is None else self.estimate - self.observed

    def as_json(self) -> dict:
        data = asdict(self)
        return {key: data[key] for key in ("observed", "estimate", "low", "high", "model",
                                           "reason", "method", "lists", "warnings", "refused")}


def method_description(method: str, threshold: float = DEFAULT_THRESHOLD,
                       interval: str = DEFAULT_INTERVAL,
                       replicates: int = BOOTSTRAP_REPLICATES) -> str:
    interval_text = (_("95%% parametric bootstrap interval (%(n)s replicates, model chosen "
                       "again on each)") % {"n": replicates} if interval == "bootstrap"
                     else _("95% profile likelihood interval"))
    return {
        "stepwise": _("stepwise selection of two-list interactions (Bales, Hesketh and "
                      "Silverman 2015), threshold p < %(threshold)s") % {"threshold": threshold},
        "aic": _("lowest AIC among models with two-list interactions"),
        "bic": _("lowest BIC among models with two-list interactions"),
        "main": _("main effects only (lists assumed independent)"),
    }[method] + "; " + interval_text


def model_name(table: CaptureTable, pairs: tuple[Pair, ...]) -> str:
    terms = [f"{table.lists[a]}:{table.lists[b]}" for a, b in pairs]
    return " + ".join([_("main effects"), *terms])


def estimate_population(table: CaptureTable, method: str = DEFAULT_METHOD,
                        threshold: float = DEFAULT_THRESHOLD, *,
                        interval: str = DEFAULT_INTERVAL,
                        replicates: int = BOOTSTRAP_REPLICATES,
                        seed: int | None = 0) -> Estimate:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}; one of {', '.join(INTERVALS)}")
    result = Estimate(observed=table.observed,
                      method=method_description(method, threshold, interval, replicates),
                      lists=list(table.lists))
    table = _usable_lists(table, result)
    if result.refused:
        return result
    result.lists = list(table.lists)
    result.warnings += _diagnostics(table)
    main: tuple[Pair, ...] = ()
    if not (loglinear.identifiable(table, main) and loglinear.estimate_exists(table, main)):
        result.refused = _("Even the simplest model (lists independent of each other) has no "
                           "finite estimate for this table: the lists overlap too little.")
        return result
    best, result.reason = _select(table, method, threshold)
    result.model = model_name(table, best.pairs)
    try:
        # Also under the bootstrap: a table consistent with any hidden number is refused
        # by the same rule whatever the interval asked for.
        low, high = loglinear.profile_interval(table, best)
    except loglinear.Unbounded:
        result.refused = _("The data are as consistent with an unlimited number of unseen "
                           "persons as with the best estimate (model %(model)s): the table "
                           "cannot support an estimate.") % {"model": result.model}
        return result
    result.estimate = round(table.observed + best.hidden)
    result.low = int(table.observed + low)
    result.high = -int(-(table.observed + high) // 1)
    if interval == "bootstrap":
        try:
            low_total, high_total, failed = bootstrap_interval(
                table, best, method, threshold, replicates=replicates, seed=seed)
        except loglinear.Unbounded:
            result.estimate = result.low = result.high = None
            result.refused = _("None of the bootstrap tables drawn from the model had an "
                               "estimate: the table cannot support an interval.")
            return result
        result.low, result.high = int(low_total), -int(-high_total // 1)
        if failed > BOOTSTRAP_FAILED_SHARE * replicates:
            result.warnings.append(_(
                "%(failed)s of %(n)s bootstrap tables had no estimate and are left out of "
                "the interval, which is therefore too narrow.") % {"failed": failed,
                                                                  "n": replicates})
    if best.hidden > LARGE_MULTIPLE * table.observed:
        result.warnings.append(_("The estimated number of unseen persons is more than %(n)s "
                                 "times the number seen: it rests on the model more than on "
                                 "the data.") % {"n": LARGE_MULTIPLE})
    return result


def _select(table: CaptureTable, method: str, threshold: float) -> tuple[Fit, str]:
    """The model the method chooses for the table, and why."""
    if method == "stepwise":
        return _stepwise(table, threshold)
    if method in ("aic", "bic"):
        return _by_criterion(table, method)
    return loglinear.fit(table, ()), _("Main effects only were asked for.")


def bootstrap_interval(table: CaptureTable, best: Fit, method: str, threshold: float, *,
                       replicates: int = BOOTSTRAP_REPLICATES,
                       seed: int | None = 0) -> tuple[float, float, int]:
    """The 2.5th and 97.5th percentiles of the estimated total over `replicates` tables drawn
    from the fitted model (a multinomial of the estimated total over every capture history,
    the unseen included), the model chosen again on each; and how many replicates had no
    estimate (left out). Seeded, so the same table gives the same interval."""
    rng = np.random.default_rng(seed)
    _y, x = loglinear.design(table, best.pairs)
    cells = np.exp(x @ np.array(best.params))
    probabilities = np.concatenate([[best.hidden], cells])
    probabilities /= probabilities.sum()
    total = max(int(round(table.observed + best.hidden)), table.observed)
    histories = table.histories()
    totals, failed = [], 0
    for _run in range(replicates):
        drawn = rng.multinomial(total, probabilities)[1:]
        replicate = CaptureTable(table.lists, {h: int(n) for h, n in zip(
            histories, drawn, strict=True) if n})
        if not (loglinear.identifiable(replicate, ())
                and loglinear.estimate_exists(replicate, ())):
            failed += 1
            continue
        fitted, _reason = _select(replicate, method, threshold)
        if not np.isfinite(fitted.hidden):
            failed += 1
            continue
        totals.append(replicate.observed + fitted.hidden)
    if not totals:
        raise loglinear.Unbounded
    low, high = np.percentile(totals, [2.5, 97.5])
    return float(low), float(high), failed


def _usable_lists(table: CaptureTable, result: Estimate) -> CaptureTable:
    """Leave out lists that saw nobody; refuse what has no overlap to learn from."""
    empty = {i for i in range(len(table.lists)) if table.list_total(i) == 0}
    for i in sorted(empty):
        result.warnings.append(_("List %(list)s holds nobody and is left out.")
                               % {"list": table.lists[i]})
    table = table.without(empty)
    if len(table.lists) < 2:
        result.refused = _("At least two lists that hold persons are needed: the estimate "
                           "comes from how lists overlap.")
    elif not any(sum(h) > 1 for h, n in table.counts.items() if n):
        result.refused = _("Nobody appears on more than one list. The estimate comes from the "
                           "overlap between lists; without any, there is nothing to estimate "
                           "from.")
    return table


def _diagnostics(table: CaptureTable) -> list[str]:
    found = []
    for i, name in enumerate(table.lists):
        if table.on_other_lists(i) == 0:
            found.append(_("List %(list)s shares nobody with any other list: its part of the "
                           "estimate rests entirely on the assumption that it is independent "
                           "of the others.") % {"list": name})
    pairs = list(combinations(range(len(table.lists)), 2))
    without = [p for p in pairs if table.overlap(*p) == 0]
    if without:
        found.append(ngettext(
            "%(n)s of %(total)s pairs of lists has nobody in common; its dependence cannot "
            "be modelled.",
            "%(n)s of %(total)s pairs of lists have nobody in common; their dependence cannot "
            "be modelled.", len(without)) % {"n": len(without), "total": len(pairs)})
    small = [p for p in pairs if 0 < table.overlap(*p) < SPARSE_OVERLAP]
    if small:
        found.append(ngettext(
            "%(n)s pair of lists has fewer than %(k)s persons in common: its dependence is "
            "estimated from very few persons.",
            "%(n)s pairs of lists have fewer than %(k)s persons in common: their dependence "
            "is estimated from very few persons.", len(small))
            % {"n": len(small), "k": SPARSE_OVERLAP})
    cells = table.histories()
    zero = sum(1 for h in cells if table.count(h) == 0)
    if zero * 2 > len(cells):
        found.append(_("%(zero)s of %(total)s combinations of lists are empty: the table is "
                       "sparse and the estimate fragile.") % {"zero": zero,
                                                              "total": len(cells)})
    return found


class _Checks:
    """Existence and identifiability of each model, each checked once per table. A model
    without an estimate has none with more interactions either (more totals to match
    exactly), so a pair that failed is not tried again on top of a larger model."""

    def __init__(self, table: CaptureTable):
        self.table = table
        self.known: dict[tuple[Pair, ...], bool] = {}
        self.failed: set[Pair] = set()
        # With every combination observed at least once the observed counts themselves are
        # the positive cell means the existence check looks for: no linear programme needed.
        self.full = all(table.count(h) > 0 for h in table.histories())

    def usable(self, model: tuple[Pair, ...]) -> bool:
        if model not in self.known:
            self.known[model] = loglinear.identifiable(self.table, model) and (
                self.full or loglinear.estimate_exists(self.table, model))
        return self.known[model]

    def candidates(self, pairs: tuple[Pair, ...]) -> list[tuple[Pair, tuple[Pair, ...]]]:
        """Models with one more interaction, between lists that share persons, whose
        estimate exists and is identifiable."""
        models = []
        for pair in combinations(range(len(self.table.lists)), 2):
            if pair in pairs or pair in self.failed or self.table.overlap(*pair) == 0:
                continue
            model = tuple(sorted((*pairs, pair)))
            if self.usable(model):
                models.append((pair, model))
            else:
                self.failed.add(pair)
        return models


def _pair_name(table: CaptureTable, pair: Pair) -> str:
    return f"{table.lists[pair[0]]}:{table.lists[pair[1]]}"


def _stepwise(table: CaptureTable, threshold: float) -> tuple[Fit, str]:
    checks = _Checks(table)
    current = loglinear.fit(table, ())
    steps = []
    while True:
        trials = []
        for added, model in checks.candidates(current.pairs):
            trial = loglinear.fit(table, model, start=current)
            trials.append((trial.p_values[added], added, trial))
        if not trials:
            break
        # The interaction that improves the fit most (the largest fall in deviance, as Bales,
        # Hesketh and Silverman's own code chooses it: the smallest likelihood-ratio p-value)
        # is kept if its own p-value is below the threshold.
        p_value, added, trial = min(trials, key=lambda item: (item[2].deviance, item[1]))
        if not p_value < threshold:
            break
        steps.append(_("%(pair)s added (p = %(p).3g)") % {"pair": _pair_name(table, added),
                                                          "p": p_value})
        current = trial
    stop = _("no further interaction between lists that share persons has p < %(t)s") % {
        "t": threshold}
    text = "; ".join([*steps, stop])
    return current, text[:1].upper() + text[1:] + "."


def _by_criterion(table: CaptureTable, criterion: str) -> tuple[Fit, str]:
    def score(fitted: Fit) -> float:
        return fitted.aic if criterion == "aic" else fitted.bic

    checks = _Checks(table)
    current = loglinear.fit(table, ())
    while True:
        neighbours = [loglinear.fit(table, model, start=current)
                      for _pair, model in checks.candidates(current.pairs)]
        for pair in current.pairs:
            model = tuple(p for p in current.pairs if p != pair)
            if checks.usable(model):
                neighbours.append(loglinear.fit(table, model, start=current))
        better = [n for n in neighbours if score(n) < score(current) - 1e-9]
        if not better:
            break
        current = min(better, key=lambda n: (score(n), n.pairs))
    return current, _("Lowest %(criterion)s (%(score).1f) found by adding or removing one "
                      "two-list interaction at a time.") % {"criterion": criterion.upper(),
                                                            "score": score(current)}
