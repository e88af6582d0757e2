"""Match quality and speed on a labelled population, beside Splink (bench.match_eval).
Fills the register of the database it runs on: give it a database of its own.

--again measures once more on the register an earlier run filled (the same --persons,
--mentions and --seed), without loading it again: after a change to the scorer, or to time
the suggestions on a quieter machine. Splink's figures are kept from the --out file then.
--load-only fills the register and stops (to profile on it); --splink-only runs Splink on
the same population and adds its figures to the --out file (Splink needs no database)."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.match_eval import evaluate, load, loaded
from bench.match_population import labelled
from register.models import Person


class Command(BaseCommand):
    help = "Precision, recall and F1 per kind of difference, p95 per mention, and Splink's."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=10_000)
        parser.add_argument("--mentions", type=int, default=2_000)
        parser.add_argument("--strangers", type=float, default=0.25,
                            help="share of mentions about persons not in the register")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-splink", action="store_true")
        parser.add_argument("--again", action="store_true",
                            help="measure on the register an earlier run filled")
        parser.add_argument("--load-only", action="store_true")
        parser.add_argument("--splink-only", action="store_true")
        parser.add_argument("--out", type=Path)

    def handle(self, *args, persons, mentions, strangers, seed, no_splink, again, load_only,
               splink_only, out, **options):
        started = time.monotonic()
        population = labelled(persons, mentions, strangers=strangers, seed=seed)
        if splink_only:
            from bench.match_splink import run_splink

            result = json.loads(out.read_text()) if out and out.exists() else {}
            try:
                result["splink"] = run_splink(population, log=self.stdout.write)
            except Exception as error:  # reported, not hidden, as in a whole run
                result["splink"] = {"error": f"{type(error).__name__}: {error}"}
            if out:
                out.write_text(json.dumps(result, indent=2) + "\n")
            self.stdout.write(f"splink: {result['splink'].get('total', result['splink'])}")
            return
        if again:
            try:
                person_of, made = loaded(population)
            except ValueError as error:
                raise CommandError(str(error)) from error
            result = evaluate(population, splink=False, log=self.stdout.write,
                              person_of=person_of, mentions=made)
            earlier = json.loads(out.read_text()) if out and out.exists() else {}
            for kept in ("splink", "seconds"):
                if kept in earlier:
                    result[kept] = earlier[kept]
            result["register"]["measured_again"] = True
        else:
            if Person.objects.exists():
                raise CommandError("The register is not empty: run this on a database of its "
                                   "own, or measure it --again.")
            if load_only:
                load(population, log=self.stdout.write)
                return
            result = evaluate(population, splink=not no_splink, log=self.stdout.write)
            result["seconds"] = round(time.monotonic() - started)
        text = json.dumps(result, indent=2) + "\n"
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text)
        register = result["register"]
        self.stdout.write(f"register: {register['total']} p95 {register['p95_ms']} ms, "
                          f"CPU p95 {register['cpu_p95_ms']} ms, load {register['load_average']}, "
                          f"queries {register['queries_per_mention']}, "
                          f"misses {register['misses']}")
        for kind, counts in register["by_kind"].items():
            other = result.get("splink", {}).get("by_kind", {}).get(kind, {})
            self.stdout.write(f"  {kind:>20}: P {counts['precision']:.3f} "
                              f"R {counts['recall']:.3f} F1 {counts['f1']:.3f}   "
                              f"splink F1 {other.get('f1', float('nan')):.3f}")
        if "splink" in result:
            splink = result["splink"]
            self.stdout.write(f"splink: {splink.get('total', splink)}")
