#!/usr/bin/env python3
"""Apache Spark as the engine around bouncelens.

1. lists the input files (files, directories walked, globs),
2. fans them out as Spark tasks; each task runs
   `bouncelens run FILE --out SHARED --shard NAME --no-merge --quiet`
   and returns (file, exit code, stderr tail),
3. runs `bouncelens merge --out SHARED` once on the driver (blocklist_events,
   account_alerts, typo_domains see every host),
4. reads every table under SHARED with Spark (Hive partitions date=/host=),
   registers each as a temp view and runs every queries/*.sql with Spark SQL.

Local:    python3 bouncelens_spark.py LOGS... --out /tmp/bounces --bin PATH
Cluster:  spark-submit --master yarn bouncelens_spark.py /shared/logs --out /shared/bounces
          (SHARED and the inputs on storage every worker mounts at the same
          path; the binary at --bin on every worker, or --ship-bin)

Exit codes: 0 all good; 1 some task, the merge or a query failed; 2 usage.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_QUERIES = HERE.parent.parent / "queries"
STDERR_TAIL = 2000


# ---------------------------------------------------------------- inputs

def list_inputs(args):
    """Expand files, directories (walked, hidden entries skipped) and globs
    on the driver into sorted absolute paths."""
    found = []
    for arg in args:
        if any(c in arg for c in "*?["):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                print(f"bouncelens-spark: no file matches {arg}", file=sys.stderr)
            paths = matches
        else:
            paths = [arg]
        for p in paths:
            p = Path(p)
            if p.is_dir():
                for root, dirs, files in os.walk(p):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    found += [Path(root) / f for f in sorted(files) if not f.startswith(".")]
            elif p.exists():
                found.append(p)
            else:
                print(f"bouncelens-spark: {p}: no such file", file=sys.stderr)
    return sorted({str(p.resolve()) for p in found if p.is_file()})


def shard_name(path, by):
    """The --shard NAME for an input: its own (file name + a hash of the
    path, stable across runs) or its parent directory's name (one task per
    directory, e.g. /logs/mx1/*)."""
    import hashlib

    p = Path(path)
    if by == "parent":
        base = p.parent.name or "root"
    else:
        base = p.name + "-" + hashlib.sha1(str(p).encode()).hexdigest()[:8]
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".") or "shard"
    return base


def plan_tasks(files, by):
    """Tasks of (shard, [files]): one per file, or one per parent directory
    (the files of one shard must run in one process: a shard is locked)."""
    tasks = {}
    for f in files:
        tasks.setdefault(shard_name(f, by), []).append(f)
    return sorted(tasks.items())


# ---------------------------------------------------------------- tasks

def make_runner(bin_path, out, ship_bin, extra):
    """The function each Spark task runs (a closure over plain strings only,
    so it pickles to the workers)."""

    def run_one(task):
        import socket
        import subprocess
        import time

        shard, files = task
        exe = bin_path
        if ship_bin:
            from pyspark import SparkFiles

            exe = SparkFiles.get(os.path.basename(bin_path))
        cmd = [exe, "run", *files, "--out", out, "--shard", shard, "--no-merge", "--quiet", *extra]
        started = time.time()
        try:
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            code, err = p.returncode, p.stderr.decode("utf-8", "replace")
        except OSError as e:  # binary missing on this worker
            code, err = 127, f"cannot start {exe}: {e}"
        return {
            "shard": shard,
            "files": files,
            "code": code,
            "stderr": err[-STDERR_TAIL:],
            "seconds": round(time.time() - started, 2),
            "worker": socket.gethostname(),
        }

    return run_one


def fan_out(sc, tasks, runner):
    if not tasks:
        return []
    return sc.parallelize(tasks, len(tasks)).map(runner).collect()


def report_tasks(results):
    failed = [r for r in results if r["code"] != 0]
    for r in results:
        mark = "ok" if r["code"] == 0 else f"FAILED (exit {r['code']})"
        last = r["stderr"].strip().splitlines()[-1:] or [""]
        print(f"  {r['shard']}: {len(r['files'])} file(s) on {r['worker']} in {r['seconds']}s: {mark}  {last[0]}")
    for r in failed:
        print(f"--- {r['shard']} ({', '.join(r['files'])}) exit {r['code']}; stderr tail:", file=sys.stderr)
        print(r["stderr"].rstrip(), file=sys.stderr)
    return failed


def merge(bin_path, out):
    """`bouncelens merge` on the driver: the cross-host tables."""
    try:
        p = subprocess.run([bin_path, "merge", "--out", out], stderr=subprocess.PIPE, text=True)
    except OSError as e:
        print(f"bouncelens-spark: cannot start {bin_path}: {e}", file=sys.stderr)
        return False
    sys.stderr.write(p.stderr)
    if p.returncode != 0 and "unrecognized subcommand" in p.stderr:
        print(
            "bouncelens-spark: this bouncelens has no `merge` subcommand (too old); "
            "blocklist_events and account_alerts were not rebuilt across hosts",
            file=sys.stderr,
        )
    return p.returncode == 0


# ---------------------------------------------------------------- Spark

def spark_session(master=None, app="bouncelens"):
    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName(app)
    if master:
        b = b.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # plain `python3 this.py`; spark-submit brings its own master and conf
        b = b.master("local[2]")
        # small local data: 200 shuffle partitions cost seconds per query
        b = b.config("spark.sql.shuffle.partitions", "4")
    conf = {
        # timestamps are UTC instants; print and compare them in UTC
        "spark.sql.session.timeZone": "UTC",
        # host=007 must stay the string "007": partition values are read as
        # strings and `date` is cast back to DATE in read_table
        "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }
    for k, v in conf.items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    quiet_duplicate_date_warning(spark)
    return spark


def quiet_duplicate_date_warning(spark):
    """The part files hold a `date` column and sit under date=...: Spark
    warns COLUMN_ALREADY_EXISTS for every table and then uses the partition
    value (the same date). Silence that one logger; harmless if it fails."""
    try:
        jvm = spark.sparkContext._jvm
        level = jvm.org.apache.logging.log4j.Level.ERROR
        jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
            "org.apache.spark.sql.execution.datasources.DataSource", level
        )
    except Exception:
        pass


def table_dirs(out):
    """Every table directory under OUT: not hidden (.bouncelens/), not
    Spark's or Hadoop's own (_temporary)."""
    out = Path(out)
    return sorted(
        p for p in out.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )


def read_table(spark, path):
    """One table, Hive-partitioned (date=/host= or date= only) or flat
    (part-0.parquet). Spark skips files and directories that start with '.'
    or '_'; basePath makes date/host columns even when a reader points at a
    sub-directory."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    df = spark.read.option("basePath", str(path)).parquet(str(path))
    types = dict(df.dtypes)
    if types.get("date") == "string":  # partition values read as strings
        df = df.withColumn("date", F.col("date").cast("date"))
    if "host" in types and not isinstance(df.schema["host"].dataType, StringType):
        df = df.withColumn("host", F.col("host").cast("string"))
    return df


def register_tables(spark, out, verbose=True):
    names = []
    for d in table_dirs(out):
        if not any(d.rglob("*.parquet")):
            continue
        df = read_table(spark, d)
        df.createOrReplaceTempView(d.name)
        names.append(d.name)
        if verbose:
            first = next(d.rglob("*.parquet")).relative_to(d).parts[:-1]
            parts = [p.split("=", 1)[0] for p in first if "=" in p]
            print(f"  {d.name}: {len(df.columns)} columns, partitions {parts or 'none'}")
    return names


def split_sql(text):
    """Statements of a SQL file: `--` comments dropped, split on `;`
    outside quotes."""
    stmts, cur, i, quote = [], [], 0, None
    while i < len(text):
        c = text[i]
        if quote:
            cur.append(c)
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            cur.append(c)
        elif text.startswith("--", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif c == ";":
            stmts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    stmts.append("".join(cur).strip())
    return [s for s in stmts if s]


SET_TZ = re.compile(r"(?is)^SET\s+(?:TimeZone|TIME\s+ZONE)\s*(?:=|TO)?\s*'([^']*)'$")


def run_sql_file(spark, path):
    """Run a queries/*.sql file: its SET statements, then the query; the
    result of the last statement as a DataFrame."""
    stmts = split_sql(Path(path).read_text())
    df = None
    for s in stmts:
        m = SET_TZ.match(s)
        if m:  # DuckDB/polars spelling; Spark's is SET TIME ZONE 'UTC'
            spark.conf.set("spark.sql.session.timeZone", m.group(1))
            continue
        df = spark.sql(s)
    return df


def query_files(queries):
    q = Path(queries)
    return sorted(q.glob("*.sql")) if q.is_dir() else [q]


def run_queries(spark, queries, show):
    failed = []
    for f in query_files(queries):
        print(f"\n== {f.name}")
        try:
            df = run_sql_file(spark, f)
            rows = df.count()
            df.show(show, truncate=60)
            print(f"({rows} rows)")
        except Exception as e:  # a Spark analysis or runtime error
            msg = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
            print(f"FAILED: {msg}")
            failed.append(f.name)
    return failed


# ---------------------------------------------------------------- main

def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="*", help="log files, directories or globs (seen from the driver)")
    ap.add_argument("--out", required=True, help="shared tables directory (same path on every worker)")
    ap.add_argument("--bin", default=os.environ.get("BOUNCELENS_BIN") or shutil.which("bouncelens") or "bouncelens",
                    help="bouncelens binary on the workers and the driver (default $BOUNCELENS_BIN, else PATH)")
    ap.add_argument("--ship-bin", action="store_true",
                    help="send --bin to the workers with the job (SparkContext.addFile) instead of expecting it there")
    ap.add_argument("--shard-by", choices=["file", "parent"], default="file",
                    help="one task and state shard per file (default), or per parent directory (e.g. logs/mx1/)")
    ap.add_argument("--run-arg", action="append", default=[],
                    help="extra argument for every `bouncelens run` (repeat), e.g. --run-arg=--year=2026")
    ap.add_argument("--queries", default=str(DEFAULT_QUERIES), help="a .sql file or a directory of them")
    ap.add_argument("--master", help="Spark master (default: spark-submit's, else local[2])")
    ap.add_argument("--no-merge", action="store_true", help="skip `bouncelens merge`")
    ap.add_argument("--no-queries", action="store_true", help="stop after the merge")
    ap.add_argument("--show", type=int, default=20, help="rows printed per query")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    out = str(Path(args.out).resolve())
    bin_path = str(Path(args.bin).resolve()) if os.path.sep in args.bin else args.bin
    files = list_inputs(args.inputs)
    tasks = plan_tasks(files, args.shard_by)
    status = 0

    t0 = time.time()
    spark = spark_session(args.master)
    sc = spark.sparkContext
    print(f"spark {spark.version} ({sc.master}) up in {time.time() - t0:.1f}s")
    if args.ship_bin:
        sc.addFile(bin_path)

    Path(out).mkdir(parents=True, exist_ok=True)
    t1 = time.time()
    print(f"running {len(files)} input(s) as {len(tasks)} task(s) into {out}")
    results = fan_out(sc, tasks, make_runner(bin_path, out, args.ship_bin, args.run_arg))
    failed = report_tasks(results)
    print(f"tasks done in {time.time() - t1:.1f}s: {len(results) - len(failed)} ok, {len(failed)} failed")
    if failed:
        status = 1

    if not args.no_merge:
        t2 = time.time()
        if merge(bin_path, out):
            print(f"merge done in {time.time() - t2:.1f}s")
        else:
            print("bouncelens-spark: merge FAILED", file=sys.stderr)
            status = 1

    if not args.no_queries:
        t3 = time.time()
        print("tables:")
        register_tables(spark, out)
        bad = run_queries(spark, args.queries, args.show)
        print(f"\nqueries done in {time.time() - t3:.1f}s; {len(bad)} failed {bad if bad else ''}")
        if bad:
            status = 1
    spark.stop()
    print(f"total {time.time() - t0:.1f}s")
    return status


if __name__ == "__main__":
    sys.exit(main())
