"""A what-if over a Parquet roster on Apache Spark (local mode, two workers), through the Python package's
``verblijf.spark.what_if`` (``DataFrame.mapInArrow``), against the command line on the same file: the results under
the law in force equal ``verblijf batch``'s Parquet output row for row, and the counts under the reform equal
``verblijf simulate --json``'s.

Needs pyspark and a Java runtime, and the ``verblijf`` binary (``VERBLIJF_BIN``, else ``target/release/verblijf``
or ``target/debug/verblijf``, else the one on ``PATH``). ``VERBLIJF_SPARK_ROWS`` sets the roster's size (default
3000); the run times of both sides are printed (``pytest -s``).
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import verblijf
from verblijf import spark as vspark

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFORM = ROOT / "examples" / "reforms" / "hsm-2027-proposal.yaml"
ROWS = int(os.environ.get("VERBLIJF_SPARK_ROWS", "3000"))


def verblijf_bin() -> str:
    if os.environ.get("VERBLIJF_BIN"):
        return os.environ["VERBLIJF_BIN"]
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "verblijf"
        if p.exists():
            return str(p)
    found = shutil.which("verblijf")
    assert found, "no verblijf binary: build it (cargo build --release -p verblijf-cli) or set VERBLIJF_BIN"
    return found


def run(*args):
    subprocess.run([verblijf_bin(), *map(str, args)], check=True, capture_output=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers run the Python of this venv, where the wheel is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("verblijf-what-if")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("spark")
    roster = d / "roster.parquet"
    run("generate", ROWS, "--seed", 7, "--from", "2026-01-01", "--until", "2027-12-31", "--out", roster)
    t0 = time.perf_counter()
    run("batch", roster, "--out", d / "batch.parquet")
    batch_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    run("simulate", roster, "--reform", REFORM, "--out", d / "report.html", "--json", d / "simulate.json")
    simulate_s = time.perf_counter() - t0
    print(f"\n{ROWS} rows: verblijf batch {batch_s:.2f} s, verblijf simulate {simulate_s:.2f} s")
    return d


@pytest.fixture(scope="module")
def spark_run(spark, files):
    """The what-if on Spark, written as Parquet; the seconds it took (read, assess twice, write)."""
    t0 = time.perf_counter()
    df = spark.read.parquet(str(files / "roster.parquet"))
    result = vspark.what_if(df, str(REFORM))
    result.write.mode("overwrite").parquet(str(files / "spark.parquet"))
    seconds = time.perf_counter() - t0
    print(f"{ROWS} rows: Spark local[2] what-if (read, both assessments, write) {seconds:.2f} s")
    return spark.read.parquet(str(files / "spark.parquet")), seconds


def test_the_spark_results_under_the_law_in_force_equal_verblijf_batch_row_for_row(files, spark_run):
    batch = pq.read_table(files / "batch.parquet")
    on_spark = pq.read_table(files / "spark.parquet")
    assert on_spark.num_rows == batch.num_rows == ROWS
    on_spark = on_spark.sort_by(vspark.ORDER)
    assert on_spark.column(vspark.ORDER).to_pylist() == sorted(on_spark.column(vspark.ORDER).to_pylist())
    for name in batch.column_names:
        assert on_spark.column(name).to_pylist() == batch.column(name).to_pylist(), name


def test_the_spark_counts_under_the_reform_equal_verblijf_simulate(files, spark_run):
    result, _ = spark_run
    counts, flips = vspark.counts(result)
    simulated = json.loads((files / "simulate.json").read_text(encoding="utf-8"))
    expected = {
        s: {o: list(pair) for o, pair in m.items()} for s, m in simulated["counts"].items()
    }
    assert counts == expected
    assert flips == simulated["flips_total"]
    assert flips > 0, "the 2027 reform changes outcomes in a 2026-2027 population"


def test_a_household_cut_between_arrow_batches_is_assessed_whole(spark, files):
    # Batches of 7 rows cut households of two to four; the results must not change.
    first = pq.read_table(files / "roster.parquet").slice(0, 400)
    pq.write_table(first, files / "first.parquet")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "7")
    try:
        df = spark.read.parquet(str(files / "first.parquet"))
        small = vspark.what_if(df).toArrow().sort_by(vspark.ORDER)
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    whole = verblijf.assess_table(first)
    assert small.num_rows == whole.num_rows == 400
    for name in whole.column_names:
        assert small.column(name).to_pylist() == whole.column(name).to_pylist(), name
    assert pa.compute.sum(pa.compute.is_valid(whole.column("household"))).as_py() > 0
