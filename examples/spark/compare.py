#!/usr/bin/env python3
"""Run every queries/*.sql in Spark SQL and in `bouncelens query` (polars)
over the same tables directory and compare the answers.

    python3 compare.py --out DIR --bin PATH [--queries DIR] [--tol 1e-9]
                       [--duckdb] [--conf spark.sql.ansi.enabled=false]

Rows compare in order when the query ends in a top-level ORDER BY, as
multisets otherwise; numbers compare with a tolerance (decimal, integer and
float are all numbers), timestamps as UTC instants, dates as YYYY-MM-DD.
Prints `same` or `DIFFERENT` per query; exit 1 if any differs or fails.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bouncelens_spark as bs  # noqa: E402

# ----------------------------------------------------------------- values


def norm(v, kind):
    """One value as a comparable Python value: None, float, str, bool."""
    if v is None:
        return None
    if kind == "timestamp":
        if isinstance(v, (int, float)):  # unix micros from Spark
            return int(v)
        d = datetime.fromisoformat(str(v).replace("Z", "+00:00").replace(" ", "T"))
        if d.tzinfo is None:
            d = d.replace(tzinfo=timezone.utc)
        return round(d.timestamp() * 1_000_000)
    if kind == "date":
        return v.isoformat() if isinstance(v, date) else str(v)[:10]
    if kind == "number":
        if isinstance(v, bool):
            return float(v)
        try:
            return float(v)
        except (TypeError, ValueError):
            return str(v)
    if isinstance(v, (list, tuple)):
        return tuple(v)
    return v


def close(a, b, tol):
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
    if isinstance(a, int) and isinstance(b, int):  # timestamps: exact to the µs
        return a == b
    return a == b


def rows_close(r1, r2, tol):
    return len(r1) == len(r2) and all(close(a, b, tol) for a, b in zip(r1, r2))


def sort_key(row):
    """Total order over mixed None/number/str rows (for multiset compare);
    numbers rounded so that tolerance-equal floats sort together."""
    out = []
    for v in row:
        if v is None:
            out.append((0, ""))
        elif isinstance(v, (int, float)):
            out.append((1, round(float(v), 6)))
        else:
            out.append((2, str(v)))
    return out


# ----------------------------------------------------------------- engines


def spark_result(spark, path):
    """(columns, kinds, rows) of a query file run in Spark; timestamps as
    unix micros so no Python time zone gets involved."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DateType, NumericType, TimestampNTZType, TimestampType

    df = bs.run_sql_file(spark, path)
    cols, kinds, exprs = [], [], []
    for i, f in enumerate(df.schema.fields):
        c = F.col(f"`{f.name}`")
        t = f.dataType
        if isinstance(t, (TimestampType, TimestampNTZType)):
            kinds.append("timestamp")
            c = F.unix_micros(c.cast("timestamp"))
        elif isinstance(t, DateType):
            kinds.append("date")
        elif isinstance(t, NumericType):
            kinds.append("number")
            c = c.cast("double")
        else:
            kinds.append("other")
        cols.append(f.name)
        exprs.append(c.alias(f"c{i}"))
    rows = [tuple(norm(v, k) for v, k in zip(r, kinds)) for r in df.select(*exprs).collect()]
    return cols, kinds, rows


def polars_result(bin_path, out, path, kinds):
    """(columns, rows) of `bouncelens query --format jsonl`."""
    p = subprocess.run(
        [bin_path, "query", "--out", out, "--file", str(path), "--format", "jsonl"],
        capture_output=True,
        text=True,
    )
    if p.returncode != 0:
        raise RuntimeError(f"bouncelens query exit {p.returncode}: {p.stderr.strip()[-500:]}")
    objs = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    cols = list(objs[0].keys()) if objs else None
    rows = []
    for o in objs:
        vals = list(o.values())
        ks = kinds if len(kinds) == len(vals) else ["other"] * len(vals)
        rows.append(tuple(norm(v, k) for v, k in zip(vals, ks)))
    return cols, rows


def duckdb_result(out, path, kinds, tables):
    """(columns, rows) of the same file in DuckDB (the reading that
    tests/duckdb_check.py does: hive_partitioning on, UTC)."""
    import duckdb

    con = duckdb.connect()
    con.sql("SET TimeZone = 'UTC'")
    for t in tables:
        con.sql(
            f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{out}/{t}/**/*.parquet', hive_partitioning = true)"
        )
    rel = None
    for stmt in bs.split_sql(Path(path).read_text()):
        rel = con.sql(stmt)
    cols = rel.columns
    rows = [tuple(norm(v, k) for v, k in zip(r, kinds)) for r in rel.fetchall()]
    return cols, rows


# ----------------------------------------------------------------- compare


def has_top_level_order_by(sql_text):
    """ORDER BY outside parentheses in the last statement (window specs and
    sub-queries do not fix the order of the result)."""
    stmt = bs.split_sql(sql_text)[-1].upper()
    depth, i, quote = 0, 0, None
    flat = []
    for ch in stmt:
        if quote:
            quote = None if ch == quote else quote
            flat.append(" ")
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        flat.append(ch if depth == 0 else " ")
    return "ORDER BY" in " ".join("".join(flat).split())


def fmt(row):
    return "(" + ", ".join("NULL" if v is None else repr(v) for v in row) + ")"


def compare(cols_s, rows_s, cols_p, rows_p, ordered, tol):
    """None when the same, else a list of lines saying how they differ."""
    diff = []
    if cols_p is not None and cols_s != cols_p:
        diff.append(f"columns: spark {cols_s} vs bouncelens {cols_p}")
    if len(rows_s) != len(rows_p):
        diff.append(f"row count: spark {len(rows_s)} vs bouncelens {len(rows_p)}")
    a, b = (rows_s, rows_p) if ordered else (sorted(rows_s, key=sort_key), sorted(rows_p, key=sort_key))
    bad = [(i, x, y) for i, (x, y) in enumerate(zip(a, b)) if not rows_close(x, y, tol)]
    if bad and ordered:
        sa, sb = sorted(rows_s, key=sort_key), sorted(rows_p, key=sort_key)
        if len(sa) == len(sb) and all(rows_close(x, y, tol) for x, y in zip(sa, sb)):
            diff.append("same rows in a different order (ties in ORDER BY?)")
    for i, x, y in bad[:5]:
        diff.append(f"row {i}: spark {fmt(x)}")
        diff.append(f"{'':>{len(str(i)) + 5}}bouncelens {fmt(y)}")
    if len(bad) > 5:
        diff.append(f"... {len(bad) - 5} more differing rows")
    return diff or None


def main(argv=None):
    ap = argparse.ArgumentParser(description="Spark SQL vs `bouncelens query` on every queries/*.sql")
    ap.add_argument("--out", required=True, help="tables directory")
    ap.add_argument("--bin", default=os.environ.get("BOUNCELENS_BIN", "bouncelens"))
    ap.add_argument("--queries", default=str(bs.DEFAULT_QUERIES))
    ap.add_argument("--master", help="Spark master (default local[2])")
    ap.add_argument("--duckdb", action="store_true", help="also run each query in DuckDB and compare it with Spark")
    ap.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                    help="extra Spark SQL setting (repeat), e.g. --conf spark.sql.ansi.enabled=false")
    ap.add_argument("--tol", type=float, default=1e-9, help="relative and absolute tolerance for numbers")
    args = ap.parse_args(argv)
    out = str(Path(args.out).resolve())

    t0 = time.time()
    spark = bs.spark_session(args.master, app="bouncelens-compare")
    for kv in args.conf:
        k, _, v = kv.partition("=")
        spark.conf.set(k, v)
    print(f"spark {spark.version} up in {time.time() - t0:.1f}s")
    tables = bs.register_tables(spark, out, verbose=False)

    differing = []
    for f in bs.query_files(args.queries):
        ordered = has_top_level_order_by(f.read_text())
        try:
            cols_s, kinds, rows_s = spark_result(spark, f)
        except Exception as e:
            print(f"{f.name}: DIFFERENT (Spark failed: {str(e).strip().splitlines()[0]})")
            differing.append(f.name)
            continue
        try:
            cols_p, rows_p = polars_result(args.bin, out, f, kinds)
        except Exception as e:
            print(f"{f.name}: DIFFERENT ({e})")
            differing.append(f.name)
            continue
        diff = compare(cols_s, rows_s, cols_p, rows_p, ordered, args.tol)
        how = "in order" if ordered else "as a multiset"
        if diff:
            differing.append(f.name)
            print(f"{f.name}: DIFFERENT ({len(rows_s)} vs {len(rows_p)} rows, {how})")
            for line in diff:
                print(f"    {line}")
        else:
            print(f"{f.name}: same ({len(rows_s)} rows, {how})")
        if args.duckdb:
            try:
                cols_d, rows_d = duckdb_result(out, f, kinds, tables)
                diff = compare(cols_s, rows_s, cols_d, rows_d, ordered, args.tol)
            except Exception as e:
                diff = [f"DuckDB failed: {str(e).strip().splitlines()[0]}"]
            if diff:
                if f.name not in differing:
                    differing.append(f.name)
                print("    DuckDB: DIFFERENT from Spark")
                for line in diff:
                    print(f"        {line.replace('bouncelens', 'duckdb')}")
            else:
                print("    DuckDB: same as Spark")
    spark.stop()
    n = len(bs.query_files(args.queries))
    print(f"{n - len(differing)} same, {len(differing)} different; {time.time() - t0:.1f}s")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
