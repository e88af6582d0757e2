"""The data sizes of the benchmarks: a small register, a national one, ten years of a large
national one. Kept apart from the generator so the runner needs no Django."""

SIZES = {"small": 10_000, "national": 250_000, "large": 1_000_000}
