#!/usr/bin/env python3
"""Checks bouncelens' derived tables against gen.py's ground truth.

  check.py snapshot OUT LABEL SNAPFILE     after each nightly run: what the
                                           tables say this morning
  check.py final OUT TRUTH SNAPFILE REPORTDIR   the verdict

Rules (issue 5's acceptance): every injected event found, times within
+-1 period (day), at most one other alert (other account_alerts rows and
unexpected blocklist_events rows count).  Blocklist episodes on a taken-over
account's sending IP during the takeover (+-1 day) are consequences the
generator injected on purpose (Gmail/Yahoo/Microsoft throttling the spray);
they are listed separately and counted both ways.
"""

import datetime as dt
import glob
import json
import os
import sys

import duckdb

DAY = dt.timedelta(days=1)


def con(out):
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    return c


def rows(c, out, table, cols):
    files = glob.glob(os.path.join(out, table, "**", "*.parquet"), recursive=True)
    if not files:
        return []
    q = "SELECT %s FROM read_parquet('%s/%s/**/*.parquet', hive_partitioning = true, union_by_name = true)" % (
        ", ".join(cols), out, table)
    res = c.execute(q).fetchall()
    return [dict(zip([x.split(" AS ")[-1] for x in cols], r)) for r in res]


BL_COLS = ["sending_ip", "mta_host", "blocklist", "first_seen", "last_seen", "failures", "succeeded_meanwhile",
           "providers", "status", "episode_id", "recipient_domains"]
AA_COLS = ["account", "account_kind", "period_start", "score", "reasons", "recipients", "bad_address_share",
           "new_client_ips", "history_periods"]
TY_COLS = ["recipient_domain", "suggested_domain", "basis", "failures", "first_seen", "last_seen"]


def ts(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def ts_iso(s):
    return dt.datetime.fromisoformat(s)


def d(x):
    return x.astimezone(dt.timezone.utc).date()


def jsonable(r):
    return {k: (v.isoformat() if isinstance(v, (dt.datetime, dt.date)) else v) for k, v in r.items()}


def snapshot(out, label, snapfile):
    c = con(out)
    snap = {"label": label,
            "blocklist_events": [jsonable(r) for r in rows(c, out, "blocklist_events", BL_COLS)],
            "account_alerts": [jsonable(r) for r in rows(c, out, "account_alerts", AA_COLS)]}
    with open(snapfile, "a") as fh:
        fh.write(json.dumps(snap) + "\n")


def final(out, truth_path, snapfile, reportdir):
    truth = json.load(open(truth_path))
    c = con(out)
    bl = rows(c, out, "blocklist_events", BL_COLS)
    aa = rows(c, out, "account_alerts", AA_COLS)
    ty = rows(c, out, "typo_domains", TY_COLS)
    snaps = [json.loads(line) for line in open(snapfile)] if os.path.exists(snapfile) else []
    reports = sorted(glob.glob(os.path.join(reportdir, "report-*.txt")))
    ok = True
    result = {"seed": truth["seed"], "style": truth["style"], "episodes": [], "takeovers": [], "typo": None,
              "extra_blocklist": [], "takeover_consequences": [], "extra_alerts": []}
    print("=== seed %s (%s timestamps, host %s)" % (truth["seed"], truth["style"], truth["host"]))

    used_bl = set()
    for ep in truth["blocklist_episodes"]:
        f0, l0 = ts(ep["first_refusal"]), ts(ep["last_refusal"])
        cand = [i for i, r in enumerate(bl) if r["sending_ip"] == ep["sending_ip"] and r["blocklist"] == ep["blocklist"]
                and r["last_seen"] >= f0 - DAY and r["first_seen"] <= l0 + DAY]
        verdict = {"id": ep["id"], "ip": ep["sending_ip"], "list": ep["blocklist"], "truth_first": ep["first_refusal"],
                   "truth_last": ep["last_refusal"], "refusals": ep["refusals"], "rows": len(cand)}
        if not cand:
            # a near miss: right IP, other list; or right list, no IP
            near = [r for r in bl if (r["sending_ip"] == ep["sending_ip"] or r["blocklist"] == ep["blocklist"])
                    and r["last_seen"] >= f0 - DAY and r["first_seen"] <= l0 + DAY]
            verdict["found"] = False
            verdict["near"] = [jsonable(r) for r in near]
            ok = False
            print("MISS episode %s %s on %s (%s .. %s, %d refusals)%s" % (
                ep["id"], ep["blocklist"], ep["sending_ip"], ep["first_refusal"], ep["last_refusal"], ep["refusals"],
                "; near: " + "; ".join("%s/%s %s..%s" % (r["sending_ip"], r["blocklist"], r["first_seen"], r["last_seen"]) for r in near) if near else ""))
        else:
            used_bl.update(cand)
            fs = min(bl[i]["first_seen"] for i in cand)
            ls = max(bl[i]["last_seen"] for i in cand)
            dfirst = (d(fs) - d(f0)).days
            dlast = (d(ls) - d(l0)).days
            good = abs(dfirst) <= 1 and abs(dlast) <= 1 and len(cand) == 1
            verdict.update({"found": True, "first_seen": fs.isoformat(), "last_seen": ls.isoformat(),
                            "first_off_days": dfirst, "last_off_days": dlast,
                            "failures": sum(bl[i]["failures"] for i in cand)})
            # first morning: the earliest nightly snapshot that shows it
            for s in snaps:
                if any(r["sending_ip"] == ep["sending_ip"] and r["blocklist"] == ep["blocklist"]
                       and ts_iso(r["last_seen"]) >= f0 - DAY for r in s["blocklist_events"]):
                    verdict["first_shown_after_run"] = s["label"]
                    break
            if not good:
                ok = False
            print("%s episode %s %s on %s: truth %s .. %s (%d refusals) -> table %s .. %s (%d failures, %d row%s)%s" % (
                "ok  " if good else "BAD ", ep["id"], ep["blocklist"], ep["sending_ip"], ep["first_refusal"], ep["last_refusal"],
                ep["refusals"], fs.isoformat(), ls.isoformat(), verdict["failures"], len(cand), "s" if len(cand) > 1 else "",
                "; first shown after run %s" % verdict.get("first_shown_after_run")))
        result["episodes"].append(verdict)

    takeover_spans = []
    for tk in truth["takeovers"]:
        s0, e0 = ts(tk["start"]), ts(tk["end"])
        takeover_spans.append((tk["sending_ip"], s0 - DAY, e0 + DAY))
    for i, r in enumerate(bl):
        if i in used_bl:
            continue
        row = jsonable(r)
        if any(r["sending_ip"] == ip and r["last_seen"] >= a and r["first_seen"] <= b for ip, a, b in takeover_spans):
            result["takeover_consequences"].append(row)
        else:
            result["extra_blocklist"].append(row)

    used_aa = set()
    for tk in truth["takeovers"]:
        s0, e0 = ts(tk["start"]), ts(tk["end"])
        cand = [i for i, r in enumerate(aa) if r["account"] in (tk["account"], tk["envelope_sender"])
                and d(s0) - DAY <= d(r["period_start"]) <= d(e0) + DAY]
        v = {"id": tk["id"], "account": tk["account"], "style": tk["style"], "start": tk["start"], "end": tk["end"],
             "recipients": tk["recipients"], "rows": len(cand)}
        if cand:
            used_aa.update(cand)
            best = max(cand, key=lambda i: aa[i]["score"])
            r = aa[best]
            v.update({"found": True, "period_start": r["period_start"].isoformat(), "score": r["score"], "reasons": r["reasons"]})
            for s in snaps:
                if any(x["account"] in (tk["account"], tk["envelope_sender"]) and ts_iso(x["period_start"]) >= s0 - DAY
                       for x in s["account_alerts"]):
                    v["first_shown_after_run"] = s["label"]
                    break
            print("ok   takeover %s %s (%s, %s .. %s, %d rcpts) -> alert period %s score %s: %s; first shown after run %s" % (
                tk["id"], tk["account"], tk["style"], tk["start"], tk["end"], tk["recipients"], r["period_start"].date(),
                r["score"], r["reasons"], v.get("first_shown_after_run")))
        else:
            v["found"] = False
            ok = False
            print("MISS takeover %s %s (%s, %s .. %s, %d msgs, %d rcpts)" % (
                tk["id"], tk["account"], tk["style"], tk["start"], tk["end"], tk["messages"], tk["recipients"]))
        result["takeovers"].append(v)
    for i, r in enumerate(aa):
        if i not in used_aa:
            result["extra_alerts"].append(jsonable(r))

    t = truth["typo"]
    trow = [r for r in ty if r["recipient_domain"] == t["domain"]]
    ev = c.execute("SELECT suggested_domain, COUNT(*) FROM read_parquet('%s/events/**/*.parquet', hive_partitioning = true) "
                   "WHERE recipient_domain = ? GROUP BY ALL" % out, [t["domain"]]).fetchall()
    tv = {"domain": t["domain"], "expected": t["suggested"], "basis": t["basis"], "failures": t["failures"],
          "typo_domains": [jsonable(r) for r in trow], "events_suggested": [list(x) for x in ev]}
    good = any(r["suggested_domain"] == t["suggested"] for r in trow)
    tv["found"] = good
    if not good:
        ok = False
    print("%s typo %s -> %s (%s, %d failures): typo_domains %s; events.suggested_domain %s" % (
        "ok  " if good else "MISS", t["domain"], t["suggested"], t["basis"], t["failures"],
        [(r["suggested_domain"], r["basis"], r["failures"]) for r in trow] or "none", ev))
    result["typo"] = tv
    others_ty = [r for r in ty if r["recipient_domain"] != t["domain"]]
    result["other_typo_domains"] = [jsonable(r) for r in others_ty]
    if others_ty:
        print("     other typo_domains rows: %s" % [(r["recipient_domain"], r["suggested_domain"], r["basis"], r["failures"]) for r in others_ty])

    n_extra = len(result["extra_blocklist"]) + len(result["extra_alerts"])
    n_extra_strict = n_extra + len(result["takeover_consequences"])
    result["extra_count"] = n_extra
    result["extra_count_strict"] = n_extra_strict
    for r in result["extra_blocklist"]:
        print("     extra blocklist episode: %s %s %s .. %s failures=%s providers=%s status=%s" % (
            r["sending_ip"] or r["mta_host"], r["blocklist"], r["first_seen"], r["last_seen"], r["failures"], r["providers"], r["status"]))
    for r in result["takeover_consequences"]:
        print("     takeover consequence: %s %s %s .. %s failures=%s" % (r["sending_ip"], r["blocklist"], r["first_seen"], r["last_seen"], r["failures"]))
    for r in result["extra_alerts"]:
        print("     extra account alert: %s (%s) period %s score %s: %s" % (r["account"], r["account_kind"], r["period_start"][:10], r["score"], r["reasons"]))
    if n_extra > 1:
        ok = False
    print("%s other alerts: %d (strict, counting takeover consequences: %d; allowed 1)" % ("ok  " if n_extra <= 1 else "BAD ", n_extra, n_extra_strict))

    # the morning report mentions each injected event on the morning after it
    rep = {}
    for path in reports:
        rep[os.path.basename(path)[7:-4]] = open(path, errors="replace").read()
    rv = []
    labels = sorted(rep)

    def report_after(t0):
        # the first nightly run whose rotation time is after t0 (labels are ISO rotation times)
        for lab in labels:
            if lab > t0:
                return lab
        return None

    for ep in truth["blocklist_episodes"]:
        lab = report_after(ep["first_refusal"])
        hit = lab is not None and ep["sending_ip"] in rep[lab] and ep["blocklist"] in rep[lab].lower()
        lab_end = report_after(ep["last_refusal"])
        hit_end = lab_end is not None and ep["sending_ip"] in rep[lab_end]
        rv.append({"event": ep["id"], "report": lab, "mentioned": hit, "report_at_end": lab_end, "mentioned_at_end": hit_end})
        # the acceptance: the report prints the event; on its first morning is better
        print("%s report the morning after %s starts (%s) names %s/%s: %s; at its end (%s): %s" % (
            "ok  " if hit else ("late" if hit_end else "BAD "), ep["id"], lab, ep["sending_ip"], ep["blocklist"], hit, lab_end, hit_end))
        ok = ok and (hit or hit_end)
    for tk in truth["takeovers"]:
        lab = report_after(tk["start"])
        hit = lab is not None and tk["account"] in rep[lab]
        rv.append({"event": tk["id"], "report": lab, "mentioned": hit})
        print("%s report the morning after %s (%s) names %s: %s" % ("ok  " if hit else "BAD ", tk["id"], lab, tk["account"], hit))
        ok = ok and hit
    final_rep = rep.get(labels[-1], "") if labels else ""
    result["report"] = rv
    result["typo_in_any_report"] = any(t["domain"] in x for x in rep.values())
    print("     typo domain named in some nightly report: %s" % result["typo_in_any_report"])
    result["ok"] = ok
    with open(os.path.join(os.path.dirname(snapfile), "result.json"), "w") as fh:
        json.dump(result, fh, indent=2, default=str)
    print("RESULT seed %s: %s" % (truth["seed"], "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        snapshot(*sys.argv[2:5])
    elif sys.argv[1] == "final":
        sys.exit(final(*sys.argv[2:6]))
    else:
        sys.exit("usage: check.py snapshot|final ...")
