import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One thing somebody did or saw. Append-only and hash-chained.

    Events hold ids, codes and field names, never the personal data itself, so that retention
    can purge a record without touching (and breaking) the chain.
    """

    at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor = models.ForeignKey(
        "register.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    organisation_code = models.CharField(_("organisation"), max_length=20, blank=True,
                                         db_index=True)
    roles = models.CharField(_("roles"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # A reference that is not personal data (e.g. MH-2026-000123), so an auditor can ask
    # "who saw this signal" without the register looking into the signal.
    object_ref = models.CharField(_("reference"), max_length=40, blank=True, db_index=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    result_ids = models.JSONField(_("ids returned"), default=list, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"

    def payload(self) -> bytes:
        """What the hash covers: every column but the hashes, in a fixed form."""
        return event_payload(*(getattr(self, name) for name in HASHED_FIELDS))

    def compute_hash(self, prev_hash: str) -> str:
        return chain_hash(prev_hash, self.payload())


# The columns the hash covers, in the order they are hashed.
HASHED_FIELDS = ("at", "actor_id", "actor_username", "organisation_code", "roles", "action",
                 "object_type", "object_id", "object_ref", "request_id", "ip", "result_ids",
                 "detail")


def event_payload(at, *rest) -> bytes:
    """The hashed form of an event's values (HASHED_FIELDS order). A function of plain values,
    so the chain can be checked, or bulk-written, without building model instances."""
    return json.dumps([at.isoformat(timespec="microseconds"), *rest], sort_keys=True,
                      separators=(",", ":"), ensure_ascii=True).encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + b"|" + payload).hexdigest()
