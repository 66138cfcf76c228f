"""The 10× registry's spec and the side-by-side table of bench.run --scale 1,10."""

from bench.generate import Spec
from bench.results import Result, scale_rows


def test_ten_times_the_nation_is_25000_colleges_and_1_5_million_programs():
    spec = Spec().scaled(10)
    assert (spec.colleges, spec.programs, spec.extra_programs) == (25_000, 1_500_000, 0)
    assert spec.seed == Spec().seed
    assert spec.national_majors == Spec().national_majors
    assert Spec().scaled(1) == Spec()


def test_each_figure_is_paired_with_its_10x_run_whatever_its_counts():
    results = [
        Result("sqlite", "1. GET /programs.csv, 150,098 rows", 0.3, "s", 0.36, "", 0.3 / 0.36),
        Result("sqlite", "1. GET /programs.csv, 600,098 rows", 1.2, "s", 1.6, "", 0.75),
        Result("sqlite", "2. GET /programs?college=", 5000.0, "req/s", 15000.0, "", 1 / 3),
        Result("postgresql", "2. GET /programs?college=", 3000.0, "req/s"),
        Result("sqlite", "1. GET /programs.csv, 1,500,980 rows", 3.6, "s", 3.6, "", 1.0, scale=10),
        Result("sqlite", "2. GET /programs?college=", 4000.0, "req/s", 16000.0, "", 0.25, scale=10),
    ]
    rows = scale_rows(results, 1, 10)
    assert [r[1] for r in rows] == [
        "1. GET /programs.csv, 1,500,980 rows",
        "2. GET /programs?college=",
    ]
    assert rows[0][4] == "12.00×"
    assert rows[0][5] == "1.20×"
    assert rows[1][4] == "0.80×"
    assert rows[1][5] == "0.75×"
