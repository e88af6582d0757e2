"""Poisson log-linear models of a capture table, fitted with statsmodels.

A model is the list of two-list interactions it holds on top of the main effects. The count of
persons on no list is exp(intercept): the one cell the model never sees, predicted from how
the lists overlap.
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy.optimize import brentq, linprog, minimize_scalar
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    PerfectSeparationWarning,
    SingularMatrixWarning,
)

from reporting.capture_table import CaptureTable

Pair = tuple[int, int]
# The 95% point of the chi-squared distribution with one degree of freedom: the profile
# likelihood interval holds the hidden counts whose deviance is within this of the best.
CHI2_95 = 3.841458820694124


@dataclass(frozen=True)
class Fit:
    pairs: tuple[Pair, ...]
    hidden: float
    deviance: float
    aic: float
    bic: float
    # p-value of each interaction in the model (Wald test), by pair
    p_values: dict[Pair, float]
    coefficients: dict[Pair, float]
    params: tuple[float, ...] = ()


def _start_values(previous: Fit, pairs: tuple[Pair, ...]) -> np.ndarray | None:
    if not previous.params:
        return None
    mains = list(previous.params[:len(previous.params) - len(previous.pairs)])
    return np.array(mains + [previous.coefficients.get(pair, 0.0) for pair in pairs])


def design(table: CaptureTable, pairs: tuple[Pair, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The counts and the design matrix (intercept, main effects, interactions) of the cells
    that can be observed."""
    histories = table.histories()
    y = np.array([table.count(h) for h in histories], dtype=float)
    rows = [[1.0, *h, *(h[a] * h[b] for a, b in pairs)] for h in histories]
    return y, np.array(rows, dtype=float)


def estimate_exists(table: CaptureTable, pairs: tuple[Pair, ...]) -> bool:
    """Whether the maximum likelihood estimate exists (Haberman 1974): only if some strictly
    positive cell means reproduce the observed totals the model fits (X'z = X'y, z > 0). A zero
    overlap that an interaction must match exactly, for instance, makes that interaction
    minus infinity, and the hidden count with it meaningless. Checked by a small linear
    programme, as Chan, Silverman and Vincent (2021) do."""
    y, x = design(table, pairs)
    n = len(y)
    # variables: z (n cells) and s; maximise s subject to X'z = X'y, z_i >= s, s <= 1
    objective = np.zeros(n + 1)
    objective[-1] = -1.0
    a_eq = np.hstack([x.T, np.zeros((x.shape[1], 1))])
    a_ub = np.hstack([-np.eye(n), np.ones((n, 1))])
    result = linprog(objective, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=x.T @ y,
                     bounds=[(0, None)] * n + [(None, 1)], method="highs")
    return bool(result.success and -result.fun > 1e-9)


def identifiable(table: CaptureTable, pairs: tuple[Pair, ...]) -> bool:
    """Whether the observed cells determine every parameter (a design of full column rank).
    Two lists with their interaction, for example, leave the hidden count undetermined."""
    _y, x = design(table, pairs)
    return x.shape[0] > x.shape[1] - 1 and np.linalg.matrix_rank(x) == x.shape[1]


def _glm(y, x, offset=None, start=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", SingularMatrixWarning)
        return sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit(
            start_params=start)


def fit(table: CaptureTable, pairs: tuple[Pair, ...], start: "Fit | None" = None) -> Fit:
    """Fit one model; `start`, a fitted smaller model, gives the starting values (the fits
    of a model search differ by one interaction, so each starts close to its answer)."""
    y, x = design(table, pairs)
    result = _glm(y, x, start=None if start is None else _start_values(start, pairs))
    params, pvalues = np.asarray(result.params), np.asarray(result.pvalues)
    start = 1 + len(table.lists)
    n_params = x.shape[1]
    deviance = float(result.deviance)
    # AIC and BIC up to a constant shared by every model of the same table: enough to compare.
    return Fit(pairs=pairs, hidden=float(math.exp(params[0])), deviance=deviance,
               aic=deviance + 2 * n_params,
               bic=deviance + n_params * math.log(max(table.observed, 2)),
               p_values={pair: float(pvalues[start + i]) for i, pair in enumerate(pairs)},
               coefficients={pair: float(params[start + i]) for i, pair in enumerate(pairs)},
               params=tuple(float(p) for p in params))


class Unbounded(Exception):
    """The data are as consistent with an arbitrarily large hidden number as with the best."""


def profile_interval(table: CaptureTable, best: Fit) -> tuple[float, float]:
    """The 95% profile likelihood interval of the number of unseen persons.

    The likelihood is the multinomial one of the whole population (Cormack 1992; Rcapture's
    closedpCI): for a trial total N the table is completed with N - observed persons on no
    list, the model is fitted to all cells, and the interval holds the totals whose
    log-likelihood stays within CHI2_95 / 2 of the best. Unlike an interval for the expected
    unseen count alone, it also carries the chance variation in how many persons happened to
    be missed, which is what an interval for the true total needs."""
    observed = table.observed
    y, x = design(table, best.pairs)
    y_all = np.concatenate([[0.0], y])
    x_all = np.vstack([np.eye(1, x.shape[1]), x])
    start = np.array(best.params) if best.params else None

    def loglik(log_hidden: float) -> float:
        hidden = math.exp(log_hidden)
        total = observed + hidden
        y_all[0] = hidden
        try:
            result = _glm(y_all, x_all, start=start)
            if not result.converged:  # far from the best fit its values are a poor start
                result = _glm(y_all, x_all)
        except ValueError:
            result = None
        if result is None or not result.converged:
            return -math.inf  # the fit broke down this far from the data: implausible
        mu = np.asarray(result.fittedvalues)
        positive = y_all > 0
        return (math.lgamma(total + 1) - math.lgamma(hidden + 1)
                + float(np.sum(y_all[positive] * np.log(mu[positive] / total))))

    centre = math.log(max(best.hidden, 1e-8))
    peak = minimize_scalar(lambda v: -loglik(v), bracket=(centre - 0.1, centre + 0.1))
    top = max(-peak.fun, loglik(centre))
    centre = peak.x if -peak.fun >= loglik(centre) else centre

    def excess(log_hidden: float) -> float:
        return top - loglik(log_hidden) - CHI2_95 / 2

    # Upwards: far beyond any plausible hidden number (a thousand times what was observed).
    ceiling = math.log(1000.0 * observed + 1000.0)
    if centre >= ceiling or excess(ceiling) < 0:
        raise Unbounded
    # A thousandth on the log scale: a tenth of a percent of the bound, finer than shown.
    high = brentq(excess, centre, _bracket(excess, centre, ceiling), xtol=1e-3)
    # Downwards: a hidden count far below one person is, for a count of people, zero.
    floor = min(centre - 1.0, math.log(1e-3))
    if excess(floor) <= 0:
        return 0.0, math.exp(high)
    low = brentq(excess, _bracket(excess, centre, floor), centre, xtol=1e-3)
    return math.exp(low), math.exp(high)


def _bracket(excess, centre: float, limit: float) -> float:
    """The nearest of centre +- 0.5, 1, 2, 4 ... (towards limit) where the excess is positive:
    the root search then starts from a short interval, and fits far from the data (slow to
    converge, or failing) are rarely needed."""
    step = 0.5 if limit > centre else -0.5
    while abs(step) < abs(limit - centre):
        if excess(centre + step) > 0:
            return centre + step
        step *= 2
    return limit
