"""Verblijf on Apache Spark: a roster that has outgrown one machine, assessed on every executor through
``DataFrame.mapInArrow`` (the rules run in Rust over each partition's Arrow batches; nothing is converted row by
row in Python).

``what_if(df, reform)`` takes a Spark DataFrame with the roster columns (``docs/roster-format.md``) and gives one
row per person: the result columns of ``verblijf batch`` under the law in force, the outcomes under the reform
(``reform_eligible`` and ``reform_<scheme>``), and ``input_order``, by which the rows sort back into the order of
the input. ``counts(result)`` gives what ``verblijf simulate --json`` counts: per scheme and outcome, the people
before and after.

The rows of one household (the ``household`` column) must be assessed together: ``what_if`` sends each household
to one partition, keeps its rows in input order, and never cuts it between two Arrow batches. pyspark is not a
dependency of the package; this module imports it when called.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional, Union

import pyarrow as pa

from . import _verblijf
from . import _reform_text

ORDER = "input_order"
"""The column by which ``what_if``'s rows sort back into the input's order."""

SCHEMES = (
    "highly_skilled_migrant",
    "eu_blue_card",
    "orientation_year",
    "regeling_hoogopgeleiden",
    "zoekjaar_afgestudeerden",
    "self_employed",
)


def _plain_strings(table: pa.Table) -> pa.Table:
    """Spark may hand text over as ``large_string``: the roster reads ``string``."""
    fields = [
        f.with_type(pa.string()) if pa.types.is_large_string(f.type) else f for f in table.schema
    ]
    schema = pa.schema(fields)
    return table if schema.equals(table.schema) else table.cast(schema)


def _assess(table: pa.Table, reform: Optional[str], threads: int) -> pa.Table:
    """The batch result columns of ``table`` (``ORDER`` left out of the roster and carried over), with the
    outcomes under ``reform`` added; rejected rows are left out of both."""
    order = table.column(ORDER)
    roster = _plain_strings(table.drop_columns([ORDER]))
    result, rejected = _verblijf.assess_arrow(roster, False, threads, None)
    keep = None
    if rejected:
        dropped = {r[0] - 1 for r in rejected}
        keep = pa.array([i not in dropped for i in range(table.num_rows)])
        order = order.filter(keep)
    if reform is not None:
        after, _ = _verblijf.assess_arrow(roster, False, threads, reform)
        result = result.append_column("reform_eligible", after.column("eligible"))
        for s in SCHEMES:
            result = result.append_column(f"reform_{s}", after.column(s))
    return result.append_column(ORDER, order)


def _partition(reform: Optional[str], threads: int):
    """The function ``mapInArrow`` runs on each partition: batches in, batches out, a household never cut."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        carry: Optional[pa.Table] = None
        for batch in batches:
            table = pa.Table.from_batches([batch])
            if carry is not None:
                table = pa.concat_tables([carry, table])
                carry = None
            if table.num_rows == 0:
                continue
            if "household" in table.column_names:
                # The last household may go on in the next batch: hold its rows back.
                households = table.column("household").to_pylist()
                last = households[-1]
                if last is not None:
                    start = len(households) - 1
                    while start > 0 and households[start - 1] == last:
                        start -= 1
                    carry = table.slice(start)
                    table = table.slice(0, start)
            if table.num_rows:
                yield from _assess(table, reform, threads).to_batches()
        if carry is not None and carry.num_rows:
            yield from _assess(carry, reform, threads).to_batches()

    return run


def _result_schema(df: Any, reform: Optional[str]):
    """The Spark schema of ``what_if``'s rows: the result of assessing no rows of the same columns."""
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    empty = to_arrow_schema(df.schema).empty_table()
    return from_arrow_schema(_assess(empty, reform, 1).schema)


def what_if(
    df: Any,
    reform: Union[str, dict, None] = None,
    *,
    partitions: Optional[int] = None,
    threads_per_task: int = 1,
):
    """The roster ``df`` (a Spark DataFrame) assessed on Spark, under the law in force and, given ``reform`` (YAML
    text, a path or a dict, as for ``verblijf.simulate``), under the reform.

    ``partitions`` (default: Spark's default parallelism) is how many partitions the households are spread over;
    each task assesses its partition on ``threads_per_task`` threads (Spark already runs one task per core).
    Returns a Spark DataFrame (lazy, as Spark's are); sort it by ``input_order`` to get the input's order.
    """
    from pyspark.sql import functions as F

    reform_text = None if reform is None else _reform_text(reform)
    spark = df.sparkSession
    n = partitions or spark.sparkContext.defaultParallelism
    ordered = df.withColumn(ORDER, F.monotonically_increasing_id())
    if "household" in df.columns:
        key = F.coalesce(F.col("household"), F.concat(F.lit("\u0000"), F.col(ORDER).cast("string")))
    else:
        key = F.col(ORDER)
    spread = ordered.repartition(n, key).sortWithinPartitions(ORDER)
    schema = _result_schema(ordered, reform_text)
    return spread.mapInArrow(_partition(reform_text, max(1, threads_per_task)), schema)


def counts(result: Any) -> dict:
    """What ``verblijf simulate --json`` counts, from ``what_if``'s rows: ``{scheme: {outcome: [before, after]}}``
    and the number of outcomes that change, as ``(counts, flips_total)``."""
    columns = [c for s in SCHEMES for c in (s, f"reform_{s}")]
    out: dict = {}
    flips = 0
    # One pass: the rows grouped by all outcomes at once, then summed per column here.
    for row in result.groupBy(*columns).count().collect():
        n = row["count"]
        for s in SCHEMES:
            before, after = row[s], row[f"reform_{s}"]
            out.setdefault(s, {}).setdefault(before, [0, 0])[0] += n
            out[s].setdefault(after, [0, 0])[1] += n
            flips += n if before != after else 0
    return out, flips
