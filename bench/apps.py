from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks: the synthetic data generator and the measurements behind `make bench`.

    The top layer: it may import every app, and no app imports it."""

    name = "bench"
    verbose_name = "Benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
