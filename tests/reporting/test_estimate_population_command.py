"""`manage.py estimate_population TABLE.csv`: JSON for a good table, a clear error for a bad
one, and no number (with the reason) for a table that cannot carry an estimate."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(tmp_path, text: str, *options: str) -> dict:
    path = tmp_path / "table.csv"
    path.write_text(text)
    from io import StringIO
    out = StringIO()
    call_command("estimate_population", str(path), *options, stdout=out)
    return json.loads(out.getvalue())


def test_a_good_table_prints_the_estimate_as_json(tmp_path):
    result = run(tmp_path, "A,B,count\n1,0,60\n0,1,40\n1,1,40\n")
    assert {"observed", "estimate", "low", "high", "model", "method", "warnings"} <= set(result)
    assert (result["observed"], result["estimate"]) == (140, 200)
    assert result["low"] < 200 < result["high"]
    assert result["warnings"] == []


def test_the_method_can_be_chosen(tmp_path):
    result = run(tmp_path, "A,B,C,count\n1,0,0,60\n0,1,0,40\n1,1,0,40\n0,0,1,30\n1,0,1,10\n"
                           "0,1,1,9\n", "--method", "bic")
    assert result["method"].startswith("lowest BIC")


def test_a_table_that_cannot_carry_an_estimate_prints_the_reason_and_fails(tmp_path, capsys):
    path = tmp_path / "table.csv"
    path.write_text("A,B,count\n1,0,5\n0,1,7\n")
    from io import StringIO
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("estimate_population", str(path), stdout=out)
    assert refused.value.returncode == 2
    result = json.loads(out.getvalue())
    assert result["estimate"] is None
    assert "Nobody appears on more than one list" in result["refused"]


def test_a_bad_file_names_each_problem_with_its_line(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("A,B,count\n2,0,3\n1,0,x\n")
    with pytest.raises(CommandError) as refused:
        call_command("estimate_population", str(path))
    message = str(refused.value)
    assert "line 2: list columns must be 0 or 1" in message
    assert "line 3: the count must be a whole number" in message


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("estimate_population", str(tmp_path / "absent.csv"))


def test_the_explanation_can_be_in_dutch(tmp_path):
    result = run(tmp_path, "A,B,count\n1,0,60\n0,1,40\n1,1,40\n", "--language", "nl")
    assert result["model"] == "hoofdeffecten"


def test_the_interval_can_be_a_parametric_bootstrap(tmp_path):
    text = "A,B,C,count\n1,0,0,60\n0,1,0,40\n1,1,0,40\n0,0,1,30\n1,0,1,10\n0,1,1,9\n1,1,1,5\n"
    profile = run(tmp_path, text)
    bootstrap = run(tmp_path, text, "--interval", "bootstrap", "--replicates", "40")
    assert "parametric bootstrap interval (40 replicates" in bootstrap["method"]
    assert bootstrap["estimate"] == profile["estimate"]
    assert bootstrap["low"] < bootstrap["estimate"] < bootstrap["high"]
    assert (bootstrap["low"], bootstrap["high"]) != (profile["low"], profile["high"])


def test_too_few_bootstrap_replicates_are_refused(tmp_path):
    with pytest.raises(CommandError, match="--replicates"):
        run(tmp_path, "A,B,count\n1,0,60\n0,1,40\n1,1,40\n", "--interval", "bootstrap",
            "--replicates", "5")
