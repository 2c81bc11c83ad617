#!/usr/bin/env python3
"""Regenerates tests/corpus/sendmail/*.log, expected.tsv and arrivals.tsv.

Line shapes come from public fixtures (fail2ban's sendmail-reject and
sendmail-auth, with their real program names such as sm-acceptingconnections and
long-pid queue ids), sendmail's op.me ("Log levels": from=, to=, ctladdr=, delay=
with days, xdelay=, mailer=, pri=, relay=, dsn=, stat=) and the stat= texts
sendmail writes (sysexits messages, "Deferred: …" with the remote reply), with
provider replies as seen in the wild. Addresses and IPs are documentation ones.

expected.tsv: `file  line_no  outcome  records` for each line that must yield
failures: a `to=` line whose stat is not Sent/queued yields one record per
recipient (dsn 4.4.7 -> expired, 4.x -> deferred, 5.x -> bounced, no dsn:
"Deferred" -> deferred else bounced); each `reject=` line yields one rejected.
arrivals.tsv: `file  line_no  sender  sasl_user` for from= lines (sender) and
AUTH=server lines (sasl user); `-` = none.
Run: python3 generate.py"""
import itertools, os, re

OUT = os.path.dirname(os.path.abspath(__file__))
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
QIDS = itertools.cycle(["s1P819mk027713", "u9A0GtpL018001", "x2TMXH7Y023221", "06QDQnNf050437",
                        "xA32R2PQ3529565", "14NNwaRl065696", "v26LtRA0020949", "IAA12345",
                        "rA37ZTSC026254", "s1N7vR47006519"])
_n = itertools.count()
files = {}
cur = None


def start(name):
    global cur
    cur = name
    files[name] = []


def stamp(i, rfc=False):
    day, hh, mm, ss = 1 + (i * 5) % 28, (i // 9) % 24, (i * 7) % 60, (i * 31) % 60
    if rfc:
        return f"2024-{1 + (i // 40) % 12:02}-{day:02}T{hh:02}:{mm:02}:{ss:02}.{(i * 41) % 1000:03}+00:00"
    return f"{MON[(i // 40) % 12]} {day:>2} {hh:02}:{mm:02}:{ss:02}"


def hdr(prog="sm-mta", host="mail", rfc=False):
    i = next(_n)
    return f"{stamp(i, rfc)} {host} {prog}[{3000 + i * 7}]"


def raw(line, outcome=None, records=0, arrival=None):
    files[cur].append((line, outcome, records, arrival))


def qid():
    return next(QIDS)


def outcome_of(dsn, stat):
    if stat.startswith("Sent") or stat.startswith("queued"):
        return None
    if dsn == "4.4.7":
        return "expired"
    if dsn and dsn[0] == "4":
        return "deferred"
    if dsn and dsn[0] == "5":
        return "bounced"
    return "deferred" if stat.startswith("Deferred") else "bounced"


def to(rcpts, stat, dsn=None, relay=None, delay="00:00:02", mailer="esmtp", ctladdr=None,
       prog="sm-mta", q=None, rfc=False, sep=","):
    h = hdr(prog, rfc=rfc)
    parts = [f"to={sep.join(rcpts)}"]
    if ctladdr:
        parts.append(f"ctladdr={ctladdr}")
    parts += [f"delay={delay}", "xdelay=00:00:01", f"mailer={mailer}", f"pri={30000 + len(files[cur]) * 911}"]
    if relay:
        parts.append(f"relay={relay}")
    if dsn:
        parts.append(f"dsn={dsn}")
    parts.append(f"stat={stat}")
    o = outcome_of(dsn, stat)
    raw(f"{h}: {q or qid()}: " + ", ".join(parts), o, len(rcpts) if o else 0)


def frm(sender, relay, q=None, prog="sm-mta", extra="proto=ESMTP, daemon=MTA", rfc=False):
    h = hdr(prog, rfc=rfc)
    s = sender if sender.startswith("<") or "@" not in sender else f"<{sender}>"
    bare = s[1:-1] if s.startswith("<") else s
    raw(f"{h}: {q or qid()}: from={s}, size={1000 + len(files[cur]) * 77}, class=0, nrcpts=1, "
        f"msgid=<{len(files[cur])}.a1b2@example.org>, bodytype=8BITMIME, {extra}, relay={relay}",
        arrival=(bare, "-"))


def auth(user, relay, mech="PLAIN", q=None):
    h = hdr()
    raw(f"{h}: {q or qid()}: AUTH=server, relay={relay}, authid={user}, mech={mech}, bits=0",
        arrival=("-", user))


def reject(body, prog="sm-mta", q=None, host="mail"):
    h = hdr(prog, host=host)
    qq = f"{q}: " if q else ""
    raw(f"{h}: {qq}{body}", "rejected", 1)


def other(body, prog="sm-mta"):
    raw(f"{hdr(prog)}: {body}")


# ---------------------------------------------------------------- deliveries
start("deliveries.log")
MX = {
    "gmail.com": "gmail-smtp-in.l.google.com. [142.250.102.26]",
    "yahoo.com": "mta7.am0.yahoodns.net. [203.0.113.40]",
    "outlook.com": "outlook-com.olc.protection.outlook.com. [203.0.113.33]",
    "example.net": "mx.example.net. [192.0.2.2]",
    "example.com": "mx.example.com. [192.0.2.1]",
    "example.org": "mx1.example.org. [198.51.100.20]",
}
for k in range(3):
    q = qid()
    frm("alice@example.org", "laptop.example.org [198.51.100.7]", q=q, extra="proto=ESMTPA, daemon=MTA")
    auth("alice@example.org", "laptop.example.org [198.51.100.7]", q=q)
    to(["<bob@example.com>", "<carol@example.com>"], "User unknown", "5.1.1", MX["example.com"], q=q)
    to(["<dave@example.net>"], "Deferred: 421 4.7.0 Try again later", "4.0.0", MX["example.net"],
       delay="1+02:03:04", q=q)
    to(["<erin@example.com>"], "Sent (Ok: queued as 4Xt2Lq0Bz5z9vXY)", "2.0.0", MX["example.com"], q=q)
    other(f"{q}: done; delay=00:00:0{k}, ntries=1")

deliv = [
    (["<x1@gmail.com>"], "Deferred: 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.", "4.7.28", MX["gmail.com"]),
    (["<x2@gmail.com>"], "User unknown", "5.1.1", MX["gmail.com"]),
    (["<x3@yahoo.com>"], "Deferred: 421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "4.0.0", MX["yahoo.com"]),
    (["<x4@outlook.com>"], "Service unavailable", "5.0.0", MX["outlook.com"]),
    (["<x5@example.net>"], "Deferred: Connection timed out with mx.example.net.", "4.0.0", "mx.example.net."),
    (["<x6@example.net>"], "Deferred: Connection refused by mx.example.net.", "4.0.0", "mx.example.net."),
    (["<x7@nowhere.example>"], "Host unknown (Name server: nowhere.example: host not found)", "5.1.2", "nowhere.example"),
    (["<x8@example.org>"], "Deferred: Name server: example.org.: host name lookup failure", "4.4.3", "example.org"),
    (["<x9@example.org>", "<x10@example.org>", "<x11@example.org>"], "Deferred: 451 4.7.1 Greylisting in action, please come back later", "4.7.1", MX["example.org"]),
    (["<full@example.com>"], "Deferred: 452 4.2.2 <full@example.com>... Mailbox full", "4.2.2", MX["example.com"]),
    (["<quota@example.com>"], "User unknown", "5.2.2", MX["example.com"]),
    (["<big@example.net>"], "Message is too large", "5.3.4", MX["example.net"]),
    (["<spam@example.net>"], "Service unavailable", "5.7.1", MX["example.net"]),
    (["<old@example.org>"], "Deferred: Connection reset by mx1.example.org.", "4.0.0", "mx1.example.org."),
    (["<gone@example.org>"], "Deferred: Connection timed out with mx1.example.org.", "4.4.7", "mx1.example.org.", "5+00:00:12"),
    (["<late@example.net>"], "Deferred", "4.4.7", None, "5+01:02:03"),
    (["<proto@example.com>"], "Remote protocol error", "5.5.0", MX["example.com"]),
    (["<local1>", "<local2>"], "User unknown", None, None),
    (["<data@example.org>"], "Data format error", "5.6.0", MX["example.org"]),
    (["<tls@example.net>"], "Deferred: 403 4.7.0 TLS handshake failed.", "4.7.0", MX["example.net"]),
    (["<v6@example.com>"], "Deferred: Network is unreachable", "4.0.0", "mx.example.com. [IPv6:2001:db8::25]"),
    (["<rbl@example.com>"], "Deferred: 554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org", None, MX["example.com"]),
    (["<nodsn@example.com>"], "Service unavailable", None, MX["example.com"]),
    (["<a@example.org>", "<b@example.org>"], "Sent (2.0.0 Ok)", "2.0.0", MX["example.org"]),
    (["<c@example.org>"], "Sent (<20240303.1@example.org> [InternalId=123456] Queued mail for delivery)", "2.0.0", MX["example.org"]),
]
for rnd in range(2):  # twice: syslog and RFC 3339 stamps alternate differently
    for i, d in enumerate(deliv):
        rcpts, stat, dsn, relay = d[:4]
        delay = d[4] if len(d) > 4 else f"{rnd}+0{i % 3}:0{i % 6}:{10 + i:02}" if rnd else f"0{i % 3}:0{i % 6}:{10 + i:02}"
        to(rcpts, stat, dsn, relay, delay=delay, rfc=(i % 4 == 1 + rnd), prog="sendmail" if rnd and i % 2 else "sm-mta")

# several recipients, bare and bracketed, ctladdr, local mailer, sm-msp-queue
q = qid()
frm("root", "root@localhost", q=q, prog="sm-msp-queue", extra="daemon=MSP")
to(["root@mail.example.com", "admin@example.com"], "Sent (s1P819mk027714 Message accepted for delivery)",
   "2.0.0", "[127.0.0.1] [127.0.0.1]", mailer="relay", ctladdr="root (0/0)", prog="sm-msp-queue", q=q)
to(["<ops@example.com>", "<dev@example.com>", "<qa@example.com>"], "Deferred: Connection timed out with mx.example.com.",
   "4.0.0", "mx.example.com.", ctladdr="<alice@example.org> (1000/1000)", q=qid())
to(["<u1@example.net>", "<u2@example.net>"], "User unknown", "5.1.1", MX["example.net"], sep=", ", q=qid())
to(["<bob>"], "Sent", "2.0.0", None, mailer="local", ctladdr="<bob@mail.example.org> (1001/1001)", q=qid())
to(["<nosuch>"], "User unknown", "5.1.1", None, mailer="local", q=qid())
to(["<k@example.org>"], "queued", None, "[127.0.0.1] [127.0.0.1]", mailer="relay", q=qid())
to(["\"|/usr/bin/procmail\""], "Sent", "2.0.0", None, mailer="prog", ctladdr="<bob@example.org> (1001/1001)", q=qid())
to(["<slow@example.com>"], "Deferred: 450 4.2.0 <slow@example.com>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/example.com.html",
   "4.2.0", MX["example.com"], prog="sendmail", q=qid())
to(["<x@example.org>"], "Deferred: 421 4.3.2 Service shutting down", "4.3.2", MX["example.org"], prog="sendmail", q=qid())
to(["<over@example.net>"], "Deferred: 452 4.5.3 Too many recipients", "4.5.3", MX["example.net"], q=qid())

# ---------------------------------------------------------------- arrivals
start("arrivals.log")
for i, (s, r) in enumerate([
    ("alice@example.org", "laptop.example.org [198.51.100.7]"),
    ("<>", "mx.example.net [192.0.2.2]"),
    ("bounce+123@lists.example.com", "lists.example.com [203.0.113.50] (may be forged)"),
    ("root", "root@localhost"),
    ("davaojk25@example.com", "163.23.32.95.dsl-dynamic.example.ru [203.0.113.163]"),
    ("news@example.org", "[IPv6:2001:db8::7]"),
    ("www-data@web.example.org", "www-data@localhost"),
    ("billing@example.com", "[198.51.100.30]"),
]):
    frm(s, r, prog="sendmail" if i % 2 else "sm-mta", rfc=(i % 3 == 2))
for u, r, m in [("alice@example.org", "laptop.example.org [198.51.100.7]", "PLAIN"),
                ("bob", "[198.51.100.8]", "LOGIN"),
                ("carol@example.com", "client.example.net [203.0.113.77] (may be forged)", "CRAM-MD5"),
                ("dave", "[IPv6:2001:db8::9]", "DIGEST-MD5")]:
    q = qid()
    auth(u, r, m, q=q)
    frm(u if "@" in u else f"{u}@example.org", r, q=q, extra="proto=ESMTPSA, daemon=MSA")
    other(f"{q}: AUTH=client, relay=smarthost.example.net, mech=PLAIN, bits=0")

# ---------------------------------------------------------------- rejects (fail2ban fixtures, rewritten)
start("rejects.log")
F2B = [
    ("sm-acceptingconnections", "s1P819mk027713", "ruleset=check_rcpt, arg1=<asservnew@example.ru>, relay=128-68-136-133.broadband.example.ru [203.0.113.133], reject=550 5.7.1 <asservnew@example.ru>... Relaying denied. Proper authentication required."),
    ("sm-mta", "s1NLaDQT022248", "ruleset=check_rcpt, arg1=<dautareuk2@example.it>, relay=int0.client.access.example.net [198.51.100.119] (may be forged), reject=550 5.7.1 <dautareuk2@example.it>... Relaying denied. IP name possibly forged [198.51.100.119]"),
    ("sm-mta", "s1O7XtZJ021134", "ruleset=check_rcpt, arg1=<sanjinn232@example.com.tw>, relay=118-161-66-57.dynamic.example.net [203.0.113.57], reject=550 5.7.1 <sanjinn232@example.com.tw>... Relaying denied. Proper authentication required."),
    ("sm-mta", "s1N7vR47006519", "ruleset=check_rcpt, arg1=<camila.pinto@example.pt>, relay=[198.51.100.27], reject=553 5.1.8 <camila.pinto@example.pt>... Domain of sender address camila.pinto@example.com does not exist"),
    ("sm-mta", "s1NED81M017126", "ruleset=check_rcpt, arg1=<anabela@example.pt>, relay=161.pool85-60-238.dynamic.example.es [203.0.113.161], reject=553 5.1.8 <anabela@example.pt>... Domain of sender address anabela@dsldevice.lan does not exist"),
    ("sm-mta", "s1O57c6H000716", "ruleset=check_rcpt, arg1=<camilo_pinto@example.pt>, relay=202.53.73.138.example.com [198.51.100.138] (may be forged), reject=553 5.1.8 <camilo_pinto@example.pt>... Domain of sender address root@srv.example.com does not exist"),
    ("sm-mta", "s1N706jo003992", "ruleset=check_rcpt, arg1=<joaofr@example.pt>, relay=[203.0.113.226], reject=550 5.7.1 <joaofr@example.pt>... Rejected: 203.0.113.226 listed at sbl-xbl.spamhaus.org"),
    ("sm-acceptingconnections", "s1N9aKAw012603", "ruleset=check_rcpt, arg1=<user@example.com>, relay=74-137-127-206.dhcp.example.com [198.51.100.206], reject=550 5.7.1 <user@example.com>... Rejected: IP in SpamCop blacklist, see: http://spamcop.net/bl.shtml?198.51.100.206"),
    ("sm-acceptingconnections", "s1N9csSZ016772", "ruleset=check_rcpt, arg1=<user@example.com>, relay=[203.0.113.250], reject=550 5.7.1 <user@example.com>... Rejected: IP in Barracuda RBL, see: http://www.barracudacentral.org/reputation?ip=203.0.113.250"),
    ("sm-acceptingconnections", "s1NB63Bp018622", "ruleset=check_rcpt, arg1=<user@example.com>, relay=r186-54-117-93.dialup.example.uy [198.51.100.93], reject=550 5.7.1 <user@example.com>... Rejected: IP in SpamHaus PBL, see http://www.spamhaus.org/query/bl?ip=198.51.100.93"),
    ("sm-mta", None, "ruleset=check_relay, arg1=leased-line-54-82.example.by, arg2=203.0.113.82, relay=leased-line-54-82.example.by [203.0.113.82], reject=421 4.3.2 Connection rate limit exceeded."),
    ("sm-mta", None, "ruleset=check_relay, arg1=189-30-205-74.dsl.example.br, arg2=198.51.100.74, relay=189-30-205-74.dsl.example.br [198.51.100.74], reject=421 4.3.2 Too many open connections."),
    ("sm-mta", None, "ruleset=check_relay, arg1=[203.0.113.146], arg2=203.0.113.146, relay=[203.0.113.146], reject=421 4.3.2 Connection rate limit exceeded."),
    ("sm-mta", "s1REiHdq087838", "ruleset=check_rcpt, arg1=<gert-jan@example.ch>, relay=[198.51.100.137], reject=550 5.7.1 <gert-jan@example.ch>... Relaying denied. IP name lookup failed [198.51.100.137]"),
    ("sm-mta", "s1REn1un088377", "ruleset=check_rcpt, arg1=<non-existing-user@example.com>, relay=189-30-205-74.dsl.example.br [198.51.100.74], reject=550 5.1.1 <non-existing-user@example.com>... User unknown"),
    ("sm-mta", "s1RLieRP030972", "ruleset=check_rcpt, arg1=<existing-user@example.com>, relay=[203.0.113.50], reject=553 5.1.8 <existing-user@example.com>... Domain of sender address lf@example.net does not exist"),
    ("sendmail", "s1D0GoSs025815", "ruleset=check_mail, arg1=<spam@bad.example>, relay=unknown.example [203.0.113.10] (may be forged), reject=553 5.1.8 <spam@bad.example>... Domain of sender address spam@bad.example does not exist"),
    ("sendmail", "NOQUEUE", "ruleset=check_rcpt, arg1=<x@y.example>, relay=[203.0.113.11], reject=451 4.1.8 Domain of sender address a@b.example does not resolve"),
    ("sm-mta", "u9A0GtpL018002", "Milter: to=<u@example.org>, reject=550 5.7.1 Command rejected"),
    ("sm-mta", "u9A0GtpL018003", "milter=spamass-milter, action=data, reject=554 5.7.1 Blocked by SpamAssassin"),
    ("sm-mta", "u9A0GtpL018004", "Milter: data, reject=554 5.7.1 Rejected by milter: message contains a virus (Eicar-Test-Signature)"),
    ("sm-mta", "u9A0GtpL018005", "ruleset=check_rcpt, arg1=<user@example.org>, relay=mail.example.net [198.51.100.44], reject=450 4.7.1 <user@example.org>... Greylisted, try again later"),
    ("sm-mta", "u9A0GtpL018006", "ruleset=check_mail, arg1=<>, relay=[203.0.113.12], reject=553 5.3.0 <>... Spammer rejected"),
    ("sendmail", "xA32R2PQ3529567", "ruleset=check_rcpt, arg1=<someone@example.com>, relay=[IPv6:2001:db8::1], reject=550 5.7.1 <someone@example.com>... Relaying denied"),
]
for prog, q, body in F2B:
    reject(body, prog=prog, q=q)
# fail2ban lines that are not delivery failures
for prog, body in [
    ("sm-mta", "s1R9r60D044307: rejecting commands from  [203.0.113.253] due to pre-greeting traffic after 0 seconds"),
    ("sm-mta", "u9A0GtpL018001: rejecting commands from example.com [198.51.100.4] due to pre-greeting traffic after 6 seconds"),
    ("sm-mta", "s1NKIkZa093301: [198.51.100.70]: EXPN root [rejected]"),
    ("sm-mta", "s1D0GoSs025815: [203.0.113.180]: vrfy info [rejected]"),
    ("sendmail", "rA37ZTSC026250: <arhipov@example.com>... No such user here"),
    ("sendmail", "rA37ZTSC026251: <anatoliy@example.com>... No such user here"),
    ("sm-mta", "v26LtRA0020949: some-host-24.example.org [192.0.2.194] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA"),
    ("sm-mta", "v27K4Vj8018624: some-host-24.example.org [192.0.2.195] (may be forged) did not issue MAIL/EXPN/VRFY/ETRN during connection to MSP-v4"),
    ("sendmail", "xA32R2PQ3529565: [192.0.2.2] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA"),
    ("sm-mta", "06QDQnNf050438: example.com [IPv6:2001:DB8::1] did not issue MAIL/EXPN/VRFY/ETRN during connection to IPv6"),
    ("sm-mta", "s1GNXHYB005133: [203.0.113.178]: possible SMTP attack: command=AUTH, count=5"),
    ("sm-acceptingconnections", "s1OHA28u032053: 211-75-6-133.example.net [198.51.100.133]: possible SMTP attack: command=AUTH, count=6"),
    ("sendmail", "06I02CNi016764: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=user@example.com, relay=example.com [192.0.2.3] (may be forged)"),
    ("sm-mta", "14NNx65Q065815: AUTH failure (CRAM-MD5): user not found (-20) SASL(-13): user not found: user: scan@server.example.com property: userPassword not found in sasldb /usr/local/etc/sasldb2, user=scan, relay=[192.0.2.6]"),
    ("sm-mta", "STARTTLS=client, relay=mx.example.com., version=TLSv1.3, verify=OK, cipher=TLS_AES_256_GCM_SHA384, bits=256/256"),
    ("sm-mta", "STARTTLS=server, relay=client.example.net [198.51.100.8], version=TLSv1.2, verify=NO, cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256/256"),
    ("sm-mta", "starting daemon (8.17.1): SMTP+queueing@00:25:00"),
    ("sm-mta", "s1P819mk027713: s1P819mk027799: DSN: User unknown"),
    ("sm-mta", "s1P819mk027713: s1P819mk027800: DSN: Cannot send message for 5 days"),
    ("sm-mta", "s1P819mk027713: s1P819mk027801: return to sender: Service unavailable"),
    ("sm-mta", "s1P819mk027713: lost input channel from [203.0.113.9] to MTA after rcpt"),
    ("sm-mta", "s1P819mk027713: collect: premature EOM: Connection reset by [203.0.113.9]"),
    ("sm-mta", "s1P819mk027713: Milter add: header: X-Spam-Status: No, score=1.2"),
    ("sm-mta", "s1P819mk027713: Milter: connect: host=client.example.net, addr=198.51.100.8"),
    ("sm-mta", "s1P819mk027713: <bob@example.com>... User unknown"),
    ("sm-mta", "s1P819mk027713: done; delay=00:00:02, ntries=1"),
    ("sm-mta", "s1P819mk027713: SYSERR(root): hash map \"access\": unsafe map file /etc/mail/access.db: Permission denied"),
    ("sm-mta", "s1P819mk027713: timeout waiting for input from mx.example.net. during client greeting"),
    ("sm-msp-queue", "unable to qualify my own domain name (mail) -- using short name"),
]:
    other(body, prog=prog)


def main():
    for f in os.listdir(OUT):
        if f.endswith(".log"):
            os.remove(os.path.join(OUT, f))
    exp, arr = [], []
    total = 0
    for name, rows in files.items():
        with open(os.path.join(OUT, name), "w") as fh:
            for n, (line, o, k, a) in enumerate(rows, 1):
                fh.write(line + "\n")
                if o:
                    exp.append(f"{name}\t{n}\t{o}\t{k}")
                if a:
                    arr.append(f"{name}\t{n}\t{a[0]}\t{a[1]}")
        total += len(rows)
    with open(os.path.join(OUT, "expected.tsv"), "w") as fh:
        fh.write("# file\tline_no\toutcome\trecords   (generated by generate.py)\n" + "\n".join(exp) + "\n")
    with open(os.path.join(OUT, "arrivals.tsv"), "w") as fh:
        fh.write("# file\tline_no\tsender\tsasl_user   (generated; - = none, empty = <>)\n" + "\n".join(arr) + "\n")
    print(f"{total} lines, {len(exp)} failure lines, {sum(int(r.split(chr(9))[3]) for r in exp)} records, {len(arr)} arrivals")


if __name__ == "__main__":
    main()
