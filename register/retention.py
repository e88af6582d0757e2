"""Retention: each app registers what it holds, how to find what is due and how to anonymise it.

The core schedules the review and applies the manager's decision without importing the apps
(the layering rule); the apps register a RetentionSource in their AppConfig.ready().
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DueItem:
    object_type: str
    object_id: str
    reference: str
    last_processed_at: dt.datetime


@dataclass(frozen=True)
class RetentionSource:
    object_type: str
    due: Callable[[dt.datetime], list[DueItem]]  # processed last before the cut-off
    anonymise: Callable[..., int]  # (actor=, object_ids=) -> how many were anonymised


_sources: dict[str, RetentionSource] = {}


def register_source(source: RetentionSource) -> None:
    _sources[source.object_type] = source


def sources() -> dict[str, RetentionSource]:
    return dict(_sources)
