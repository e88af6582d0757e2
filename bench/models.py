from django.db import models


class MentionTruth(models.Model):
    """Which invented individual a synthetic mention really is, so match suggestions can be
    scored. Written only by `generate_synthetic`; a real register leaves this table empty."""

    mention_id = models.BigIntegerField(primary_key=True)
    truth = models.BigIntegerField(db_index=True)
