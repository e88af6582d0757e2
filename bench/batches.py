"""How the generator's rows reach the database: per table in a batch, written in one
transaction, by a second thread while the next batch is built."""

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from queue import Queue

from django.db import connection, transaction

from bench.bulk import table_of, write_rows


@dataclass
class Batch:
    """The rows of one batch, per table, written together in one transaction."""

    rows: dict = field(default_factory=lambda: defaultdict(list))
    events: list = field(default_factory=list)

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)


COLUMNS = {
    "signal": ("id", "reference", "status", "channel", "received_at", "submitted_by_id",
               "idempotency_key", "request_fingerprint", "reporter_name",
               "reporter_organisation_id", "reporter_phone", "reporter_email", "observed_on",
               "island", "location", "sector", "description", "immediate_danger",
               "last_processed_at", "dossier_id", "triaged_at", "triaged_by_id",
               "not_taken_up_reason", "source_reliability", "information_reliability",
               "taken_up_by_id", "taken_up_at"),
    "form": ("signal_id", "code"),
    "indicator": ("signal_id", "code"),
    "mention": ("id", "signal_id", "position", "role", "family_name", "given_names", "alias",
                "sex", "date_of_birth", "estimated_age", "nationality", "document_type",
                "document_number", "phone", "notes", "name_key", "phonetic_key", "phone_key",
                "document_key", "person_id", "age_band"),
    "truth": ("mention_id", "truth"),
    "person": ("id", "family_name", "given_names", "alias", "sex", "date_of_birth",
               "nationality", "created_at", "created_by_id"),
    "identifier": ("person_id", "mention_id", "kind", "value", "birth_date", "birth_year"),
    "business": ("signal_id", "position", "name", "registration_number", "address",
                 "name_key"),
    "vehicle": ("signal_id", "position", "kind", "name", "registration", "description", "key"),
    "dossier": ("id", "number", "title", "status", "closed_reason", "priority", "restricted",
                "created_by_id", "created_at", "updated_at", "closed_at"),
    "assigned": ("dossier_id", "user_id"),
    "grant": ("permission_id", "user_id", "content_object_id"),
    "dossier_person": ("dossier_id", "person_id", "role", "victim_status",
                       "status_decided_by", "identified_on", "form_of_exploitation"),
    "follow_up": ("dossier_id", "kind", "responsible_organisation_id", "due_on", "outcome",
                  "happened_on", "explanation", "created_by_id", "created_at"),
    "control": ("id", "island", "place", "sector", "planned_on", "initiating_organisation_id",
                "directing_organisation_id", "goal", "team", "briefing", "status", "held_on",
                "cancelled_reason", "persons_checked", "businesses_checked", "arrests",
                "fines", "follow_up_agreed", "results_recorded_at", "created_by_id",
                "created_at"),
    "participant": ("control_id", "organisation_id", "task", "took_part"),
    "control_business": ("control_id", "name", "registration_number", "visited"),
    "finding": ("control_id", "organisation_id", "category", "count", "description",
                "created_by_id", "created_at"),
    "control_signal": ("control_id", "signal_id"),
    "audit": ("id", "at", "actor_id", "actor_username", "organisation_code", "roles", "action",
              "object_type", "object_id", "object_ref", "request_id", "ip", "result_ids",
              "detail", "prev_hash", "hash"),
}
TABLES = {
    "signal": "signals.Signal", "form": "signals.SignalForm",
    "indicator": "signals.SignalIndicator", "mention": "signals.SignalPerson",
    "truth": "bench.MentionTruth", "person": "register.Person",
    "identifier": "casework.PersonIdentifier", "business": "signals.SignalBusiness",
    "vehicle": "signals.SignalVehicle", "dossier": "register.Dossier",
    "grant": "register.DossierUserObjectPermission", "dossier_person": "register.DossierPerson",
    "follow_up": "register.FollowUpAction", "control": "controls.Control",
    "participant": "controls.ControlParticipant", "control_business": "controls.ControlBusiness",
    "finding": "controls.ControlFinding", "control_signal": "controls.ControlSignal",
    "audit": "register.AuditEvent",
}
# Parents before children, so foreign keys hold at every statement.
WRITE_ORDER = ["person", "dossier", "assigned", "grant", "dossier_person", "follow_up", "signal",
               "form", "indicator", "mention", "truth", "identifier", "business", "vehicle",
               "control", "participant", "control_business", "finding", "control_signal",
               "audit"]


class Writer:
    """Writes batches while the next one is built: Python and PostgreSQL each keep a core
    busy. Inside a transaction (a test) it writes at once, in that transaction."""

    def __init__(self, *, background: bool):
        self.queue: Queue = Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._loop, daemon=True) if background else None
        if self.thread:
            self.thread.start()

    def put(self, rows: dict) -> None:
        if self.thread is None:
            _write_batch(rows)
            return
        self._raise()
        self.queue.put(rows)

    def close(self) -> None:
        if self.thread:
            self.queue.put(None)
            self.thread.join()
            self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _loop(self) -> None:
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # A bulk load that fails is simply run again on a fresh database.
                    cursor.execute("SET synchronous_commit TO off")
            while (rows := self.queue.get()) is not None:
                _write_batch(rows)
        except BaseException as error:  # handed to the main thread
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()


def _write_batch(rows: dict) -> None:
    with transaction.atomic():
        for key in WRITE_ORDER:
            table = ("register_dossier_assigned_analysts" if key == "assigned"
                     else table_of(TABLES[key]))
            write_rows(table, COLUMNS[key], rows.get(key, ()))
