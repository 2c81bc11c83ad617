"""Check that the tables open in DuckDB with the documented columns and
that every file in queries/ runs there. Usage: duckdb_check.py OUT_DIR"""
import pathlib
import sys

import duckdb

COLUMNS = {
    "events": "ts date source_kind source_file line_no message_index mta_host queue_id sender "
    "sender_domain sasl_user client_ip recipient recipient_domain outcome cause permanent "
    "smtp_code enhanced_status rule blocklist provider sending_ip remote_host remote_ip "
    "suggested_domain diagnostic",
    "by_domain": "date period_start recipient_domain outcome cause attempts recipients senders",
    "by_sending_ip": "date period_start sending_ip provider outcome cause attempts recipients senders",
    "by_sender": "date period_start account outcome cause attempts recipients senders client_ips",
    "inputs": "path size fingerprint format lines records unparsed errors run_id",
    "blocklist_events": "sending_ip blocklist first_seen last_seen failures recipient_domains example_diagnostic status",
    "account_alerts": "account period_start score reasons recipients bad_address_share client_ips",
    "typo_domains": "recipient_domain suggested_domain basis failures recipients first_seen last_seen",
}

out = pathlib.Path(sys.argv[1])
con = duckdb.connect()
con.sql("SET TimeZone = 'UTC'")
for table, cols in COLUMNS.items():
    con.sql(
        f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = true)"
    )
    have = {r[0] for r in con.sql(f"DESCRIBE SELECT * FROM {table}").fetchall()}
    missing = set(cols.split()) - have
    assert not missing, f"{table} lacks {sorted(missing)}"
causes = [r[0] for r in con.sql("SELECT cause, count(*) FROM events GROUP BY 1 ORDER BY 1").fetchall()]
print("causes in events:", causes)
for q in sorted(pathlib.Path(__file__).resolve().parent.parent.joinpath("queries").glob("*.sql")):
    rows = con.sql(q.read_text()).fetchall()
    assert rows, f"{q.name} returned no rows"
    print(f"{q.name}: {len(rows)} rows")
print("duckdb check ok")
