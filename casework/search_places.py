"""Places as search results: each place a word of the search names, once per island, with how
many signals the analyst may see there and when they were observed.

A place is where a signal says it happened (Signal.location), compared as the network
compares it: trimmed, lower case, island apart. It has no table of its own, so it is known
only through signals, and only through those this analyst may see: a place named only in a
hidden dossier's signal is not found, nor counted."""

from django.db.models import Count, Max, Min
from django.db.models.functions import Trim
from django.utils.translation import gettext_lazy as _

from casework.network import place_key
from casework.selectors import signals_visible_to
from register.models import User
from signals.vocab import Island

LIMIT = 50
# Shorter words cannot use the trigram index (nor mean much as part of a place): they find a
# place only by its whole name.
WORD_OF_A_PLACE = 3

WHY = _("place")


def places_found(user: User, query: str) -> list[dict]:
    """The places the query names, most signals first: one query whatever the words, at most
    LIMIT places."""
    words = query.strip().lower()
    signals = signals_visible_to(user).annotate(place=place_key()).exclude(place="")
    if len(words) >= WORD_OF_A_PLACE:
        signals = signals.filter(place__contains=words)
    else:
        signals = signals.filter(place=words)
    rows = (signals.order_by().values("island", "place")
            .annotate(count=Count("pk"), first=Min("observed_on"), last=Max("observed_on"),
                      latest=Max("reference"), anchor=Min("pk"), label=Min(Trim("location")))
            .order_by("-count", "island", "place")[:LIMIT])
    return [{"kind": "place", "label": row["label"], "island": Island(row["island"]).label,
             "count": row["count"], "first": row["first"], "last": row["last"],
             # Signal references are numbered as they arrive: the highest is the newest.
             "latest": row["latest"], "found_because": [str(WHY)],
             # A place is named by a signal there, never by its name: the network's node id.
             "node": f"place:{row['anchor']}", "audit_id": f"place:{row['anchor']}"}
            for row in rows]
