#!/usr/bin/env python3
"""Regenerates tests/corpus/exim/*.log, expected.tsv and arrivals.tsv from src/.

src/log_NNNN and src/rej_NNNN are main and reject logs of the Exim test suite
(Exim/exim test/log/NNNN and test/rejectlog/NNNN, some repeated runs trimmed);
src/real_fixtures holds public fixture and issue-thread lines (fail2ban's exim and
exim-spam fixtures, GitHub issue threads quoting exim_mainlog, provider replies),
already rewritten to documentation addresses and IPs.

The test suite's placeholders become realistic values: message ids
(10HmaX-0005vi-00, 10HmaX-000000005vi-0000) map to distinct ids of the same
shape, V4NET.a.b.c and ip4.ip4.ip4.ip4 to documentation IPs, test.ex to
example.com, pppp / p1234 to pids, sss to sizes, `defer (dd)` to the errno of the
text. Each file gets one stamp style (plain, .fff, zone, [pid], through syslog,
syslog with Exim's own stamp), and the busier files are written twice in two
styles, so every layout is exercised.

expected.tsv: `file  line_no  outcome  records` for every line that must yield a
failure record, decided from the line shape alone (Exim spec, "Log files"):
`**` bounced (expired for "retry timeout exceeded"), `==` deferred, and the ACL
rejection lines (`[temporarily ]rejected RCPT|MAIL|DATA|after DATA|connection|
EHLO or HELO|by non-SMTP ACL|by local_scan()`, `rejected from <s>`) rejected.
arrivals.tsv: `file  line_no  sender  sasl_user` for every `<=`/`(=` line
(sasl_user is the user of A=authenticator:user, `-` when none; an empty
sender is the null sender `<>`).
Run: python3 generate.py"""
import os, re, itertools

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def b62(n, width):
    s = ""
    for _ in range(width):
        s = B62[n % 62] + s
        n //= 62
    return s


class Ids:
    """Maps test-suite ids to realistic ids of the same format, per file."""

    def __init__(self, seed):
        self.seed = seed
        self.map = {}

    def __call__(self, m):
        old = m.group(0)
        if old not in self.map:
            n = len(self.map) + 1
            t = 1_700_000_000 + self.seed * 7919 + n * 131
            if len(old) == 16:  # 6-6-2
                new = f"{b62(t, 6)}-{b62(self.seed * 4000 + n * 37, 6)}-{b62(n * 11 + self.seed, 2)}"
            else:  # 6-11-4 (4.97+)
                new = f"{b62(t, 6)}-{b62(self.seed * 400000 + n * 3721, 11)}-{b62(n * 977 + self.seed, 4)}"
            self.map[old] = new
        return self.map[old]


ID_RE = re.compile(r"\b10H[a-z]{2}[A-Z]-(?:0005vi-00|000000005vi-0000)\b")

REWRITES = [
    (r"V4NET\.(\d+)\.(\d+)\.(\d+)", lambda m: f"198.51.100.{(int(m.group(3)) + int(m.group(2))) % 250 + 1}"),
    (r"ip4\.ip4\.ip4\.ip4", "192.0.2.25"),
    (r"\b32\.32\.32\.32\b", "203.0.113.32"),
    (r"\b55\.55\.55\.55\b", "203.0.113.55"),
    (r"\b56\.56\.(5\d)\.5\d\b", lambda m: f"203.0.113.{m.group(1)}"),
    (r"cus\.cam\.ac\.uk", "example.ac.uk"),
    (r"shrike\.depaul\.edu", "students.example.edu"),
    (r"myhost\.test\.ex", "mx1.example.com"),
    (r"the\.local\.host\.name", "mx1.example.com"),
    (r"\btest\.ex\b", "example.com"),
    (r"\bsome\.domain\b", "example.net"),
    (r"\bCALLER\b", "alice"),
    (r"\bEXIMUSER\b", "Debian-exim"),
    (r"\bx\.yz\b", "4.97"),
    (r"TESTSUITE", "/var/lib/exim4"),
    (r"PORT_D", "25"),
    (r"\bD=qqs\b", "D=1s"),
    (r"\bpid=pppp\b", "pid=31337"),
    (r"\bpid=p(\d+)", r"pid=4\1"),
    (r"\bCi=p(\d+)", r"Ci=4\1"),
    (r"\bS=sss\b", "S=2841"),
    (r"defer \(dd\): Connection refused", "defer (111): Connection refused"),
    (r"defer \(dd\): Connection timed out", "defer (110): Connection timed out"),
    (r"defer \(dd\): Network Error", "defer (101): Network is unreachable"),
    (r"Network Error", "Network is unreachable"),
]
REWRITES = [(re.compile(p), r) for p, r in REWRITES]

MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
STAMP_RE = re.compile(r"^(?:1999-03-02 09:44:33|2017-07-30 18:51:05\.712) ")
NATIVE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?(?: \[\d+\])? ")


def stamp(style, k, day, pid):
    """A stamp for the k-th line of a file in one of six styles."""
    hh, mm, ss = 8 + (k // 3600) % 12, (k // 60) % 60, k % 60
    ms = (k * 37) % 1000
    native = f"2024-03-{day:02} {hh:02}:{mm:02}:{ss:02}"
    if style == "plain":
        return native + " "
    if style == "ms":
        return f"{native}.{ms:03} "
    if style == "zone_pid":
        return f"{native}.{ms:03} +0100 [{pid}] "
    if style == "zone":
        return f"{native} -0500 "
    sys = f"{MON[2]} {day:>2} {hh:02}:{mm:02}:{ss:02} mx1 exim[{pid}]: "
    if style == "syslog":
        return sys
    if style == "syslog_own":
        return sys + native + " "
    raise ValueError(style)


def render(src, style, seed):
    ids = Ids(seed)
    out = []
    k = 0
    for raw in open(os.path.join(SRC, src), encoding="utf-8").read().split("\n")[:-1]:
        line = ID_RE.sub(ids, raw)
        for pat, rep in REWRITES:
            line = pat.sub(rep, line)
        m = STAMP_RE.match(line)
        if m:
            k += 7 + (k % 5)
            line = stamp(style, k, 1 + seed % 28, 20000 + seed * 17 + k % 13) + line[m.end():]
        elif style.startswith("syslog") and NATIVE_RE.match(line) and not src.startswith("rej_"):
            # fixture lines with their own stamps: keep the text, wrap it
            k += 3
            body = NATIVE_RE.sub("", line, count=1)
            line = stamp(style, k, 1 + seed % 28, 20000 + seed * 17) + body
        out.append(line)
    return out


# (source, [styles]); the reject logs keep native stamps (a header dump cannot go
# through syslog), the fixtures keep their own stamps in the first rendering.
PLAN = [
    ("log_0021", ["plain", "syslog"]),
    ("log_0022", ["ms"]),
    ("log_0023", ["zone_pid", "syslog_own"]),
    ("log_0026", ["plain"]),
    ("log_0027", ["ms", "syslog"]),
    ("log_0098", ["plain", "zone_pid"]),
    ("log_0099", ["syslog", "ms"]),
    ("log_0217", ["plain", "syslog_own"]),
    ("log_0218", ["zone"]),
    ("log_0227", ["plain", "syslog"]),
    ("log_0230", ["ms"]),
    ("log_0376", ["zone_pid"]),
    ("log_0476", ["plain"]),
    ("log_0612", ["ms", "syslog"]),
    ("log_0622", ["plain"]),
    ("log_0900", ["ms"]),
    ("log_2000", ["zone"]),
    ("log_3400", ["plain", "syslog_own"]),
    ("log_4000", ["ms"]),
    ("log_5400", ["plain"]),
    ("rej_0021", ["plain"]),
    ("rej_0026", ["ms"]),
    ("real_fixtures", ["keep", "syslog"]),
]

FLAG_RE = re.compile(
    r"^(?:\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ exim\d?\[\d+\]: )?"  # syslog header
    r"(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?(?: \[\d+\])? )?"  # Exim stamp
    r"(?:(?P<id>[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) )?"
    r"(?P<rest>.*)$"
)
REJECT_RE = re.compile(
    r"(?:^| )(?:temporarily )?rejected (?:RCPT |MAIL |DATA|after DATA|connection in |EHLO or HELO |by non-SMTP ACL|by local_scan\(\))"
)


def expect(line):
    """(outcome, records) a line must yield, or None; and arrival facts."""
    if not line or line[0] in " \t" or line.startswith(("Envelope-", "******")):
        return None, None
    m = FLAG_RE.match(line)
    if not m:
        return None, None
    rest = m.group("rest")
    if m.group("id") and rest.startswith("** "):
        return ("expired" if "retry timeout exceeded" in rest else "bounced", 1), None
    if m.group("id") and rest.startswith("== "):
        return ("deferred", 1), None
    if m.group("id") and rest.startswith(("<= ", "(= ")):
        fields = rest[3:].split(' T="')[0]
        sender = fields.split(" ")[0]
        sender = sender[1:-1] if sender.startswith("<") and sender.endswith(">") else sender
        a = re.search(r"(?:^| )A=([^ ]+)", fields)
        user = a.group(1).split(":", 1)[1] if a and ":" in a.group(1) else "-"
        return None, (sender, user)
    if rest.startswith(("H=", "U=", "F=", "A=", "I=", "P=")) and REJECT_RE.search(rest):
        if not re.search(r"SMTP protocol (?:synchronization )?error", rest):
            return ("rejected", 1), None
    if rest.startswith("rejected from <"):
        return ("rejected", 1), None
    return None, None


def main():
    for f in os.listdir(HERE):
        if f.endswith(".log"):
            os.remove(os.path.join(HERE, f))
    exp_rows, arr_rows = [], []
    seed = 0
    for src, styles in PLAN:
        for style in styles:
            seed += 1
            if style == "keep":
                lines = open(os.path.join(SRC, src), encoding="utf-8").read().split("\n")[:-1]
            else:
                lines = render(src, style, seed)
            name = f"{src.replace('log_', 'main_').replace('rej_', 'reject_')}_{style}.log"
            with open(os.path.join(HERE, name), "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
            for n, line in enumerate(lines, 1):
                e, a = expect(line)
                if e:
                    exp_rows.append(f"{name}\t{n}\t{e[0]}\t{e[1]}")
                if a:
                    arr_rows.append(f"{name}\t{n}\t{a[0]}\t{a[1]}")
    with open(os.path.join(HERE, "expected.tsv"), "w") as fh:
        fh.write("# file\tline_no\toutcome\trecords   (generated by generate.py from the line shapes)\n")
        fh.write("\n".join(exp_rows) + "\n")
    with open(os.path.join(HERE, "arrivals.tsv"), "w") as fh:
        fh.write("# file\tline_no\tsender\tsasl_user   (generated; - = none, empty = <>)\n")
        fh.write("\n".join(arr_rows) + "\n")
    total = sum(1 for f in os.listdir(HERE) if f.endswith(".log") for _ in open(os.path.join(HERE, f)))
    print(f"{total} lines, {len(exp_rows)} failure lines, {len(arr_rows)} arrivals")


if __name__ == "__main__":
    main()
