#!/usr/bin/env python3
"""Independent month-of-Postfix-logs scenario generator for bouncelens (issue 5).

Written from the issue text, DESIGN.md, README.md and knowledge of real
Postfix logs and real provider rejection texts -- not from src/sample.rs.

It simulates one Postfix host of a small hosting company that is both the
submission server (SASL users of ~16 customer domains, webmail on
localhost, an app server relaying newsletters/invoices) and the inbound MX
(postscreen + smtpd RBL rejects of spammers, local delivery over LMTP).
Outbound mail leaves through sender-dependent transports, three of them
with `syslog_name = postfix-<IP>` and the default one as plain
`postfix/smtp` (its IP only shows up in remote texts).

Message life cycles are simulated: per-recipient results at each attempt,
deferred mail retried with Postfix's backoff (300 s doubling to 4000 s),
expiry after 5 days, non-delivery notifications delivered back over LMTP,
greylisting, dead hosts, full mailboxes, stale contacts, stray provider
throttling, and the injected events:

  * two account takeovers (SASL credentials used from foreign IPs to spray),
  * three blocklist episodes (distinct IPs and lists; one crosses the
    nightly rotation boundary), refusals only from receivers that use that
    list, with the receiver's own wording,
  * one typo domain (NXDOMAIN) near a common provider or a domain we deliver
    to.

Output: OUT/logs/mail.log-YYYYMMDD (one file per local day, named like
logrotate's dateext does, i.e. by the rotation date = the next day), the
live-file prefix OUT/logs/live-YYYYMMDD (the first 30 minutes of a day, as a
cron job at 00:30 sees /var/log/mail.log), and OUT/truth.json.

Usage: gen.py --seed N --out DIR [--style traditional|local|rfc3339]
       [--scale F] [--days 30]
"""

import argparse
import bisect
import datetime as dt
import json
import math
import os
import random
import string
import zlib

YEAR, MONTH = 2026, 4

FIRST = ("anna ben carla david eva frank greta hans ida jonas karin lukas maria "
         "nina oliver paula quentin rosa sven tina ulrich vera walter xenia yusuf "
         "zoe adam bella chris diana emil fiona georg helen ivan julia kevin laura "
         "marco nora oscar petra rafael sara tom ursula victor wendy alex mia leon "
         "sofia noah emma liam olivia elias hannah finn lena paul amelie felix "
         "clara max jakob lisa simon tobias sandra markus sabine thomas stefanie "
         "michael andrea daniel nicole patrick julian claudia robert susanne").split()
LAST = ("mueller schmidt schneider fischer weber meyer wagner becker schulz "
        "hoffmann koch richter klein wolf schroeder neumann schwarz braun zimmermann "
        "krueger hartmann lange werner krause lehmann schmitt walter koehler maier "
        "smith jones taylor brown williams wilson johnson davies robinson wright "
        "thompson evans walker white roberts green hall wood jackson clarke "
        "martin bernard dubois thomas robert richard petit durand leroy moreau "
        "rossi russo ferrari esposito bianchi romano colombo ricci marino greco "
        "jansen devries bakker visser smit meijer bos mulder degroot bosman").split()
WORDS = ("harbour view alpen rose north field tide water green leaf blue peak "
         "silver birch oak stone river bend maple crest summit bright light "
         "iron gate clear spring willow brook falcon ridge cedar grove red kite "
         "golden mile lake side sea breeze sun flower mill pond fox hill "
         "copper beech west wind east port high moor stag horn").split()
BIZ = ("dental legal design marine clinic logistics consulting accounting "
       "architects bakery hotel school studio electric plumbing media labs "
       "partners group systems solutions foods motors tours realty optics "
       "veterinary pharmacy kita verlag immobilien technik bau praxis").split()
TLDS = [("com", 30), ("de", 18), ("co.uk", 10), ("nl", 5), ("fr", 5), ("at", 3),
        ("ch", 3), ("org", 6), ("net", 5), ("io", 3), ("eu", 2), ("it", 3),
        ("be", 2), ("se", 2), ("dk", 1)]

# consumer domains: weight, mx kind
CONSUMER = [
    ("gmail.com", 26, "gmail"), ("googlemail.com", 1.2, "gmail"),
    ("outlook.com", 5, "mscons"), ("hotmail.com", 6, "mscons"),
    ("live.com", 2, "mscons"), ("msn.com", 0.6, "mscons"),
    ("hotmail.co.uk", 1, "mscons"), ("outlook.de", 0.8, "mscons"),
    ("yahoo.com", 4, "yahoo"), ("yahoo.co.uk", 1, "yahoo"), ("aol.com", 1.5, "yahoo"),
    ("ymail.com", 0.3, "yahoo"), ("yahoo.de", 0.6, "yahoo"),
    ("icloud.com", 3, "icloud"), ("me.com", 0.5, "icloud"),
    ("gmx.de", 2.2, "gmx"), ("web.de", 1.8, "webde"), ("gmx.net", 0.7, "gmx"),
    ("t-online.de", 1.5, "tonline"), ("orange.fr", 1, "orange"), ("free.fr", 0.5, "free"),
    ("comcast.net", 1.2, "comcast"), ("att.net", 0.5, "att"), ("proton.me", 0.6, "proton"),
    ("btinternet.com", 0.7, "bt"),
]


class Rng(random.Random):
    def weighted(self, items, weights):
        return self.choices(items, weights=weights, k=1)[0]

    def ip(self, prefixes=None):
        if prefixes:
            p = self.choice(prefixes)
            parts = p.split(".")
            while len(parts) < 4:
                parts.append(str(self.randint(1, 254)))
            return ".".join(parts)
        first = self.choice([2, 5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 84, 85, 86,
                             87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 176, 178, 188, 213, 217])
        return "%d.%d.%d.%d" % (first, self.randint(0, 255), self.randint(0, 255), self.randint(1, 254))

    def poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 50:
            return max(0, int(round(self.gauss(lam, math.sqrt(lam)))))
        L, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.random()
            if p <= L:
                return k
            k += 1


B52 = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"


def b52(n, width):
    s = ""
    for _ in range(width):
        s = B52[n % 52] + s
        n //= 52
    return s


class Gen:
    def __init__(self, seed, style, scale, days, stretch=None):
        self.flat_names = set()
        self.stretch = stretch or {}
        self.rng = Rng(seed)
        self.seed = seed
        self.style = style
        self.scale = scale
        self.days = days
        self.offset_h = 0 if style == "traditional" else 2   # Europe/Berlin in April: CEST
        self.t0 = dt.datetime(YEAR, MONTH, 1, tzinfo=dt.timezone.utc).timestamp() - self.offset_h * 3600
        self.t_end = self.t0 + days * 86400
        self.lines = []       # (t, seq, prog, text)
        self.seq = 0
        self.long_ids = seed % 2 == 1
        self.used_qids = set()
        self.host = self.rng.choice(["mail", "mx01", "smtp-gw2", "relay1", "mailhub", "nimbus"])
        self.truth = {"seed": seed, "style": style, "host": self.host,
                      "utc_offset_hours": self.offset_h, "period": "day"}
        self.refusals = {}    # episode id -> list of t
        self.takeover_fail = {}
        self.typo_fail = []
        self.greyseen = set()
        self.smtp_pids = {}
        self.qmgr_pid = self.rng.randint(800, 3000)
        self.stats = {"messages_out": 0, "messages_in": 0, "deliveries": 0}

    # ---------------------------------------------------------------- output
    def emit(self, t, prog, text):
        self.seq += 1
        self.lines.append((t, self.seq, prog, text))

    def pid(self):
        return self.rng.randint(1500, 65000)

    def qid(self, t):
        while True:
            if self.long_ids:
                sec = int(t)
                usec = int((t - sec) * 1e6) if t != sec else self.rng.randint(0, 999999)
                q = b52(sec, 6) + b52(usec, 4) + "z" + "".join(
                    self.rng.choice(B52) for _ in range(self.rng.randint(3, 5)))
            else:
                q = "".join(self.rng.choice("0123456789ABCDEF") for _ in range(self.rng.choice([10, 10, 11, 12])))
            if q not in self.used_qids:
                self.used_qids.add(q)
                return q

    def smtp_prog(self, transport):
        name = transport["syslog"]
        pool = self.smtp_pids.setdefault(name, [self.pid() for _ in range(8)])
        if self.rng.random() < 0.02:
            pool[self.rng.randrange(len(pool))] = self.pid()
        return "%s/smtp[%d]" % (name, self.rng.choice(pool))

    # ---------------------------------------------------------------- world
    def mkdomain(self, used):
        while True:
            a = self.rng.choice(WORDS)
            b = self.rng.choice(WORDS + BIZ)
            if a == b:
                continue
            sep = self.rng.choice(["", "-", ""])
            name = a + sep + b
            if self.rng.random() < 0.3:
                name += "-" + self.rng.choice(BIZ)
            tld = self.rng.weighted([t for t, _ in TLDS], [w for _, w in TLDS])
            d = name + "." + tld
            flat = d.replace("-", "")
            if d not in used and flat not in self.flat_names:
                used.add(d)
                self.flat_names.add(flat)
                return d

    def build_world(self):
        r = self.rng
        used = set(d for d, _, _ in CONSUMER)
        pfx = "%d.%d.%d" % (r.choice([45, 91, 146, 176, 185, 193, 194, 212]), r.randint(16, 250), r.randint(0, 255))
        base = r.randint(10, 200)
        self.transports = [
            {"name": "out-a", "ip": "%s.%d" % (pfx, base + 11), "syslog": "postfix-%s.%d" % (pfx, base + 11)},
            {"name": "out-b", "ip": "%s.%d" % (pfx, base + 12), "syslog": "postfix-%s.%d" % (pfx, base + 12)},
            {"name": "out-c", "ip": "%s.%d" % (pfx, base + 23), "syslog": "postfix-%s.%d" % (pfx, base + 23)},
            {"name": "default", "ip": "%s.%d" % (pfx, base + 2), "syslog": "postfix"},
        ]
        self.host_ip = self.transports[3]["ip"]
        # our customer domains
        self.ours = []
        tzs = [0] * 12 + [-5, -7, 8, 1]   # offsets relative to the server's local time
        r.shuffle(tzs)
        for i in range(16):
            d = self.mkdomain(used)
            self.ours.append({"domain": d, "transport": self.transports[i % 4],
                              "tz": tzs[i], "office_ip": r.ip(),
                              "office_ip2": r.ip() if r.random() < 0.3 else None,
                              "bare_sasl": i == 5})
        self.our_domains = set(o["domain"] for o in self.ours)
        # recipient domain universe
        self.dom = {}
        for d, w, kind in CONSUMER:
            self.dom[d] = {"name": d, "kind": kind, "consumer": True, "w": w, "lists": set(),
                           "grey": False, "dead": False, "nx": False}
        self.business = []
        mxkinds = ["gws", "m365", "postfix", "exim", "barracuda", "proofpoint", "mimecast"]
        mxw = [25, 30, 18, 10, 7, 5, 5]
        for i in range(320):
            d = self.mkdomain(used)
            kind = r.weighted(mxkinds, mxw)
            lists = set()
            grey = False
            if kind in ("postfix", "exim"):
                if r.random() < 0.55:
                    lists.add("spamhaus")
                if r.random() < 0.22:
                    lists.add("spamcop")
                if r.random() < 0.18:
                    lists.add("barracuda")
                grey = r.random() < 0.3
            elif kind == "m365":
                if r.random() < 0.25:
                    lists.add("spamhaus")
            elif kind in ("proofpoint", "mimecast"):
                if r.random() < 0.35:
                    lists.add("spamhaus")
            elif kind == "barracuda":
                lists.add("barracuda")
                if r.random() < 0.3:
                    lists.add("spamhaus")
            info = {"name": d, "kind": kind, "consumer": False, "w": r.paretovariate(1.3),
                    "lists": lists, "grey": grey, "dead": False, "nx": False,
                    "mxip": r.ip(), "mxname": r.choice(["mail", "mx", "mx1", "smtp", "mailgw"]) + "." + d,
                    "ess": "d%06da.ess.barracudanetworks.com" % r.randint(100000, 999999),
                    "ppid": "%07d" % r.randint(100000, 9999999),
                    "spamtext": r.randint(0, 3)}
            self.dom[d] = info
            self.business.append(d)
        # a few dead / defunct domains
        for i in range(4):
            d = self.mkdomain(used)
            self.dom[d] = {"name": d, "kind": "postfix", "consumer": False, "w": 0.3, "lists": set(),
                           "grey": False, "dead": True, "nx": False, "mxip": r.ip(), "mxname": "mail." + d}
            self.business.append(d)
        for i in range(5):
            d = self.mkdomain(used)
            self.dom[d] = {"name": d, "kind": "nx", "consumer": False, "w": 0.2, "lists": set(),
                           "grey": False, "dead": False, "nx": True}
            self.business.append(d)
        self.cons_names = [d for d, _, _ in CONSUMER]
        self.cons_w = [w for _, w, _ in CONSUMER]
        self.biz_w = [self.dom[d]["w"] for d in self.business]
        self.badaddr = set()
        self.fullbox = {}

    def localpart(self, consumer):
        r = self.rng
        f, l = r.choice(FIRST), r.choice(LAST)
        if consumer:
            s = r.choice(["%s.%s", "%s%s", "%s_%s", "%s.%s%d", "%s%s%d", "%s%d"])
            if s.count("%") == 3:
                return s % (f, l, r.randint(1, 99) if r.random() < 0.5 else r.randint(1950, 2005))
            if s == "%s%d":
                return s % (f, r.randint(1, 999))
            return s % (f, l)
        s = r.choice(["%s.%s", "%s.%s", "%s%s", "%s", "%s.%s"])
        if s == "%s":
            return r.choice([f, f[0] + l, "info", "office", "kontakt", "sales", "accounts", "hello"])
        if s == "%s%s":
            return f[0] + l
        return s % (f, l)

    def rand_recipient(self, consumer_share=0.55, bad_p=0.012):
        r = self.rng
        if r.random() < consumer_share:
            d = r.weighted(self.cons_names, self.cons_w)
            addr = self.localpart(True) + "@" + d
        else:
            d = r.weighted(self.business, self.biz_w)
            addr = self.localpart(False) + "@" + d
        if r.random() < bad_p:
            self.badaddr.add(addr)
        return addr

    def build_accounts(self):
        r = self.rng
        self.accounts = []
        n_acc = int(300 * self.scale)
        for i in range(n_acc):
            o = self.ours[min(int(r.paretovariate(0.9)) - 1, 15) if r.random() < 0.5 else r.randrange(16)]
            lp = r.choice(FIRST) + "." + r.choice(LAST)
            addr = lp + "@" + o["domain"]
            if any(a["addr"] == addr for a in self.accounts):
                continue
            rate = min(60.0, r.lognormvariate(math.log(4.0), 0.95))
            kind = r.weighted(["office", "mobile", "home", "webmail"], [50, 20, 18, 12])
            acc = {
                "addr": addr, "sasl": lp if o["bare_sasl"] else addr, "org": o, "rate": rate,
                "weekend": r.choice([0.05, 0.1, 0.15, 0.3, 0.6]), "kind": kind,
                "home_ip": r.ip(), "home_dyn": r.random() < 0.4,
                "svc": r.weighted(["postfix/submission", "postfix/smtps"], [70, 30]),
                "contacts": [], "cw": [], "start_day": 1, "vacation": None,
                "aliases": [], "night_owl": r.random() < 0.05,
            }
            if r.random() < 0.1:
                v0 = r.randint(1, self.days - 6)
                acc["vacation"] = (v0, v0 + r.randint(4, 9))
            if r.random() < 0.15:
                acc["aliases"].append(r.choice(["info", "sales", "office", "kontakt", "support", "team"]) + "@" + o["domain"])
            ncont = int(min(400, r.lognormvariate(math.log(30), 0.8)))
            for _ in range(ncont):
                acc["contacts"].append(self.rand_recipient())
                acc["cw"].append(r.paretovariate(1.1))
            self.accounts.append(acc)
        # new hires mid-month
        for a in r.sample(self.accounts, 3):
            a["start_day"] = r.randint(6, self.days - 3)
        self.by_domain = {}
        for a in self.accounts:
            self.by_domain.setdefault(a["org"]["domain"], []).append(a)

    # ------------------------------------------------------------ clients
    MOBILE = ["80.187", "109.43", "176.5", "37.80", "90.187", "92.40", "46.114", "2.205"]

    def rdns(self, ip, style):
        a, b, c, d = ip.split(".")
        r = self.rng
        if style == 0:
            return "unknown"
        if style == 1:
            return "p%02x%02x%02x%02x.dip0.t-ipconnect.de" % (int(a), int(b), int(c), int(d))
        if style == 2:
            return "ip-%s-%s-%s-%s.hsi%02d.unitymediagroup.de" % (a, b, c, d, int(d) % 17)
        if style == 3:
            return "host-%s-%s-%s-%s.static.as%d.net" % (a, b, c, d, 3000 + int(b))
        return "%s-%s-%s-%s.dyn.example-cable.co.uk" % (d, c, b, a)

    def client_for(self, acc, day):
        r = self.rng
        k = acc["kind"]
        x = r.random()
        if k == "webmail" or (x < 0.08):
            return ("localhost", "127.0.0.1")
        if k == "office" and x < 0.85:
            ip = acc["org"]["office_ip2"] if acc["org"]["office_ip2"] and r.random() < 0.3 else acc["org"]["office_ip"]
            return (self.rdns(ip, 3), ip)
        if k == "mobile" or x > 0.93:
            ip = r.ip(self.MOBILE)
            return ("unknown", ip)
        ip = acc["home_ip"]
        if acc["home_dyn"]:
            # DSL reconnects daily: a new address from the same /16 every day
            a, b, _, _ = ip.split(".")
            rr = random.Random(zlib.crc32(("%s/%d" % (acc["addr"], day)).encode()))
            ip = "%s.%s.%d.%d" % (a, b, rr.randint(0, 255), rr.randint(1, 254))
        return (self.rdns(ip, 1 + zlib.crc32(acc["addr"].encode()) % 4), ip)

    # ------------------------------------------------------------ time
    def local_hour_weights(self, weekend, owl=False):
        wd = [0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 1.2, 3, 6, 8, 8.5, 8, 6, 7, 8, 7.5, 6.5, 5, 3.5, 2.5, 2, 1.6, 1.1, 0.6]
        we = [0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2.5, 3.5, 4, 4, 3.5, 3.2, 3, 3, 3.2, 3.5, 3.5, 3.2, 2.5, 1.8, 1]
        w = we if weekend else wd
        if owl:
            w = w[20:] + w[:20]
        return w

    def day_start(self, day):   # server-local midnight of day (1-based), epoch
        return self.t0 + (day - 1) * 86400

    def weekday(self, day):
        return dt.date(YEAR, MONTH, day).weekday()

    def sample_time(self, day, tz, weekend, owl=False):
        h = self.rng.choices(range(24), weights=self.local_hour_weights(weekend, owl), k=1)[0]
        return self.day_start(day) + (h - tz) * 3600 + self.rng.random() * 3600

    # ------------------------------------------------------------ mx/replies
    def mx(self, d):
        info = self.dom.get(d)
        r = self.rng
        if info is None:
            return ("mail." + d, r.ip())
        k = info["kind"]
        if k == "gmail":
            return (r.choice(["gmail-smtp-in.l.google.com", "alt1.gmail-smtp-in.l.google.com"]),
                    "142.250.%d.%d" % (r.choice([27, 102, 110, 145, 153]), r.choice([26, 27, 108, 109])))
        if k == "gws":
            return (r.choice(["aspmx.l.google.com", "alt1.aspmx.l.google.com"]),
                    "74.125.%d.%d" % (r.choice([133, 140, 71]), r.choice([26, 27])))
        if k == "mscons":
            pre = {"hotmail.com": "hotmail-com", "outlook.com": "outlook-com", "live.com": "live-com",
                   "msn.com": "msn-com"}.get(d)
            name = pre + ".olc.protection.outlook.com" if pre else "eur.olc.protection.outlook.com"
            return (name, "52.101.%d.%d" % (r.randint(8, 200), r.randint(1, 40)))
        if k == "m365":
            return (d.replace(".", "-") + ".mail.protection.outlook.com", "52.101.%d.%d" % (r.randint(8, 200), r.randint(1, 40)))
        if k == "yahoo":
            if d == "aol.com":
                return ("mx-aol.mail.gm0.yahoodns.net", "67.195.204.%d" % r.choice([72, 73, 74, 75, 77, 79]))
            return ("mta%d.am0.yahoodns.net" % r.choice([5, 6, 7]), r.choice(["67.195.204.%d", "98.136.96.%d", "67.195.228.%d"]) % r.randint(70, 110))
        if k == "icloud":
            return ("mx0%d.mail.icloud.com" % r.choice([1, 2]), "17.57.%d.%d" % (r.choice([154, 155, 156]), r.randint(5, 40)))
        if k == "gmx":
            return ("mx0%d.emig.gmx.net" % r.choice([0, 1]), r.choice(["212.227.15.9", "212.227.17.5"]))
        if k == "webde":
            return ("mx-ha0%d.web.de" % r.choice([2, 3]), r.choice(["212.227.15.17", "212.227.17.26"]))
        if k == "tonline":
            return ("mx0%d.t-online.de" % r.choice([0, 1, 2, 3]), "194.25.134.%d" % r.choice([8, 9, 72, 73]))
        if k == "orange":
            return ("smtp-in.orange.fr", "80.12.242.%d" % r.choice([10, 11, 41, 42]))
        if k == "free":
            return ("mx1.free.fr", "212.27.48.6")
        if k == "comcast":
            return ("mx1a1.comcast.net", "96.103.146.%d" % r.choice([48, 49, 50]))
        if k == "att":
            return ("ff-ip4-mx-vip1.prodigy.net", "144.160.159.21")
        if k == "proton":
            return (r.choice(["mail.protonmail.ch", "mailsec.protonmail.ch"]), "185.70.42.128")
        if k == "bt":
            return ("mx.bt.lon5.cpcloud.co.uk", "65.20.0.49")
        if k == "barracuda":
            return (info["ess"], "209.222.82.%d" % r.choice([252, 253, 254, 255]))
        if k == "proofpoint":
            return ("mx0%s-%s.pphosted.com" % (r.choice("ab"), info["ppid"]), "148.163.%d.%d" % (r.choice([148, 156]), r.randint(10, 200)))
        if k == "mimecast":
            return (r.choice(["eu-smtp-inbound-1.mimecast.com", "eu-smtp-inbound-2.mimecast.com"]), "195.130.217.%d" % r.randint(20, 240))
        return (info["mxname"], info["mxip"])

    def gid(self):
        r = self.rng
        return "%s%d-%s.%d" % ("".join(r.choice(string.ascii_lowercase + string.digits) for _ in range(10)),
                               r.randint(10, 99), "".join(r.choice(string.ascii_lowercase + string.digits) for _ in range(14)),
                               r.randint(1, 600))

    def eop(self):
        r = self.rng
        return "[%s%s%s.eurprd0%d.prod.outlook.com %s]" % (
            r.choice(["AM", "DB", "VI", "PA", "FR"]), r.randint(1, 9), "PEPF000%05X" % r.randint(0, 0xFFFFF),
            r.randint(1, 9), "2026-04-%02dT%02d:%02d:%02d.%03dZ 08DC%08X" % (r.randint(1, 30), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59), r.randint(0, 999), r.getrandbits(32)))

    def sent_reply(self, d, msgid, size):
        info = self.dom.get(d, {})
        k = info.get("kind", "postfix")
        r = self.rng
        if k in ("gmail", "gws"):
            return "250 2.0.0 OK  %d %s - gsmtp" % (r.randint(1775000000, 1777500000), self.gid())
        if k in ("mscons", "m365"):
            return ("250 2.6.0 <%s> [InternalId=%d, Hostname=%s%dPR0%dMB%04d.eurprd0%d.prod.outlook.com] %d bytes in %.3f, %.3f KB/sec Queued mail for delivery"
                    % (msgid, r.randint(10**12, 10**14), r.choice(["AM", "DB", "VI", "PA"]), r.randint(1, 9), r.randint(1, 9), r.randint(1000, 9999), r.randint(1, 9), size + 2300, r.random() * 0.3, r.random() * 400))
        if k == "yahoo":
            return "250 ok dirdel"
        if k in ("exim",):
            return "250 OK id=1%s-%s-%s" % ("".join(r.choice(string.ascii_letters + string.digits) for _ in range(5)),
                                           "".join(r.choice(string.ascii_letters + string.digits) for _ in range(6)),
                                           "".join(r.choice(string.ascii_letters + string.digits) for _ in range(2)))
        if k == "proofpoint":
            return "250 2.0.0 4%s-1 Message accepted for delivery" % "".join(r.choice(string.ascii_lowercase + string.digits) for _ in range(9))
        if k == "icloud":
            return "250 2.0.0 Ok: queued as %s" % "".join(r.choice("0123456789ABCDEF") for _ in range(10))
        if k in ("gmx", "webde"):
            return "250 Requested mail action okay, completed: id=%s" % "".join(r.choice(string.ascii_letters + string.digits) for _ in range(18))
        return "250 2.0.0 Ok: queued as %s" % "".join(r.choice("0123456789ABCDEF") for _ in range(10))

    def bad_reply(self, d, rcpt):
        info = self.dom.get(d, {})
        k = info.get("kind", "postfix")
        r = self.rng
        if k in ("gmail", "gws"):
            return ("550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
                    "double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. "
                    "For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser %s - gsmtp" % self.gid(), "RCPT TO", "5.1.1")
        if k == "mscons":
            return ("550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). %s" % self.eop(), "RCPT TO", "5.5.0")
        if k == "m365":
            return ("550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors %s" % self.eop(), "RCPT TO", "5.4.1")
        if k == "yahoo":
            return ("554 delivery error: dd This user doesn't have a %s account (%s) [0] - mta%d.mail.%s.yahoo.com"
                    % (d, rcpt, r.randint(1000, 9999), r.choice(["bf1", "gq1", "ne1"])), "end of DATA", "5.0.0")
        if k == "icloud":
            return ("550 5.1.1 <%s>: user does not exist" % rcpt, "RCPT TO", "5.1.1")
        if k in ("gmx", "webde"):
            return ("550 Requested action not taken: mailbox unavailable", "RCPT TO", "5.0.0")
        if k == "tonline":
            return ("550 5.1.1 <%s>: Recipient address rejected: User unknown" % rcpt, "RCPT TO", "5.1.1")
        if k == "exim":
            return ("550 Unrouteable address", "RCPT TO", "5.0.0")
        if k == "proofpoint":
            return ("550 5.1.1 User Unknown", "RCPT TO", "5.1.1")
        if k == "mimecast":
            return ("550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [%s.uk%d]"
                    % ("".join(r.choice(string.ascii_letters + string.digits) for _ in range(22)), r.randint(10, 99)), "RCPT TO", "5.0.0")
        if k == "barracuda":
            return ("550 permanent failure for one or more recipients (%s:550 No such user)" % rcpt, "end of DATA", "5.0.0")
        return ("550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table" % rcpt, "RCPT TO", "5.1.1")

    # listing texts: the receiver's own words for "your IP is listed"
    def listing_reply(self, lst, d, ip):
        """(reply, command, dsn, permanent, at_connect)"""
        info = self.dom.get(d, {})
        k = info.get("kind", "postfix")
        st = info.get("spamtext", 0)
        r = self.rng
        if lst == "spamhaus":
            if k == "m365":
                return ("550 5.7.1 Service unavailable, Client host [%s] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/%s AS(1450) %s" % (ip, ip, self.eop()), "RCPT TO", "5.7.1", True, False)
            if k == "exim" or (k in ("proofpoint", "mimecast") and st % 2):
                return ("550-Rejected because %s is in a black list at zen.spamhaus.org 550 Listed by XBL, see https://check.spamhaus.org/listed/?searchterm=%s" % (ip, ip), "RCPT TO", "5.0.0", True, False)
            if st == 3:
                return ("550 5.7.1 Rejected: %s listed at zen.spamhaus.org" % ip, "RCPT TO", "5.7.1", True, False)
            return ("554 5.7.1 Service unavailable; Client host [%s] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/%s" % (ip, ip), "RCPT TO", "5.7.1", True, False)
        if lst == "barracuda":
            if k == "barracuda" or st % 2 == 0:
                return ("554 Service unavailable; Client host [%s] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=%s" % (ip, ip), None, "5.0.0", True, True)
            return ("554 5.7.1 Service unavailable; Client host [%s] blocked using b.barracudacentral.org; https://www.barracudacentral.org/lookups/lookup-reputation" % ip, "RCPT TO", "5.7.1", True, False)
        if lst == "spamcop":
            if k == "exim":
                return ("550 %s is listed at bl.spamcop.net (127.0.0.2: Blocked - see https://www.spamcop.net/bl.shtml?%s)" % (ip, ip), "RCPT TO", "5.0.0", True, False)
            return ("554 5.7.1 Service unavailable; Client host [%s] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?%s" % (ip, ip), "RCPT TO", "5.7.1", True, False)
        if lst == "microsoft":
            code = r.choice(["S3150", "S3150", "S3140"])
            return ("550 5.7.1 Unfortunately, messages from [%s] weren't sent. Please contact your Internet service provider since part of their network is on our block list (%s). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. %s" % (ip, code, self.eop()), "MAIL FROM", "5.7.1", True, False)
        if lst == "yahoo":
            return ("421 4.7.0 [TSS04] Messages from %s temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes" % ip, None, "4.7.0", False, True)
        if lst == "gmail":
            if r.random() < 0.45:
                return ("550-5.7.1 [%s      12] Gmail has detected that this message is likely 550-5.7.1 suspicious due to the very low reputation of the sending IP address. 550-5.7.1 To best protect our users from spam, the message has been 550-5.7.1 blocked. For more information, go to 550 5.7.1  https://support.google.com/mail/answer/188131 %s - gsmtp" % (ip, self.gid()), "end of DATA", "5.7.1", True, False)
            return ("421-4.7.28 [%s      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. Please visit 421-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to 421 4.7.28 review our Bulk Email Senders Guidelines. %s - gsmtp" % (ip, self.gid()), "end of DATA", "4.7.28", False, False)
        raise ValueError(lst)

    LIST_TARGET = {"spamhaus": lambda i: "spamhaus" in i["lists"],
                   "barracuda": lambda i: "barracuda" in i["lists"],
                   "spamcop": lambda i: "spamcop" in i["lists"],
                   "microsoft": lambda i: i["kind"] == "mscons",
                   "yahoo": lambda i: i["kind"] == "yahoo",
                   "gmail": lambda i: i["kind"] in ("gmail", "gws")}

    # ------------------------------------------------------------ scenario
    def plan(self):
        r = self.rng
        D = self.days
        lists = r.sample(["spamhaus", "barracuda", "spamcop", "microsoft", "yahoo", "gmail"], 3)
        ips = r.sample(self.transports, 3)
        self.episodes = []
        # E0: crosses the nightly rotation (server-local midnight)
        # DNSBL listings (a share of receivers) last: SpamCop expires 24 h after
        # the last report, Barracuda/Spamhaus until delisting; the providers'
        # own blocks (S3150, TSS04, Gmail reputation) can be a few hours
        rbl = {"spamhaus", "barracuda", "spamcop"}
        d0 = r.randint(4, D - 6)
        s0 = self.day_start(d0) + r.uniform(16.5, 22.5) * 3600
        e0 = self.day_start(d0 + 1) + (r.uniform(10, 20) if lists[0] in rbl else r.uniform(1.5, 11)) * 3600
        # E1: multi-day
        d1 = r.choice([d for d in range(3, D - 4) if abs(d - d0) > 3])
        s1 = self.day_start(d1) + r.uniform(6, 15) * 3600
        e1 = s1 + r.uniform(30, 70) * 3600
        # E2: a few business hours within one day
        d2 = r.choice([d for d in range(2, D - 1) if abs(d - d0) > 2 and abs(d - d1) > 3 and self.weekday(d) < 5] or [D - 2])
        s2 = self.day_start(d2) + r.uniform(8, 12) * 3600
        e2 = s2 + (r.uniform(14, 30) if lists[2] in rbl else r.uniform(3, 8)) * 3600
        for i, (lst, tr, s, e) in enumerate(zip(lists, ips, (s0, s1, s2), (e0, e1, e2))):
            e = s + (e - s) * self.stretch.get(i, 1.0)   # a weak listing lasts longer (see main)
            ep = {"id": "E%d" % i, "list": lst, "ip": tr["ip"], "transport": tr["syslog"], "start": s, "end": e,
                  "refuse_share": 1.0 if lst in ("spamhaus", "barracuda", "spamcop", "microsoft") else r.uniform(0.6, 0.95),
                  "crosses_rotation": i == 0}
            self.episodes.append(ep)
        # takeovers: two different accounts on IPs without an episode at that time
        cands = [a for a in self.accounts if a["start_day"] == 1 and a["rate"] < 15 and a["vacation"] is None]
        self.takeovers = []
        styles = ["night_spray", "day_bcc"]
        r.shuffle(styles)
        used_days = set()
        for style in styles:
            for _ in range(200):
                acc = r.choice(cands)
                day = r.randint(3, D - 2)
                if day in used_days or any(t["acc"] is acc for t in self.takeovers):
                    continue
                if style == "night_spray":
                    start = self.day_start(day) + r.uniform(0.3, 4.0) * 3600
                    dur = r.uniform(2, 6) * 3600
                else:
                    start = self.day_start(day) + r.uniform(9, 15) * 3600
                    dur = r.uniform(1, 4) * 3600
                ip = acc["org"]["transport"]["ip"]
                clash = any(ep["ip"] == ip and ep["start"] - 86400 < start + dur and start < ep["end"] + 86400 for ep in self.episodes)
                if clash:
                    continue
                used_days.add(day)
                self.takeovers.append({"acc": acc, "style": style, "start": start, "end": start + dur, "day": day})
                break
        # typo domain
        if self.seed % 2 == 1:
            target = r.choice(["hotmail.com", "outlook.com", "yahoo.com", "gmail.com", "icloud.com", "web.de"])
            basis = "common"
        else:
            # a business domain we deliver to a lot
            bigs = sorted((d for d in self.business if not self.dom[d]["dead"] and not self.dom[d]["nx"]),
                          key=lambda d: -self.dom[d]["w"])[:15]
            target = r.choice(bigs)
            basis = "delivered"
        self.typo_target = target
        self.typo = self.mistype(target)
        self.dom[self.typo] = {"name": self.typo, "kind": "nx", "consumer": False, "w": 0, "lists": set(),
                               "grey": False, "dead": False, "nx": True}
        self.typo_basis = basis

    def mistype(self, d):
        r = self.rng
        name, _, tld = d.partition(".")
        for _ in range(100):
            op = r.choice(["swap", "drop", "double", "near"])
            i = r.randrange(1, len(name) - 1)
            if op == "swap":
                n = name[:i] + name[i + 1] + name[i] + name[i + 2:]
            elif op == "drop":
                n = name[:i] + name[i + 1:]
            elif op == "double":
                n = name[:i] + name[i] + name[i:]
            else:
                near = {"a": "s", "o": "i", "i": "o", "e": "w", "m": "n", "n": "m", "l": "k", "t": "r", "r": "t", "s": "a"}
                if name[i] not in near:
                    continue
                n = name[:i] + near[name[i]] + name[i + 1:]
            t = n + "." + tld
            if n != name and t not in self.dom and "-" not in n[i - 1:i + 2]:
                return t
        return name + "x." + tld

    # ------------------------------------------------------------ delivery
    def episode_at(self, ip, d, t):
        info = self.dom.get(d)
        if info is None or info.get("nx"):
            return None
        for ep in self.episodes:
            if ep["ip"] == ip and ep["start"] <= t < ep["end"] and self.LIST_TARGET[ep["list"]](info):
                return ep
        return None

    def attempt(self, msg, rcpt, t, n_attempt):
        """-> (status, relay, dsn, text) ; status sent|deferred|bounced"""
        r = self.rng
        d = rcpt.rpartition("@")[2]
        info = self.dom.get(d)
        ip = msg["transport"]["ip"]
        if info is None:
            info = {"kind": "postfix", "lists": set(), "grey": False, "dead": False, "nx": False}
        if info["nx"]:
            if d == self.typo:
                self.typo_fail.append(t)
            return ("bounced", "none", "5.4.4", "Host or domain name not found. Name service error for name=%s type=A: Host not found" % d)
        mxn, mxip = self.mx(d)
        relay = "%s[%s]:25" % (mxn, mxip)
        if info["dead"]:
            return ("deferred", "none", "4.4.1", "connect to %s[%s]:25: Connection timed out" % (mxn, mxip))
        ep = self.episode_at(ip, d, t)
        if ep and r.random() < ep["refuse_share"]:
            reply, cmd, dsn, perm, conn = self.listing_reply(ep["list"], d, ip)
            self.refusals.setdefault(ep["id"], []).append(t)
            if conn:
                text = "host %s[%s] refused to talk to me: %s" % (mxn, mxip, reply)
                relay = "%s[%s]:25" % (mxn, mxip)
            else:
                text = "host %s[%s] said: %s (in reply to %s command)" % (mxn, mxip, reply, cmd)
            return ("bounced" if perm else "deferred", relay, dsn, text)
        tk = msg.get("takeover")
        if tk is not None:
            res = self.takeover_reply(tk, msg, rcpt, d, info, mxn, mxip, t)
            if res:
                return (res[0], relay, res[1], res[2])
        if info["grey"] and (msg["sender"], rcpt) not in self.greyseen:
            self.greyseen.add((msg["sender"], rcpt))
            if info["kind"] == "exim":
                txt = "451-%s is not yet authorized to deliver mail from 451 <%s> to <%s>. Please try later." % (ip, msg["sender"], rcpt)
                return ("deferred", relay, "4.0.0", "host %s[%s] said: %s (in reply to RCPT TO command)" % (mxn, mxip, txt))
            return ("deferred", relay, "4.2.0", "host %s[%s] said: 450 4.2.0 <%s>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/%s.html (in reply to RCPT TO command)" % (mxn, mxip, rcpt, d))
        if rcpt in self.badaddr:
            txt, cmd, dsn = self.bad_reply(d, rcpt)
            return ("bounced", relay, dsn, "host %s[%s] said: %s (in reply to %s command)" % (mxn, mxip, txt, cmd))
        fb = self.fullbox.get(rcpt)
        if fb and fb[0] <= t < fb[1]:
            if info["kind"] in ("gmail", "gws"):
                return ("deferred", relay, "4.2.2", "host %s[%s] said: 452-4.2.2 The recipient's inbox is out of storage space. Please direct the 452-4.2.2 recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp %s - gsmtp (in reply to RCPT TO command)" % (mxn, mxip, self.gid()))
            return ("bounced", relay, "5.2.2", "host %s[%s] said: 552 5.2.2 <%s>: Recipient address rejected: Mailbox full (in reply to RCPT TO command)" % (mxn, mxip, rcpt))
        x = r.random()
        k = info["kind"]
        lh = ((t - self.t0) / 3600) % 24
        busy = 8 <= lh <= 18
        if k == "yahoo" and x < (0.006 if busy else 0.002):
            return ("deferred", relay, "4.7.0", "host %s[%s] refused to talk to me: 421 4.7.0 [TSS04] Messages from %s temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes" % (mxn, mxip, ip))
        if k in ("mscons", "m365") and x < 0.003:
            return ("deferred", relay, "4.7.500", "host %s[%s] said: 451 4.7.500 Server busy. Please try again later from [%s]. (AS761) %s (in reply to RCPT TO command)" % (mxn, mxip, ip, self.eop()))
        if k == "mscons" and 0.003 <= x < 0.0035:
            reply = self.listing_reply("microsoft", d, ip)[0]
            return ("bounced", relay, "5.7.1", "host %s[%s] said: %s (in reply to MAIL FROM command)" % (mxn, mxip, reply))
        if k in ("gmail", "gws") and x < 0.0015:
            return ("deferred", relay, "4.3.0", "host %s[%s] said: 421-4.3.0 Temporary System Problem.  Try again later (10). For more information, go to 421 4.3.0  https://support.google.com/a/answer/3221692 %s - gsmtp (in reply to end of DATA command)" % (mxn, mxip, self.gid()))
        if x > 0.9985:
            return ("deferred", relay, "4.4.2", "lost connection with %s[%s] while receiving the initial server greeting" % (mxn, mxip))
        if x > 0.9975:
            return ("deferred", relay, "4.4.1", "connect to %s[%s]:25: Connection refused" % (mxn, mxip))
        if k in ("gmail",) and 0.9950 < x <= 0.9965:
            return ("bounced", relay, "5.7.1", "host %s[%s] said: 550-5.7.1 [%s      12] Gmail has detected that this message is likely 550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, 550-5.7.1 this message has been blocked. For more information, go to 550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError %s - gsmtp (in reply to end of DATA command)" % (mxn, mxip, ip, self.gid()))
        if k in ("m365",) and 0.9940 < x <= 0.9950:
            return ("bounced", relay, "5.7.509", "host %s[%s] said: 550 5.7.509 Access denied, sending domain %s does not pass DMARC verification and has a DMARC policy of reject. %s (in reply to end of DATA command)" % (mxn, mxip, msg["sender"].rpartition("@")[2], self.eop()))
        if msg["size"] > 20_000_000 and k in ("gmx", "webde", "tonline", "postfix"):
            return ("bounced", relay, "5.3.4", "host %s[%s] said: 552 5.3.4 Error: message file too big (in reply to end of DATA command)" % (mxn, mxip))
        return ("sent", relay, "2.0.0", "")

    def takeover_reply(self, tk, msg, rcpt, d, info, mxn, mxip, t):
        r = self.rng
        k = info["kind"]
        if rcpt in self.badaddr:
            return None
        n = tk["sent_so_far"]
        ip = msg["transport"]["ip"]
        if k == "gmail" and n > 80 and r.random() < 0.55:
            return ("deferred", "4.7.28", "host %s[%s] said: 421-4.7.28 [%s      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. Please visit 421-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to 421 4.7.28 review our Bulk Email Senders Guidelines. %s - gsmtp (in reply to end of DATA command)" % (mxn, mxip, ip, self.gid()))
        if k == "gmail" and r.random() < 0.2:
            return ("bounced", "5.7.1", "host %s[%s] said: 550-5.7.1 [%s      12] Gmail has detected that this message is likely 550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, 550-5.7.1 this message has been blocked. For more information, go to 550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError %s - gsmtp (in reply to end of DATA command)" % (mxn, mxip, ip, self.gid()))
        if k == "yahoo" and n > 60 and r.random() < 0.5:
            return ("deferred", "4.7.0", "host %s[%s] refused to talk to me: 421 4.7.0 [TSS04] Messages from %s temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes" % (mxn, mxip, ip))
        if k in ("mscons", "m365") and n > 100 and r.random() < 0.4:
            return ("deferred", "4.7.650", "host %s[%s] said: 451 4.7.650 The mail server [%s] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) %s (in reply to MAIL FROM command)" % (mxn, mxip, ip, self.eop()))
        if k in ("mscons", "m365") and r.random() < 0.1:
            return ("bounced", "5.7.520", "host %s[%s] said: 550 5.7.520 Message blocked because it contains content identified as spam. AS(4810) %s (in reply to end of DATA command)" % (mxn, mxip, self.eop()))
        return None

    def msgid(self, sender, t):
        r = self.rng
        dom = sender.rpartition("@")[2] or self.host
        style = r.randint(0, 3)
        if style == 0:
            return "%s.%s@%s" % (b52(int(t * 1000), 8), "".join(r.choice(string.ascii_lowercase) for _ in range(6)), dom)
        if style == 1:
            return "%08X-%04X-%04X-%04X-%012X@%s" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(16), r.getrandbits(16), r.getrandbits(48), dom)
        if style == 2:
            return "%s@%s" % ("".join(r.choice(string.ascii_letters + string.digits) for _ in range(32)), "webmail." + dom)
        return "%d.%d.%d@%s" % (int(t), r.randint(1000, 99999), r.randint(1, 9), dom)

    def local_delivery(self, qid, t, rcpt, from_ndr=False):
        r = self.rng
        d1 = r.uniform(0.01, 0.3)
        self.emit(t + d1, "postfix/lmtp[%d]" % r.randint(2000, 60000),
                  "%s: to=<%s>, relay=mailstore.%s.internal[private/dovecot-lmtp], delay=%.2g, delays=%.2g/0.01/0/%.2g, dsn=2.0.0, status=sent (250 2.0.0 <%s> %s Saved)"
                  % (qid, rcpt, self.host, d1 + 0.05, 0.04, d1, rcpt, "".join(r.choice(string.ascii_letters + string.digits + "+/") for _ in range(22))))
        if r.random() < 0.5:
            self.emit(t + d1 + 0.001, "dovecot", "lmtp(%s)<%d><%s>: msgid=<%s>: saved mail to INBOX"
                      % (rcpt, r.randint(2000, 60000), "".join(r.choice(string.ascii_letters + string.digits + "+/") for _ in range(22)), "x@y" if from_ndr else self.msgid(rcpt, t)))
        return t + d1

    def ndr(self, t, sender, qid):
        """Postfix's own bounce notification back to a local sender."""
        if not sender or sender.rpartition("@")[2] not in self.our_domains:
            return
        r = self.rng
        nq = self.qid(t)
        self.emit(t, "postfix/bounce[%d]" % r.randint(2000, 60000), "%s: sender non-delivery notification: %s" % (qid, nq))
        self.emit(t + 0.001, "postfix/cleanup[%d]" % r.randint(2000, 60000), "%s: message-id=<%s@%s>" % (nq, nq, self.host))
        self.emit(t + 0.002, "postfix/qmgr[%d]" % self.qmgr_pid, "%s: from=<>, size=%d, nrcpt=1 (queue active)" % (nq, r.randint(3000, 9000)))
        te = self.local_delivery(nq, t + 0.003, sender, from_ndr=True)
        self.emit(te + 0.001, "postfix/qmgr[%d]" % self.qmgr_pid, "%s: removed" % nq)

    def run_message(self, msg):
        """Simulate queue manager + delivery of one accepted message."""
        r = self.rng
        qid = msg["qid"]
        t = msg["t_queued"]
        qm = "postfix/qmgr[%d]" % self.qmgr_pid
        self.emit(t, qm, "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (qid, msg["sender"], msg["size"], len(msg["rcpts"])))
        pending = []
        t_last = t
        for rc in msg["rcpts"]:
            dom = rc.rpartition("@")[2]
            if dom in self.our_domains:
                t_last = max(t_last, self.local_delivery(qid, t + r.uniform(0.02, 0.4), rc))
            else:
                pending.append(rc)
        bounced = []
        backoff = 300.0
        tt = t + r.uniform(0.2, 1.5)
        first = True
        while pending:
            nxt = []
            by_dom = {}
            for rc in pending:
                by_dom.setdefault(rc.rpartition("@")[2], []).append(rc)
            prog = self.smtp_prog(msg["transport"])
            for dom, rcs in by_dom.items():
                tconn = tt + r.uniform(0.1, 2.5)
                for rc in rcs:
                    st, relay, dsn, text = self.attempt(msg, rc, tconn, 0 if first else 1)
                    self.stats["deliveries"] += 1
                    if msg.get("takeover") is not None:
                        msg["takeover"]["sent_so_far"] += 1
                        if st != "sent":
                            self.takeover_fail.setdefault(msg["takeover"]["id"], []).append((tconn, st))
                    d_total = tconn - msg["t_arrive"]
                    c1 = r.uniform(0.02, 0.6)
                    c2 = r.uniform(0.05, 1.2)
                    delays = "%.2g/%.2g/%.2g/%.2g" % (max(0.01, tt - msg["t_arrive"] - c1 - c2) if not first else r.uniform(0.01, 0.4), r.uniform(0, 0.05), c1, c2)
                    if st == "sent":
                        text = self.sent_reply(dom, msg["msgid"], msg["size"])
                    line = "%s: to=<%s>, relay=%s, delay=%.3g, delays=%s, dsn=%s, status=%s (%s)" % (
                        qid, rc, relay, max(0.1, d_total + c1 + c2), delays, dsn, st, text)
                    if msg.get("orcpt") and rc in msg["orcpt"]:
                        line = line.replace(", relay=", ", orig_to=<%s>, relay=" % msg["orcpt"][rc], 1)
                    tl = tconn + c1 + c2
                    self.emit(tl, prog, line)
                    t_last = max(t_last, tl)
                    if st == "deferred":
                        nxt.append(rc)
                    elif st == "bounced":
                        bounced.append(rc)
            first = False
            pending = nxt
            if pending:
                if tt - msg["t_arrive"] > 5 * 86400:
                    te = tt + r.uniform(200, 900)
                    self.emit(te, qm, "%s: from=<%s>, status=expired, returned to sender" % (qid, msg["sender"]))
                    self.ndr(te + 0.01, msg["sender"], qid)
                    t_last = te + 0.1
                    pending = []
                    break
                tt = tt + backoff * r.uniform(1.0, 1.25) + r.uniform(0, 300)
                backoff = min(backoff * 2, 4000.0)
                if tt > self.t_end + 3600:
                    return
                self.emit(tt, qm, "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (qid, msg["sender"], msg["size"], len(msg["rcpts"])))
        if bounced:
            self.ndr(t_last + 0.05, msg["sender"], qid)
            t_last += 0.2
        self.emit(t_last + 0.01, qm, "%s: removed" % qid)

    def submit(self, t, acc_addr, sasl, client, svc, rcpts, takeover=None, size=None, orcpt=None):
        """An authenticated submission (or a relay from mynetworks when sasl is None)."""
        r = self.rng
        host, ip = client
        pid = self.pid()
        prog = "%s/smtpd[%d]" % (svc, pid)
        self.emit(t, prog, "connect from %s[%s]" % (host, ip))
        q = self.qid(t + 0.3)
        ta = t + r.uniform(0.2, 1.5)
        if sasl is not None:
            self.emit(ta, prog, "%s: client=%s[%s], sasl_method=%s, sasl_username=%s" % (q, host, ip, "LOGIN" if takeover else r.choice(["PLAIN", "PLAIN", "LOGIN"]), sasl))
        else:
            self.emit(ta, prog, "%s: client=%s[%s]" % (q, host, ip))
        mid = self.msgid(acc_addr, t)
        self.emit(ta + 0.05, "postfix/cleanup[%d]" % self.pid(), "%s: message-id=<%s>" % (q, mid))
        if r.random() < 0.8 and sasl is not None:
            self.emit(ta + 0.08, "opendkim[%d]" % 811, "%s: DKIM-Signature field added (s=%s, d=%s)" % (q, r.choice(["mail", "dkim", "s1"]), acc_addr.rpartition("@")[2]))
        if size is None:
            size = int(min(40_000_000, r.lognormvariate(math.log(25000), 1.4)))
        tq = ta + r.uniform(0.1, 0.6)
        self.emit(tq + 0.2, prog, "disconnect from %s[%s] ehlo=2 starttls=1 %smail=1 rcpt=%d data=1 quit=1 commands=%d"
                  % (host, ip, "auth=1 " if sasl else "", len(rcpts), 6 + len(rcpts) + (1 if sasl else 0)))
        msg = {"qid": q, "t_arrive": t, "t_queued": tq, "sender": acc_addr, "rcpts": rcpts, "size": size,
               "transport": self.transport_for(acc_addr), "msgid": mid, "takeover": takeover, "orcpt": orcpt}
        self.stats["messages_out"] += 1
        self.run_message(msg)

    def transport_for(self, sender):
        d = sender.rpartition("@")[2]
        for o in self.ours:
            if o["domain"] == d:
                return o["transport"]
        return self.transports[3]

    # ------------------------------------------------------------ traffic
    def normal_day(self, day):
        r = self.rng
        wd = self.weekday(day)
        weekend = wd >= 5
        for acc in self.accounts:
            if day < acc["start_day"]:
                continue
            lam = acc["rate"] * (1.0 if not weekend else acc["weekend"] * (1 if wd == 5 else 0.7))
            if wd == 0:
                lam *= 1.15
            if acc["vacation"] and acc["vacation"][0] <= day <= acc["vacation"][1]:
                lam *= 0.05
            if day == acc["start_day"]:
                lam *= 0.5
            lam *= r.gammavariate(4, 0.25) * self.scale
            n = r.poisson(lam)
            for _ in range(n):
                t = self.sample_time(day, acc["org"]["tz"], weekend, acc["night_owl"])
                if t < self.t0 or t >= self.t_end:
                    continue
                k = r.choices([1, 2, 3, 4, 5, 8, 12], weights=[70, 14, 6, 4, 3, 2, 1], k=1)[0]
                rcpts = []
                for _ in range(k):
                    x = r.random()
                    if x < 0.12:
                        coll = self.by_domain[acc["org"]["domain"]]
                        rc = r.choice(coll)["addr"]
                    elif x < 0.86 and acc["contacts"]:
                        rc = r.choices(acc["contacts"], weights=acc["cw"], k=1)[0]
                    else:
                        rc = self.rand_recipient(bad_p=0.03)
                    if rc != acc["addr"] and rc not in rcpts:
                        rcpts.append(rc)
                if not rcpts:
                    continue
                sender = acc["addr"]
                if acc["aliases"] and r.random() < 0.3:
                    sender = acc["aliases"][0]
                client = self.client_for(acc, day)
                svc = "postfix/submission" if client[1] == "127.0.0.1" else acc["svc"]
                self.submit(t, sender, acc["sasl"], client, svc, rcpts)

    def system_senders(self, day):
        """Newsletter (weekly, no SASL from the app server), invoices, notifications."""
        r = self.rng
        org = self.ours[0]
        app = ("app01.%s.internal" % self.host, "10.20.%d.15" % (self.seed % 200))
        wd = self.weekday(day)
        if not hasattr(self, "nl_list"):
            self.nl_list = [self.rand_recipient(consumer_share=0.75, bad_p=0.025) for _ in range(int(1300 * self.scale))]
            self.cust_list = [self.rand_recipient(consumer_share=0.4, bad_p=0.01) for _ in range(int(600 * self.scale))]
            self.nl_sender = "newsletter@" + org["domain"]
            self.bill_sender = "billing@" + self.ours[1]["domain"]
            self.noreply = "no-reply@" + self.ours[2]["domain"]
        if wd == 1:   # Tuesday newsletter, 10:00 local, ~1 h
            t = self.day_start(day) + 10 * 3600
            for rc in self.nl_list:
                if r.random() < 0.97:
                    t += r.expovariate(len(self.nl_list) / 3000.0)
                    self.submit(t, self.nl_sender, None, app, "postfix", [rc], size=r.randint(40000, 60000))
        bill_days = [d for d in (1, 2, 15, 16, 17) if self.weekday(d) < 5]
        if day in (bill_days[0], [d for d in bill_days if d >= 15][0]):
            t = self.day_start(day) + 6 * 3600
            for rc in self.cust_list:
                t += r.expovariate(len(self.cust_list) / 2400.0)
                self.submit(t, self.bill_sender, self.bill_sender, app, "postfix/submission", [rc], size=r.randint(60000, 250000))
        # password resets etc.: every day, around the clock
        n = r.poisson(60 * self.scale)
        for _ in range(n):
            t = self.day_start(day) + r.random() * 86400
            self.submit(t, self.noreply, self.noreply, app, "postfix/submission", [self.rand_recipient(consumer_share=0.8, bad_p=0.02)], size=r.randint(5000, 9000))

    def typo_sends(self):
        r = self.rng
        n = r.randint(4, 9)
        senders = r.sample([a for a in self.accounts if a["start_day"] == 1], r.randint(2, 4))
        lps = [self.localpart(self.typo_basis == "common") for _ in range(len(senders))]
        out = []
        for i in range(n):
            j = i % len(senders)
            acc = senders[j]
            day = r.randint(2, self.days - 1)
            if self.weekday(day) >= 5:
                day = max(1, day - 2)
            t = self.sample_time(day, acc["org"]["tz"], False)
            out.append((t, acc, lps[j] + "@" + self.typo))
        return out

    def takeover_traffic(self, tk, idx):
        r = self.rng
        acc = tk["acc"]
        tk["id"] = "T%d" % idx
        tk["sent_so_far"] = 0
        if tk["style"] == "night_spray":
            n_ips = r.randint(4, 10)
            nmsg = int(r.randint(300, 900) * self.scale)
            kdist = ([1, 2, 3, 5], [55, 20, 15, 10])
            bad = r.uniform(0.25, 0.5)
        else:
            n_ips = r.randint(1, 2)
            nmsg = int(r.randint(50, 140) * self.scale)
            kdist = ([15, 25, 40, 50], [20, 30, 30, 20])
            bad = r.uniform(0.15, 0.3)
        ips = []
        for _ in range(n_ips):
            ip = r.ip(["102.89", "41.203", "197.210", "185.220.101", "45.141.84", "193.32.162", "103.145", "5.188.206", "91.92.24", "154.16"])
            ips.append(("unknown" if r.random() < 0.7 else "vps-%s.hosted-by-cloud.net" % ip.replace(".", "-"), ip))
        tk["client_ips"] = [ip for _, ip in ips]
        # harvested recipient list: freemail heavy
        span = tk["end"] - tk["start"]
        times = sorted(tk["start"] + r.random() * span for _ in range(nmsg))
        nrc = 0
        sender = acc["addr"]
        for t in times:
            k = r.choices(kdist[0], weights=kdist[1], k=1)[0]
            rcpts = []
            for _ in range(k):
                rc = self.rand_recipient(consumer_share=0.8, bad_p=bad)
                if rc not in rcpts:
                    rcpts.append(rc)
            nrc += len(rcpts)
            self.submit(t, sender, acc["sasl"], r.choice(ips), r.choice(["postfix/submission", "postfix/smtps"]), rcpts, takeover=tk,
                        size=r.randint(3000, 12000))
        tk["messages"] = nmsg
        tk["recipients"] = nrc

    def inbound_day(self, day):
        """Mail to our users from the internet, and spam rejected at the door."""
        r = self.rng
        wd = self.weekday(day)
        weekend = wd >= 5
        n = int(r.poisson((700 if not weekend else 300) * self.scale))
        users = self.accounts
        qm = "postfix/qmgr[%d]" % self.qmgr_pid
        for _ in range(n):
            t = self.sample_time(day, 0, weekend)
            acc = r.choice(users)
            src = r.choice(acc["contacts"]) if acc["contacts"] and r.random() < 0.6 else self.rand_recipient()
            sd = src.rpartition("@")[2]
            k = self.dom.get(sd, {}).get("kind", "postfix")
            if k == "gmail":
                ch = ("mail-%s1-f%d.google.com" % (r.choice(["wr", "ej", "lf", "pl", "oi"]), r.randint(41, 199)), "209.85.%d.%d" % (r.randint(128, 255), r.randint(1, 254)))
            elif k in ("mscons", "m365"):
                ch = ("mail-%s.outbound.protection.outlook.com" % r.choice(["db8eur05on2100", "am0eur02on2130", "vi1eur04on2092"]), "40.107.%d.%d" % (r.randint(1, 255), r.randint(1, 254)))
            else:
                ch = ("mail." + sd, r.ip())
            pid = self.pid()
            prog = "postfix/smtpd[%d]" % pid
            if r.random() < 0.3:
                self.emit(t - 0.5, "postfix/postscreen[%d]" % 1190, "CONNECT from [%s]:%d to [%s]:25" % (ch[1], r.randint(30000, 65000), self.host_ip))
                self.emit(t - 0.4, "postfix/postscreen[%d]" % 1190, "PASS OLD [%s]:%d" % (ch[1], r.randint(30000, 65000)))
            self.emit(t, prog, "connect from %s[%s]" % ch)
            q = self.qid(t)
            self.emit(t + 0.4, prog, "%s: client=%s[%s]" % (q, ch[0], ch[1]))
            self.emit(t + 0.5, "postfix/cleanup[%d]" % self.pid(), "%s: message-id=<%s>" % (q, self.msgid(src, t)))
            self.emit(t + 0.6, qm, "%s: from=<%s>, size=%d, nrcpt=1 (queue active)" % (q, src, r.randint(3000, 300000)))
            self.emit(t + 0.7, prog, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5" % ch)
            te = self.local_delivery(q, t + 0.7, acc["addr"])
            self.emit(te + 0.01, qm, "%s: removed" % q)
            self.stats["messages_in"] += 1
        # spam at the door: DNSBL rejects by postscreen and smtpd, unknown users, relay attempts
        nspam = r.poisson(260 * self.scale)
        if not hasattr(self, "botnet"):
            self.botnet = [r.ip() for _ in range(600)]
        for _ in range(nspam):
            t = self.day_start(day) + r.random() * 86400
            ip = r.choice(self.botnet) if r.random() < 0.7 else r.ip()
            acc = r.choice(users)
            spam_from = "%s@%s" % (r.choice(["info", "news", "admin", "support", "noreply", r.choice(FIRST)]), r.choice(["mailer.top", "promo-deals.shop", "secure-update.xyz", "gmail.com", "outlook.com", "bizmail.ru", "offers.click"]))
            helo = r.choice(["User", "WIN-CLJ1B0GQ6JP", "localhost", "[%s]" % ip, "mail.%s" % spam_from.split("@")[1]])
            x = r.random()
            if x < 0.4:
                pp = "postfix/postscreen[%d]" % 1190
                port = r.randint(30000, 65000)
                self.emit(t, pp, "CONNECT from [%s]:%d to [%s]:25" % (ip, port, self.host_ip))
                self.emit(t + 0.1, pp, "DNSBL rank %d for [%s]:%d" % (r.choice([3, 4, 6, 8]), ip, port))
                self.emit(t + 6.2, pp, "NOQUEUE: reject: RCPT from [%s]:%d: 550 5.7.1 Service unavailable; client [%s] blocked using zen.spamhaus.org; from=<%s>, to=<%s>, proto=ESMTP, helo=<%s>" % (ip, port, ip, spam_from, acc["addr"], helo))
                self.emit(t + 6.3, pp, "DISCONNECT [%s]:%d" % (ip, port))
                continue
            prog = "postfix/smtpd[%d]" % self.pid()
            self.emit(t, prog, "connect from unknown[%s]" % ip)
            if x < 0.65:
                lst = r.choice(["zen.spamhaus.org", "zen.spamhaus.org", "b.barracudacentral.org", "bl.spamcop.net"])
                url = {"zen.spamhaus.org": "https://www.spamhaus.org/query/ip/%s" % ip,
                       "b.barracudacentral.org": "https://www.barracudacentral.org/lookups/lookup-reputation",
                       "bl.spamcop.net": "Blocked - see https://www.spamcop.net/bl.shtml?%s" % ip}[lst]
                self.emit(t + 1, prog, "NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 Service unavailable; Client host [%s] blocked using %s; %s; from=<%s> to=<%s> proto=ESMTP helo=<%s>" % (ip, ip, lst, url, spam_from, acc["addr"], helo))
            elif x < 0.85:
                bogus = self.localpart(False) + "@" + acc["org"]["domain"]
                self.emit(t + 1, prog, "NOQUEUE: reject: RCPT from unknown[%s]: 550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table; from=<%s> to=<%s> proto=ESMTP helo=<%s>" % (ip, bogus, spam_from, bogus, helo))
            elif x < 0.93:
                tgt = self.rand_recipient()
                self.emit(t + 1, prog, "NOQUEUE: reject: RCPT from unknown[%s]: 454 4.7.1 <%s>: Relay access denied; from=<%s> to=<%s> proto=ESMTP helo=<%s>" % (ip, tgt, spam_from, tgt, helo))
            else:
                self.emit(t + 1, prog, "NOQUEUE: reject: RCPT from unknown[%s]: 450 4.7.25 Client host rejected: cannot find your hostname, [%s]; from=<%s> to=<%s> proto=ESMTP helo=<%s>" % (ip, ip, spam_from, acc["addr"], helo))
            self.emit(t + 1.5, prog, "disconnect from unknown[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4" % ip)
        # SASL password guessing on the submission ports
        for _ in range(r.poisson(80 * self.scale)):
            t = self.day_start(day) + r.random() * 86400
            ip = r.choice(self.botnet)
            prog = "postfix/submission/smtpd[%d]" % self.pid()
            self.emit(t, prog, "connect from unknown[%s]" % ip)
            self.emit(t + 2, prog, "warning: unknown[%s]: SASL LOGIN authentication failed: UGFzc3dvcmQ6" % ip)
            self.emit(t + 2.2, prog, "lost connection after AUTH from unknown[%s]" % ip)
            self.emit(t + 2.3, prog, "disconnect from unknown[%s] ehlo=1 auth=0/1 rset=1 commands=2/3" % ip)

    def full_mailboxes(self):
        r = self.rng
        pool = set()
        for a in self.accounts:
            pool.update(a["contacts"][:5])
        pool = [p for p in pool if p not in self.badaddr]
        for rc in r.sample(pool, min(len(pool), int(25 * self.scale) + 5)):
            s = self.t0 + r.uniform(0, self.days - 3) * 86400
            self.fullbox[rc] = (s, s + r.uniform(1, 6) * 86400)

    # ------------------------------------------------------------ main
    def generate(self):
        self.build_world()
        self.build_accounts()
        self.plan()
        self.full_mailboxes()
        typos = self.typo_sends()
        r = self.rng
        # the victim's real owner keeps working; nothing special
        for day in range(1, self.days + 1):
            self.normal_day(day)
            self.system_senders(day)
            self.inbound_day(day)
        for t, acc, rc in typos:
            self.submit(t, acc["addr"], acc["sasl"], self.client_for(acc, 0), acc["svc"], [rc])
        for i, tk in enumerate(self.takeovers):
            self.takeover_traffic(tk, i)
        # qmgr restart mid month (new pid) -- cosmetic
        self.build_truth()

    def iso(self, t):
        return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def build_truth(self):
        eps = []
        for ep in self.episodes:
            ts = sorted(self.refusals.get(ep["id"], []))
            eps.append({"id": ep["id"], "sending_ip": ep["ip"], "blocklist": ep["list"], "transport_syslog_name": ep["transport"],
                        "window_start": self.iso(ep["start"]), "window_end": self.iso(ep["end"]),
                        "first_refusal": self.iso(ts[0]) if ts else None, "last_refusal": self.iso(ts[-1]) if ts else None,
                        "refusals": len(ts), "crosses_rotation": ep["crosses_rotation"], "refuse_share": round(ep["refuse_share"], 2)})
        tks = []
        for tk in self.takeovers:
            acc = tk["acc"]
            fails = self.takeover_fail.get(tk["id"], [])
            tks.append({"id": tk["id"], "account": acc["sasl"], "envelope_sender": acc["addr"], "style": tk["style"],
                        "start": self.iso(tk["start"]), "end": self.iso(tk["end"]), "client_ips": tk["client_ips"],
                        "sending_ip": acc["org"]["transport"]["ip"], "messages": tk["messages"], "recipients": tk["recipients"],
                        "failures": len(fails), "account_daily_rate": round(acc["rate"], 2)})
        tt = sorted(self.typo_fail)
        self.truth.update({
            "month": "%04d-%02d" % (YEAR, MONTH), "days": self.days,
            "transports": [{"syslog_name": t["syslog"], "ip": t["ip"]} for t in self.transports],
            "customer_domains": [{"domain": o["domain"], "transport_ip": o["transport"]["ip"], "tz": o["tz"]} for o in self.ours],
            "accounts": len(self.accounts),
            "blocklist_episodes": eps, "takeovers": tks,
            "typo": {"domain": self.typo, "suggested": self.typo_target, "basis": self.typo_basis,
                     "failures": len(tt), "first": self.iso(tt[0]) if tt else None, "last": self.iso(tt[-1]) if tt else None},
            "system_senders": {"newsletter": self.nl_sender, "billing": self.bill_sender, "noreply": self.noreply},
            "stats": self.stats,
        })

    def fmt_ts(self, t):
        if self.style == "rfc3339":
            d = dt.datetime.fromtimestamp(t, dt.timezone(dt.timedelta(hours=self.offset_h)))
            return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d" % d.microsecond + d.strftime("%z")[:3] + ":" + d.strftime("%z")[3:]
        d = dt.datetime.fromtimestamp(t, dt.timezone(dt.timedelta(hours=self.offset_h)))
        return "%s %2d %s" % (d.strftime("%b"), d.day, d.strftime("%H:%M:%S"))

    def write(self, out):
        logs = os.path.join(out, "logs")
        os.makedirs(logs, exist_ok=True)
        for f in os.listdir(logs):
            os.remove(os.path.join(logs, f))
        self.lines.sort(key=lambda x: (x[0], x[1]))
        starts = [self.day_start(d) for d in range(1, self.days + 2)]
        files = []
        cur_day, fh = None, None
        live = None
        nbytes = 0
        for t, _, prog, text in self.lines:
            if t < self.t0 or t >= self.t_end:
                continue
            day = bisect.bisect_right(starts, t)   # 1-based day
            if day != cur_day:
                if fh:
                    fh.close()
                    if live:
                        live.close()
                        live = None
                cur_day = day
                rot = dt.date(YEAR, MONTH, 1) + dt.timedelta(days=day)
                path = os.path.join(logs, "mail.log-%s" % rot.strftime("%Y%m%d"))
                fh = open(path, "w")
                files.append({"day": day, "path": path, "rotated_at": self.iso(starts[day])})
                live = open(os.path.join(logs, "live-%s" % (dt.date(YEAR, MONTH, 1) + dt.timedelta(days=day - 1)).strftime("%Y%m%d")), "w")
            s = "%s %s %s: %s\n" % (self.fmt_ts(t), self.host, prog, text)
            fh.write(s)
            nbytes += len(s)
            if live and t < starts[day - 1] + 1800:
                live.write(s)
        if fh:
            fh.close()
        if live:
            live.close()
        for f in files:
            ts = dt.datetime.strptime(f["rotated_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp()
            os.utime(f["path"], (ts - 1, ts - 1))
        self.truth["files"] = files
        self.truth["bytes"] = nbytes
        self.truth["lines"] = len(self.lines)
        with open(os.path.join(out, "truth.json"), "w") as fh:
            json.dump(self.truth, fh, indent=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--style", choices=["traditional", "local", "rfc3339"], default=None,
                    help="timestamps: traditional UTC, traditional local time (+02:00), RFC 3339 with +02:00; default by seed")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--days", type=int, default=30)
    a = ap.parse_args()
    style = a.style or ["rfc3339", "traditional", "local"][a.seed % 3]
    # an episode whose IP sends little to the list's users gets few refusals;
    # a real listing lasts until delisted, so stretch such a one and redo
    stretch = {}
    for _ in range(4):
        g = Gen(a.seed, style, a.scale, a.days, stretch)
        g.generate()
        weak = [i for i, ep in enumerate(g.truth["blocklist_episodes"]) if ep["refusals"] < 15]
        if not weak:
            break
        for i in weak:
            stretch[i] = stretch.get(i, 1.0) * 1.6
        print("weak episodes %s: stretching %s" % (weak, stretch))
    g.write(a.out)
    t = g.truth
    print("seed %d style %s host %s: %d lines, %.1f MB, %d accounts" % (a.seed, style, g.host, t["lines"], t["bytes"] / 1e6, t["accounts"]))
    for ep in t["blocklist_episodes"]:
        print("  episode %s %s on %s (%s): %s .. %s, %d refusals" % (ep["id"], ep["blocklist"], ep["sending_ip"], ep["transport_syslog_name"], ep["first_refusal"], ep["last_refusal"], ep["refusals"]))
    for tk in t["takeovers"]:
        print("  takeover %s %s (%s): %s .. %s, %d msgs, %d rcpts, from %d IPs, %d failures" % (tk["id"], tk["account"], tk["style"], tk["start"], tk["end"], tk["messages"], tk["recipients"], len(tk["client_ips"]), tk["failures"]))
    ty = t["typo"]
    print("  typo %s -> %s (%s): %d failures %s .. %s" % (ty["domain"], ty["suggested"], ty["basis"], ty["failures"], ty["first"], ty["last"]))


if __name__ == "__main__":
    main()
