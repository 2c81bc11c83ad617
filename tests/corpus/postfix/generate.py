#!/usr/bin/env python3
"""Regenerates tests/corpus/postfix/*.log and expected.tsv (line numbers follow the lists below).

Lines come from public fixtures (fail2ban, logwatch postfix, postfix-grok-patterns, issue and
Q&A threads) and provider error pages, rewritten to documentation addresses and IPs; each
cause is decided by hand from the remote text per DESIGN.md. Run: python3 generate.py"""
import itertools, os

OUT = os.path.dirname(os.path.abspath(__file__))
MON = ["Jan","Feb","Mar","Apr","May","Jun","Jul","Aug","Sep","Oct","Nov","Dec"]
_n = itertools.count()
SHORT = itertools.cycle(["9F1E2123AB","3A4B5C6D7E","C93CEB08A0","7EE668039","0D9633D","E52A1F1B52","DA080C2E0B","4104E3D","B1B8945620","11677B700D","8F699C2EA6","A1B2C3D4E5F"])
LONG = itertools.cycle(["4Xt2Lq0Bz5z9vXY","4Zk9Rk1Nxfz1xnc","3WbsXP0Vfmz9sWN","4TqJ5m2RbXz6wPk","4Yv1Hc3Mdnz2kLs","4RgN0p6QwKz8tBv","4PmD7s9TyCz3hJx"])

def ts(i):
    k = i % 4
    day = 1 + (i * 7) % 28
    hh, mm, ss = (i // 7) % 24, (i * 13) % 60, (i * 29) % 60
    mon = MON[(i // 11) % 12]
    if k == 0:
        return f"{mon} {day:>2} {hh:02}:{mm:02}:{ss:02}"          # Mar  3 10:15:01
    if k == 1:
        return f"2024-{(i//11)%12+1:02}-{day:02}T{hh:02}:{mm:02}:{ss:02}.{(i*37)%1000000:06}+00:00"
    if k == 2:
        return f"{mon} {day:02} {hh:02}:{mm:02}:{ss:02}"          # Mar 03 10:15:01
    return f"2024-{(i//11)%12+1:02}-{day:02}T{hh:02}:{mm:02}:{ss:02}.{(i*53)%1000:03}+01:00"

def qid(i):
    return next(LONG) if i % 3 == 1 else next(SHORT)

files = {}
cur = None
def start(name):
    global cur
    cur = name
    files[name] = []

def raw(line, outcome=None, cause=None):
    files[cur].append((line, outcome, cause))

def hdr(tag, host="mx1", pid=None):
    i = next(_n)
    return i, f"{ts(i)} {host} {tag}[{pid or 1000 + i}]"

TAGS_OUT = ["postfix/smtp", "postfix-192.0.2.10/smtp", "postfix/smtp", "postfix-203.0.113.40/smtp", "postfix/relay/smtp", "postfix-out/smtp"]
def out_tag(i):
    return TAGS_OUT[i % len(TAGS_OUT)]

def said(rhost, rip, reply, cmd="RCPT TO"):
    return f"host {rhost}[{rip}] said: {reply} (in reply to {cmd} command)"

def deliver(status, rcpt, relay, dsn, text, cause, tag=None, outcome=None, host="mx1", orig_to=None):
    i, h = hdr(None or "x", host)
    t = tag or out_tag(i)
    h = h.replace(" x[", f" {t}[")
    o = f" orig_to=<{orig_to}>," if orig_to else ""
    line = (f"{h}: {qid(i)}: to=<{rcpt}>,{o} relay={relay}, delay={(i%50)+0.4:.1f}, "
            f"delays=0.1/0.01/0.2/{(i%9)/10:.1f}, dsn={dsn}, status={status} ({text})")
    oc = outcome or {"bounced": "bounced", "deferred": "deferred", "undeliverable": "bounced", "expired": "expired"}[status]
    raw(line, oc, cause)

def remote(status, rcpt, rhost, rip, dsn, reply, cause, cmd="RCPT TO", **kw):
    deliver(status, rcpt, f"{rhost}[{rip}]:25", dsn, said(rhost, rip, reply, cmd), cause, **kw)

def refused(status, rcpt, rhost, rip, dsn, reply, cause, **kw):
    deliver(status, rcpt, f"{rhost}[{rip}]:25", dsn, f"host {rhost}[{rip}] refused to talk to me: {reply}", cause, **kw)

def reject(tag, stage, client, reply, frm, to, cause, helo="mail.example.net", qid_=None, commas=False, host="mx1"):
    i, h = hdr(tag, host)
    q = qid_ or "NOQUEUE"
    if commas:
        env = f"from=<{frm}>, to=<{to}>, proto=ESMTP, helo=<{helo}>"
    elif to is None:
        env = f"proto=ESMTP helo=<{helo}>"
    else:
        env = f"from=<{frm}> to=<{to}> proto=ESMTP helo=<{helo}>"
    raw(f"{h}: {q}: reject: {stage} from {client}: {reply}; {env}", "rejected", cause)

def other(tag, msg, host="mx1"):
    i, h = hdr(tag, host)
    raw(f"{h}: {msg}")

G = ("gmail-smtp-in.l.google.com", "198.51.100.26")
G2 = ("alt1.gmail-smtp-in.l.google.com", "198.51.100.27")
ASPMX = ("aspmx.l.google.com", "198.51.100.28")
MS = ("outlook-com.olc.protection.outlook.com", "198.51.100.47")
EOP = ("example-org.mail.protection.outlook.com", "198.51.100.48")
HOT = ("hotmail-com.olc.protection.outlook.com", "198.51.100.49")
Y = ("mta7.am0.yahoodns.net", "198.51.100.74")
Y6 = ("mta6.am0.yahoodns.net", "198.51.100.75")
AOL = ("mx-aol.mail.gm0.yahoodns.net", "198.51.100.76")
ICL = ("mx01.mail.icloud.com", "198.51.100.80")
CC = ("mx1.comcast.net", "198.51.100.90")
GMX = ("mx00.gmx.net", "198.51.100.100")
WEB = ("mx-ha03.web.de", "198.51.100.101")
TON = ("mx00.t-online.de", "198.51.100.102")
MRU = ("mxs.mail.ru", "198.51.100.110")
YDX = ("mx.yandex.ru", "198.51.100.111")
MC = ("eu-smtp-inbound-1.mimecast.com", "198.51.100.120")
PP = ("mx0a-00112233.pphosted.com", "198.51.100.121")
BAR = ("d123456a.ess.barracudanetworks.com", "198.51.100.122")
GEN = ("mail.example.net", "203.0.113.25")
GEN2 = ("mx.example.org", "203.0.113.26")
CP = ("mail.example-hosting.com", "203.0.113.27")

# ---------------------------------------------------------------- providers
start("smtp_providers.log")
other("postfix/qmgr", "9F1E2123AB: from=<alice@example.com>, size=4051, nrcpt=3 (queue active)")
# Gmail
remote("bounced", "nobody@gmail.com", *G, "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si5330989ugf.37 - gsmtp", "bad_address")
remote("bounced", "old.user@gmail.com", *G2, "5.2.1", "550-5.2.1 The email account that you tried to reach is disabled. Learn more at 550 5.2.1 https://support.google.com/mail/?p=DisabledUser z13si1234567wrb.88 - gsmtp", "mailbox_disabled")
remote("deferred", "full.box@gmail.com", *G, "4.2.2", "452-4.2.2 The email account that you tried to reach is over quota. Please direct 452-4.2.2 the recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp x3si12345qkb.44 - gsmtp", "mailbox_full")
remote("bounced", "full.box@gmail.com", *G, "5.2.2", "552-5.2.2 The recipient's inbox is out of storage space and inactive. Please direct the recipient to 552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm d9si7654321ejc.55 - gsmtp", "mailbox_full")
remote("bounced", "friend@gmail.com", *G, "5.7.1", "550-5.7.1 [192.0.2.10      12] Our system has detected that this message is 550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail, 550-5.7.1 this message has been blocked. For more information, go to 550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError k10si2978071qtp.33 - gsmtp", "content_rejected", cmd="end of DATA")
remote("deferred", "friend@gmail.com", *G, "4.7.0", "421-4.7.0 [192.0.2.10      15] Our system has detected that this message is 421-4.7.0 suspicious due to the very low reputation of the sending IP address. 421-4.7.0 To protect our users from spam, mail sent from your IP address has 421-4.7.0 been temporarily rate limited. For more information, go to 421 4.7.0  https://support.google.com/mail/answer/188131 b3si556qkd.12 - gsmtp", "ip_blocked", cmd="end of DATA")
remote("deferred", "team@gmail.com", *G, "4.7.28", "421-4.7.28 [192.0.2.10      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. Please visit 421-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to 421 4.7.28 review our Bulk Email Senders Guidelines. k10si2978071qtp.33 - gsmtp", "rate_limited", cmd="end of DATA")
remote("bounced", "someone@gmail.com", *G, "5.7.26", "550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. 550-5.7.26  550-5.7.26  Authentication results: 550-5.7.26  DKIM = did not pass 550-5.7.26  SPF [example.com] with ip: [192.0.2.10] = did not pass 550-5.7.26  550-5.7.26  For instructions on setting up authentication, go to 550 5.7.26  https://support.google.com/mail/answer/81126#authentication e7si2345ejb.201 - gsmtp", "auth_failed", cmd="end of DATA")
remote("bounced", "someone@gmail.com", *ASPMX, "5.7.26", "550-5.7.26 Unauthenticated email from example.com is not accepted due to 550-5.7.26 domain's DMARC policy. Please contact the administrator of 550-5.7.26 example.com domain if this was a legitimate mail. To learn about the 550-5.7.26 DMARC initiative, go to 550 5.7.26  https://support.google.com/mail/?p=DmarcRejection f2si99qkb.7 - gsmtp", "auth_failed", cmd="end of DATA")
remote("bounced", "owner@example.edu", *ASPMX, "5.7.25", "550-5.7.25 [192.0.2.10] The IP address sending this message does not have a 550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not 550-5.7.25 point to the sending IP. As a policy, Gmail does not accept messages 550-5.7.25 from IPs with missing PTR records. For more information, go to 550 5.7.25  https://support.google.com/mail/answer/81126#ip-practices h5si1qkb.3 - gsmtp", "ip_blocked", cmd="end of DATA")
remote("bounced", "friend@gmail.com", *G, "5.7.0", "552-5.7.0 This message was blocked because its content presents a potential 552-5.7.0 security issue. Please visit 552-5.7.0  https://support.google.com/mail/?p=BlockedMessage to review our 552 5.7.0 message content and attachment content guidelines. n8si3qkb.51 - gsmtp", "content_rejected", cmd="end of DATA")
remote("bounced", "friend@gmail.com", *G, "5.3.4", "552-5.3.4 Your message exceeded Google's message size limits. Please visit 552-5.3.4  https://support.google.com/mail/?p=MaxSizeError to view our size 552 5.3.4 guidelines. q4si2qkb.19 - gsmtp", "message_too_large", cmd="end of DATA")
remote("deferred", "busy.person@gmail.com", *G, "4.2.1", "450-4.2.1 The user you are trying to contact is receiving mail too quickly. 450-4.2.1 Please resend your message at a later time. If the user is able to 450-4.2.1 receive mail at that time, your message will be delivered. For more 450-4.2.1 information, go to 450 4.2.1  https://support.google.com/mail/?p=ReceivingRate r2si8qkb.60 - gsmtp", "rate_limited")
remote("bounced", "busy.person@gmail.com", *G, "5.2.1", "550-5.2.1 The user you are trying to contact is receiving mail at a rate that 550-5.2.1 prevents additional messages from being delivered. For more 550-5.2.1 information, go to 550 5.2.1  https://support.google.com/mail/?p=ReceivingRatePerm r2si8qkb.61 - gsmtp", "rate_limited")
remote("deferred", "friend@gmail.com", *G, "4.3.0", "451-4.3.0 Mail server temporarily rejected message. For more information, go to 451 4.3.0  https://support.google.com/mail/?p=TempError m12si5qkb.2 - gsmtp", "temporary_failure", cmd="end of DATA")
remote("deferred", "friend@gmail.com", *G2, "4.7.0", "421-4.7.0 This message does not have authentication information or fails to 421-4.7.0 pass authentication checks (SPF or DKIM). To best protect our users 421-4.7.0 from spam, the message has been blocked. Please visit 421 4.7.0  https://support.google.com/mail/answer/81126#authentication c4si9qkb.8 - gsmtp", "auth_failed", cmd="end of DATA")
remote("deferred", "list@gmail.com", *G, "4.5.3", "452-4.5.3 Your message has too many recipients. For more information regarding 452-4.5.3 Google's sending limits, go to 452 4.5.3  https://support.google.com/mail/?p=TooManyRecipientsError t1si2qkb.4 - gsmtp", "rate_limited")
remote("bounced", "friend@gmail.com", *G, "5.7.0", "552-5.7.0 Our system detected an illegal attachment on this message. Please 552-5.7.0 visit https://support.google.com/mail/?p=BlockedMessage to review our 552 5.7.0 attachment guidelines. s8si7qkb.9 - gsmtp", "content_rejected", cmd="end of DATA")
remote("deferred", "friend@gmail.com", *G, "4.7.0", "421-4.7.0 [192.0.2.10      15] Gmail has detected that this message is likely suspicious due to the very low reputation of the sending domain. To best protect our users from spam, the message has been blocked. For more information, go to https://support.google.com/mail/answer/188131 w2si4qkb.5 - gsmtp", "ip_blocked", cmd="end of DATA")
remote("deferred", "friend@gmail.com", *G, "4.3.0", "421-4.3.0 Temporary System Problem.  Try again later (10). v7si3qkb.18 - gsmtp", "temporary_failure", cmd="MAIL FROM")
# Microsoft
remote("bounced", "ghost@outlook.com", *MS, "5.5.0", "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM4PEPF00027A5E.eurprd04.prod.outlook.com 2024-03-03T10:15:01.000Z 08DC3B2A]", "bad_address")
remote("bounced", "left@example.org", *EOP, "5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient left@example.org not found by SMTP address lookup", "bad_address")
remote("bounced", "no-reply-unknown@example.org", *EOP, "5.4.1", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR01FT088.eop-EUR01.prod.protection.outlook.com 2023-06-22T08:26:31.592Z 08DB72B25E50380B]", "bad_address")
remote("bounced", "pal@hotmail.com", *HOT, "5.7.1", "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [HE1EUR02FT024.eop-EUR02.prod.protection.outlook.com 2024-03-03T10:15:01.000Z 08DC3B2A]", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "pal@live.com", *HOT, "5.7.1", "550 SC-001 (BAY004-MC5F35) Unfortunately, messages from 192.0.2.10 weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "boss@example.org", *EOP, "5.7.606", "550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) [BN8NAM12FT055.eop-nam12.prod.protection.outlook.com]", "ip_blocked")
remote("deferred", "pal@outlook.com", *MS, "4.7.500", "451 4.7.500 Server busy. Please try again later from [192.0.2.10]. (S77714) [DB3EUR04FT052.eop-eur04.prod.protection.outlook.com]", "temporary_failure", cmd="MAIL FROM")
remote("deferred", "pal@outlook.com", *MS, "4.7.650", "451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [Name=Protocol Filter Agent][AGT=PFA][MxId=11BA47C9EC8B8A4F] [VI1EUR04FT055.eop-eur04.prod.protection.outlook.com]", "rate_limited", cmd="MAIL FROM")
remote("bounced", "cfo@example.org", *EOP, "5.7.509", "550 5.7.509 Access denied, sending domain [example.com] does not pass DMARC verification and has a DMARC policy of reject. [AM7EUR03FT040.eop-EUR03.prod.protection.outlook.com 2024-03-03T10:15:01.000Z 08DC3B2A]", "auth_failed", cmd="end of DATA")
remote("bounced", "pal@outlook.com", *MS, "5.7.515", "550 5.7.515 Access denied, sending domain [example.com] doesn't meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. To learn more see https://aka.ms/SenderRequirements [DS1PEPF00017092.namprd03.prod.outlook.com 2025-05-06T08:00:01.000Z 08DD8C3A]", "auth_failed", cmd="end of DATA")
remote("bounced", "pal@outlook.com", *MS, "5.7.708", "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7171) [SN1NAM02FT012.eop-nam02.prod.protection.outlook.com]", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "boss@example.org", *EOP, "5.7.1", "550 5.7.1 Service unavailable, Client host [192.0.2.10] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/lookup/ (AS3130) [VE1EUR03FT013.eop-EUR03.prod.protection.outlook.com]", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "boss@example.org", *EOP, "5.2.2", "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot open mailbox /o=ExchangeLabs/ou=Exchange Administrative Group[EndDiagnosticData]", "mailbox_full", cmd="end of DATA")
remote("bounced", "fwd@example.org", *EOP, "5.7.520", "550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)", "policy_rejected", cmd="end of DATA")
remote("bounced", "allstaff@example.org", *EOP, "5.7.133", "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group", "policy_rejected", cmd="end of DATA")
remote("deferred", "boss@example.org", *EOP, "4.3.1", "452 4.3.1 Insufficient system resources (UsedDiskSpace[E:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\data\\Queue])", "temporary_failure", cmd="MAIL FROM")
remote("bounced", "boss@example.org", *EOP, "5.6.211", "554 5.6.211 Invalid MIME Content: Single text value size (32768) exceeded allowed maximum (32768) for the 'X-Long-Header' header.", "content_rejected", cmd="end of DATA")
remote("bounced", "user@partner.example", *EOP, "5.7.64", "550 5.7.64 TenantAttribution; Relay Access Denied [DB5EUR03FT034.eop-EUR03.prod.protection.outlook.com]", "relay_denied")
remote("bounced", "user@partner.example", *EOP, "5.7.54", "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain", "relay_denied")
remote("deferred", "invalidinvalid@outlook.com", *MS, "4.4.4", "451 4.4.4 Temporary server error. Please try again later ATTR1", "temporary_failure")
remote("bounced", "boss@example.org", *EOP, "5.7.1", "550 5.7.1 Service unavailable. Client host [192.0.2.10] blocked using Blocklist 1; To request removal from this list please forward this message to delist@messaging.microsoft.com", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "boss@example.org", *EOP, "5.7.1", "550 5.7.1 Message rejected as spam by Content Filtering.", "content_rejected", cmd="end of DATA")
# Yahoo / AOL
remote("bounced", "ghost@yahoo.com", *Y, "5.0.0", "554 delivery error: dd This user doesn't have a yahoo.com account (ghost@yahoo.com) [0] - mta1024.mail.ne1.yahoo.com", "bad_address", cmd="end of DATA")
remote("bounced", "closed@yahoo.com", *Y6, "5.0.0", "554 delivery error: dd Sorry your message to closed@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta4219.mail.bf1.yahoo.com", "mailbox_disabled", cmd="end of DATA")
remote("bounced", "ghost@aol.com", *AOL, "5.0.0", "552 1 Requested mail action aborted, mailbox not found", "bad_address", cmd="end of DATA")
remote("deferred", "dave@yahoo.com", *Y, "4.7.0", "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "ip_blocked", cmd="MAIL FROM")
remote("deferred", "dave@yahoo.com", *Y6, "4.7.0", "421 4.7.0 [TS01] Messages from 192.0.2.10 temporarily deferred due to user complaints - 4.16.55.1; see https://help.yahoo.com/kb/postmaster/SLN3434.html", "rate_limited", cmd="MAIL FROM")
refused("deferred", "dave@yahoo.com", *Y6, "4.7.1", "421 4.7.1 [TS03] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes", "ip_blocked")
remote("bounced", "dave@yahoo.com", *Y, "5.7.9", "554 5.7.9 Message not accepted for policy reasons.  See https://senders.yahooinc.com/error-codes", "policy_rejected", cmd="end of DATA")
remote("bounced", "dave@yahoo.com", *Y, "5.7.9", "550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.", "auth_failed", cmd="end of DATA")
remote("bounced", "dave@yahoo.com", *Y, "5.7.2", "553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes", "ip_blocked", cmd="MAIL FROM")
# Apple iCloud
remote("bounced", "ghost@icloud.com", *ICL, "5.1.1", "550 5.1.1 <ghost@icloud.com>: user does not exist", "bad_address")
remote("bounced", "full@me.com", *ICL, "5.2.2", "552 5.2.2 <full@me.com>: user is over quota", "mailbox_full")
remote("bounced", "friend@icloud.com", *ICL, "5.7.1", "554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137", "policy_rejected", cmd="end of DATA")
remote("bounced", "friend@icloud.com", *ICL, "5.7.0", "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.10", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "friend@mac.com", *ICL, "5.7.1", "554 5.7.1 [HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137", "policy_rejected", cmd="end of DATA")
# Comcast
refused("bounced", "pal@comcast.net", *CC, "5.0.0", "554 resimta-ch2-18v.sys.comcast.net resimta-ch2-18v.sys.comcast.net 192.0.2.10 Comcast block for spam.  Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000", "ip_blocked")
remote("bounced", "ghost@comcast.net", *CC, "5.1.1", "550 5.1.1 <ghost@comcast.net> Not our Customer", "bad_address")
refused("deferred", "pal@comcast.net", *CC, "4.7.0", "421 4.7.0 resimta-po-11v.sys.comcast.net Too many sessions opened from 192.0.2.10", "rate_limited")
refused("bounced", "pal@comcast.net", *CC, "5.0.0", "554 resimta-ch2-05v.sys.comcast.net comcast 192.0.2.10 found no PTR record for IP. Comcast requires that all mail servers must have a PTR record with a valid Reverse DNS entry. Currently your mail server does not fill that requirement. For more information, refer to: http://postmaster.comcast.net/smtp-error-codes.php#554", "ip_blocked")
# GMX / web.de / T-Online / freenet / AOL
refused("bounced", "freund@gmx.de", *GMX, "5.0.0", "554-gmx.net (mxgmx104) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is block listed. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0201&i=ip&v=192.0.2.10&r=1MNcgj-1ue23t3pyV-00S2YR", "ip_blocked")
remote("bounced", "weg@gmx.de", *GMX, "5.0.0", "550 Requested action not taken: mailbox unavailable", "bad_address")
remote("bounced", "freund@web.de", *WEB, "5.0.0", "554-Transaction failed 554-Reject due to policy restrictions. 554 For explanation visit https://web.de/email/senderguidelines?ip=192.0.2.10&c=hi", "policy_rejected", cmd="end of DATA")
remote("bounced", "schlaf@gmx.de", *GMX, "5.2.1", "550 5.2.1 <schlaf@gmx.de>... User is inactive", "mailbox_disabled")
remote("bounced", "voll@web.de", *WEB, "5.0.0", "550 Benutzer hat das Speichervolumen ueberschritten. / User has exhausted allowed storage space.", "mailbox_full")
remote("bounced", "voll2@web.de", *WEB, "5.0.0", "550 Benutzer hat zuviele Mails auf dem Server. / User has too many messages on the server.", "mailbox_full")
refused("bounced", "kunde@t-online.de", *TON, "5.0.0", "554 IP=192.0.2.10 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.)", "ip_blocked")
remote("bounced", "alt@freenet.de", "mx.freenet.de", "198.51.100.103", "5.0.0", "550 unrouteable address", "bad_address")
remote("bounced", "ghost@aol.com", *AOL, "5.0.0", "550 MAILBOX NOT FOUND", "bad_address")
# mail.ru / Yandex
remote("bounced", "nobody42@mail.ru", *MRU, "5.0.0", "550 Message was not accepted -- invalid mailbox.  Local mailbox nobody42@mail.ru is unavailable: user not found", "bad_address", cmd="end of DATA")
remote("bounced", "drug@mail.ru", *MRU, "5.0.0", "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=AbCdEf or report details to abuse@corp.mail.ru. Error code: 1A2B3C4D5E6F. ID: 0000000000000000.", "content_rejected", cmd="end of DATA")
remote("deferred", "drug@mail.ru", *MRU, "4.0.0", "451 Ratelimit exceeded for mailbox drug@mail.ru. Try again later.", "rate_limited")
remote("bounced", "blocked@mail.ru", *MRU, "5.0.0", "550 Message was not accepted -- invalid mailbox.  Local mailbox blocked@mail.ru is unavailable: account is disabled", "mailbox_disabled", cmd="end of DATA")
remote("bounced", "drug@yandex.ru", *YDX, "5.7.1", "554 5.7.1 [2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1621234567-AbCdEfGh", "content_rejected", cmd="end of DATA")
remote("bounced", "ghost@yandex.ru", *YDX, "5.7.1", "550 5.7.1 No such user!", "bad_address")
remote("bounced", "full@yandex.ru", *YDX, "5.2.2", "552 5.2.2 Mailbox size limit exceeded", "mailbox_full", cmd="end of DATA")
remote("deferred", "drug@yandex.ru", *YDX, "4.7.1", "451 4.7.1 Sorry, the service is currently unavailable. Please come back later.", "temporary_failure", cmd="MAIL FROM")
# Mimecast / Proofpoint / Barracuda
remote("bounced", "ceo@corp.example", *MC, "5.0.0", "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [AbCdEfGhIj.uk123]", "bad_address")
remote("bounced", "ceo@corp.example", *MC, "5.0.0", "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [AbCdEfGhIj.uk123]", "policy_rejected")
remote("deferred", "ceo@corp.example", *MC, "4.0.0", "451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451", "temporary_failure")
remote("bounced", "ceo@corp.example", *MC, "5.0.0", "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554 [AbCdEfGhIj.us456]", "policy_rejected", cmd="end of DATA")
refused("bounced", "it@corp.example", *PP, "5.7.0", "554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.10", "ip_blocked")
refused("bounced", "it@corp.example", *BAR, "5.0.0", "554 Service unavailable; Client host [192.0.2.10] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.10", "ip_blocked")
other("postfix/qmgr", "9F1E2123AB: removed")

# ---------------------------------------------------------------- generic remote
start("smtp_generic.log")
remote("bounced", "anyone@example.com", "example.com", "203.0.113.1", "5.1.1", "550 5.1.1 User unknown", "bad_address")
remote("bounced", "to@example.com", "example.com", "203.0.113.1", "5.0.0", "511 sorry, no mailbox here by that name (#5.1.1 - chkuser)", "bad_address")
remote("bounced", "to@example.com", "example.com", "203.0.113.1", "5.0.0", "550 <to@example.com>, Recipient unknown", "bad_address")
remote("bounced", "to@example.com", "example.com", "203.0.113.1", "5.0.0", "550-\"The recipient cannot be verified.  Please check all recipients of this 550 message to verify they are valid.\"", "bad_address")
remote("bounced", "to@example.com", "example.com", "203.0.113.1", "5.1.1", "550 5.1.1 <to@example.com> User unknown; rejecting", "bad_address")
remote("bounced", "sysadmin@example.com", "spool.mail.example.net", "203.0.113.9", "5.1.8", "550 5.1.8 <root@host1.example.org>: Sender address rejected: Domain not found", "sender_rejected")
remote("bounced", "root@localhost.lab.example", "localhost.lab.example", "203.0.113.57", "5.7.1", "550 5.7.1 <root@localhost.lab.example>... Relaying denied", "relay_denied")
remote("bounced", "user@example.com", *GEN, "5.0.0", "550 unrouteable mail domain example.com", "bad_domain")
remote("bounced", "gone@example.net", *GEN, "5.1.1", "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown in virtual alias table", "bad_address")
remote("bounced", "gone@example.net", *GEN, "5.1.1", "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown in local recipient table", "bad_address")
remote("bounced", "gone@example.net", *GEN, "5.1.1", "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown in virtual mailbox table", "bad_address")
remote("deferred", "to@sample.example", "sample.example", "203.0.113.3", "4.7.1", "450 4.7.1 <to@sample.example>: Recipient address rejected: Greylisted", "greylisted")
remote("deferred", "to@example.com", "example.com", "203.0.113.1", "4.0.0", "450 <to@example.com>: User unknown in local recipient table", "bad_address")
remote("deferred", "to@example.com", "example.com", "203.0.113.1", "4.0.0", "450 <to@example.com>: Recipient address rejected: undeliverable address: User unknown in virtual alias table", "bad_address")
remote("deferred", "bob@example.org", *GEN2, "4.2.0", "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html", "greylisted")
remote("deferred", "bob@example.org", *GEN2, "4.7.1", "451 4.7.1 Greylisting in action, please come back in 00:05:00", "greylisted")
remote("deferred", "bob@example.org", *GEN2, "4.7.1", "451-4.7.1 Greylisted, please try again in 180 seconds", "greylisted")
remote("deferred", "bob@example.org", *GEN2, "4.7.1", "450 4.7.1 <bob@example.org>: Recipient address rejected: Greylisted for 300 seconds (see http://isg.ee.ethz.ch/tools/postgrey/help/example.org.html)", "greylisted")
remote("deferred", "bob@example.org", *GEN2, "4.0.0", "451 Temporary local problem - please try later", "temporary_failure")
remote("deferred", "bob@example.org", *GEN2, "4.3.0", "451 4.3.0 Error: queue file write error", "temporary_failure", cmd="end of DATA")
remote("deferred", "bob@example.org", *GEN2, "4.3.1", "452 4.3.1 Insufficient system storage", "temporary_failure", cmd="MAIL FROM")
remote("deferred", "bob@example.org", *GEN2, "4.7.0", "421 4.7.0 mx.example.org Error: too many connections from 192.0.2.10", "rate_limited", cmd="MAIL FROM")
remote("deferred", "bob@example.org", *GEN2, "4.4.2", "421 4.4.2 mx.example.org Error: timeout exceeded", "network_error", cmd="end of DATA")
remote("deferred", "bob@example.org", *GEN2, "4.2.2", "452 4.2.2 <bob@example.org>: Mailbox full", "mailbox_full")
remote("bounced", "bob@example.org", *GEN2, "5.2.2", "552 5.2.2 <bob@example.org>: Recipient address rejected: Mailbox quota exceeded", "mailbox_full")
remote("bounced", "bob@example.org", *GEN2, "5.2.2", "550 5.2.2 <bob@example.org>... Mailbox full", "mailbox_full")
remote("bounced", "kunde@example.de", "mx.example.de", "203.0.113.30", "5.2.2", "552 5.2.2 Over STORAGE quota", "mailbox_full")
remote("bounced", "bob@example.org", *GEN2, "5.3.4", "552 5.3.4 Message size exceeds fixed limit", "message_too_large", cmd="MAIL FROM")
remote("bounced", "bob@example.org", *GEN2, "5.3.4", "552 5.3.4 Error: message file too big", "message_too_large", cmd="end of DATA")
remote("bounced", "bob@example.org", *CP, "5.0.0", "552 Message size exceeds maximum permitted", "message_too_large", cmd="MAIL FROM")
remote("bounced", "info@customer.example", *CP, "5.0.0", "550 No Such User Here", "bad_address")
remote("bounced", "info@customer.example", *CP, "5.0.0", "550-The mail server detected your message as spam and has prevented delivery.", "content_rejected", cmd="end of DATA")
remote("bounced", "info@customer.example", *CP, "5.0.0", "550 Domain example.com has exceeded the max emails per hour (250/200 (125%)) allowed.  Message discarded.", "rate_limited", cmd="end of DATA")
remote("bounced", "info@customer.example", *CP, "5.0.0", "550-Verification failed for <alice@example.com> 550-Unrouteable address 550 Sender verify failed", "sender_rejected")
remote("bounced", "info@customer.example", *CP, "5.0.0", "550 rejected because 192.0.2.10 is in a black list at zen.spamhaus.org", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "info@customer.example", *CP, "5.0.0", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "relay_denied")
remote("bounced", "info@customer.example", *CP, "5.0.0", "552 sorry, the user's maildir has overdrawn his diskspace quota, please try again later. (#5.2.2)", "mailbox_full", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.10", "ip_blocked")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.10", "ip_blocked")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using dnsbl-1.uceprotect.net; IP 192.0.2.10 is UCEPROTECT-Level1 listed. See http://www.uceprotect.net/rblcheck.php?ipr=192.0.2.10", "ip_blocked")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?192.0.2.10", "ip_blocked")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using b.barracudacentral.org; https://www.barracudacentral.org/rbl/removal-request", "ip_blocked")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Mail from 192.0.2.10 refused - see http://www.dnsbl.manitu.net/", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 <info@customer.example>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=alice@example.com;ip=192.0.2.10;r=<UNKNOWN>", "auth_failed")
remote("bounced", "info@customer.example", *GEN, "5.7.23", "550 5.7.23 The message was rejected because of Sender Policy Framework violation", "auth_failed", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Email rejected per DMARC policy for example.com", "auth_failed", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.20", "550 5.7.20 Message rejected: No passing DKIM signature found", "auth_failed", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "554 5.7.1 The message was rejected because it contains prohibited virus or spam content", "content_rejected", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Message rejected: attachment type not allowed (.exe)", "content_rejected", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "554 5.7.1 Message rejected: body contains a URL listed in multi.surbl.org", "content_rejected", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 High probability of spam", "content_rejected", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 <info@customer.example>: Recipient address rejected: Access denied", "policy_rejected")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Requested action not taken: message refused", "policy_rejected", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Administrative prohibition", "policy_rejected")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Rejected by local policy", "policy_rejected")
remote("bounced", "info@customer.example", *GEN, "5.2.1", "550 5.2.1 <info@customer.example>: Recipient address rejected: Account disabled", "mailbox_disabled")
remote("bounced", "info@customer.example", *GEN, "5.0.0", "550 <info@customer.example>: Recipient address rejected: Account Closed", "mailbox_disabled")
remote("bounced", "info@customer.example", *GEN, "5.2.1", "550 5.2.1 Mailbox suspended", "mailbox_disabled")
remote("bounced", "ghost@customer.example", *GEN, "5.1.6", "550 5.1.6 Recipient addresses changed and no longer valid", "bad_address")
remote("bounced", "ghost@customer.example", *GEN, "5.1.1", "550 5.1.1 <ghost@customer.example>: Recipient address rejected: User unknown in relay recipient table", "bad_address")
remote("bounced", "bob@customer.example", *GEN, "5.1.7", "553 5.1.7 The sender address <alice@example.com> is not a valid RFC-5321 address.", "sender_rejected", cmd="MAIL FROM")
remote("deferred", "bob@customer.example", *GEN, "4.1.8", "450 4.1.8 <alice@example.com>: Sender address rejected: Domain not found", "sender_rejected")
remote("bounced", "bob@customer.example", *GEN, "5.1.2", "550 5.1.2 <bob@customer.example>: Recipient address rejected: Domain not found", "bad_domain")
remote("deferred", "bob@customer.example", *GEN, "4.1.2", "450 4.1.2 <bob@customer.example>: Recipient address rejected: Domain not found", "bad_domain")
remote("bounced", "bob@customer.example", *GEN, "5.5.2", "504 5.5.2 <bob>: Recipient address rejected: need fully-qualified address", "bad_address")
remote("deferred", "bob@customer.example", *GEN, "4.3.5", "451 4.3.5 Server configuration error", "temporary_failure")
remote("deferred", "bob@customer.example", *GEN, "4.7.1", "451 4.7.1 Service unavailable - try again later", "temporary_failure", cmd="MAIL FROM")
refused("deferred", "bob@customer.example", *GEN, "4.0.0", "421 Too many concurrent SMTP connections; please try again later.", "rate_limited")
refused("deferred", "bob@customer.example", *GEN, "4.3.2", "421 4.3.2 Service not available", "temporary_failure")
refused("bounced", "bob@customer.example", *GEN, "5.7.1", "550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.10]", "ip_blocked")
remote("deferred", "bob@customer.example", *GEN, "4.7.1", "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.10]", "ip_blocked")
remote("deferred", "bob@customer.example", *GEN, "4.5.3", "452 4.5.3 Error: too many recipients", "rate_limited")
remote("deferred", "bob@customer.example", *GEN, "4.7.1", "450 4.7.1 <bob@customer.example>: Recipient address rejected: Rate limit exceeded for this sender, please retry later", "rate_limited")
remote("bounced", "bob@customer.example", "127.0.0.1", "127.0.0.1", "5.7.0", "554 5.7.0 Reject, id=12345-01 - INFECTED: Eicar-Test-Signature", "content_rejected", cmd="end of DATA")
remote("bounced", "bob@customer.example", "127.0.0.1", "127.0.0.1", "5.7.0", "554 5.7.0 Reject, id=12345-02 - spam", "content_rejected", cmd="end of DATA")
remote("bounced", "bob@customer.example", *GEN, "5.1.1", "550 5.1.1 <bob@customer.example>... User unknown", "bad_address")
remote("bounced", "bob@customer.example", *GEN, "5.0.0", "550-Mailbox unknown. Either there is no mailbox associated with this name or you do not have authorization to see it. 550 5.1.1 User unknown", "bad_address")
remote("bounced", "bob@customer.example", *GEN, "5.1.1", "550 5.1.1 User not listed in public Name & Address Book", "bad_address")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Message rejected due to poor reputation of sending IP 192.0.2.10", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "info@customer.example", *GEN, "5.4.6", "554 5.4.6 Too many hops", "bad_domain", cmd="end of DATA")
remote("bounced", "info@customer.example", *GEN, "5.7.1", "550 5.7.1 Service unavailable, Helo domain is listed in Spamhaus. To request removal from this list see https://www.spamhaus.org/query/lookup/ (S8001)", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "info@customer.example", *GEN, "5.3.0", "553 5.3.0 flpd575 DNSBL:ATTRBL 521< 192.0.2.10 >_is_blocked.For assistance forward this error to abuse_rbl@abuse-att.net", "ip_blocked", cmd="MAIL FROM")
remote("bounced", "info@customer.example", *GEN, "5.0.0", "550 Your message exceeds the size limit of 10485760 bytes", "message_too_large", cmd="end of DATA")
remote("deferred", "info@customer.example", *GEN, "4.2.2", "452 4.2.2 Quota exceeded (mailbox for user is full)", "mailbox_full")
deliver("undeliverable", "gone@example.net", f"{GEN[0]}[{GEN[1]}]:25", "5.1.1", said(*GEN, "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown in virtual mailbox table"), "bad_address")
other("postfix/smtp", "E52A1F1B52: host mail.example.net[203.0.113.25] said: 450 4.7.1 <bob@example.net>: Recipient address rejected: Greylisted (in reply to RCPT TO command)")

# ---------------------------------------------------------------- our own smtp client errors
start("smtp_client_errors.log")
N = "none"
deliver("bounced", "x@gmial.com", N, "5.4.4", "Host or domain name not found. Name service error for name=gmial.com type=A: Host not found", "bad_domain")
deliver("bounced", "user@unknown.example", N, "5.4.4", "Host or domain name not found. Name service error for name=unknown.example type=MX: Host not found", "bad_domain")
deliver("deferred", "to@example.com", N, "4.4.3", "Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again", "bad_domain")
deliver("bounced", "to@example.com", N, "5.4.4", "Host or domain name not found. Name service error for name=mx.example.com type=A: Host found but no data record of requested type", "bad_domain")
deliver("deferred", "to@example.com", N, "4.4.3", "delivery temporarily suspended: Host or domain name not found. Name service error for name=example.com type=MX: Host not found, try again", "bad_domain")
deliver("bounced", "info@nomail.example", N, "5.1.10", "Domain nomail.example does not accept mail (nullMX)", "bad_domain")
deliver("bounced", "user@example.com", N, "5.4.6", "mail for mail.example.com loops back to myself", "bad_domain")
deliver("deferred", "order@example.ru", N, "4.4.1", "connect to example.ru[203.0.113.19]:25: Connection timed out", "network_error")
deliver("deferred", "to@example.com", N, "4.4.1", "connect to mx1.example.com[203.0.113.1]:25: Connection refused", "network_error")
deliver("deferred", "to@example.com", N, "4.4.1", "delivery temporarily suspended: connect to example.com[203.0.113.1]:25: Connection refused", "network_error")
deliver("deferred", "to@example.com", N, "4.4.1", "connect to mail.example.com[2001:db8::25]:25: Network is unreachable", "network_error")
deliver("deferred", "to@example.com", N, "4.4.1", "connect to mail.example.com[203.0.113.2]:25: No route to host", "network_error")
deliver("deferred", "to@example.org", "example.org[203.0.113.5]:25", "4.4.2", "lost connection with mail.example.org[203.0.113.5] while sending MAIL FROM", "network_error")
deliver("deferred", "to@example.org", "example.org[203.0.113.5]:25", "4.4.2", "lost connection with mail.example.org[203.0.113.5] while receiving the initial server greeting", "network_error")
deliver("deferred", "to@example.org", "example.org[203.0.113.5]:25", "4.4.2", "lost connection with mail.example.org[203.0.113.5] while sending end of data -- message may be sent more than once", "network_error")
deliver("deferred", "to@sample.example", "sample.example[203.0.113.6]:25", "4.4.2", "conversation with sample.example[203.0.113.6] timed out while receiving the initial server greeting", "network_error")
deliver("deferred", "to@sample.example", "sample.example[203.0.113.6]:25", "4.4.2", "conversation with sample.example[203.0.113.6] timed out while sending message body", "network_error")
deliver("deferred", "to@secure.example", "mx.secure.example[203.0.113.7]:25", "4.7.4", "TLS is required, but was not offered by host mx.secure.example[203.0.113.7]", "network_error")
deliver("deferred", "to@secure.example", "mx.secure.example[203.0.113.7]:25", "4.7.5", "Cannot start TLS: handshake failure", "network_error")
deliver("deferred", "to@secure.example", "mx.secure.example[203.0.113.7]:25", "4.7.5", "Server certificate not trusted", "network_error")
deliver("deferred", "to@secure.example", "mx.secure.example[203.0.113.7]:25", "4.7.4", "TLS is required, but host mx.secure.example[203.0.113.7] refused to start TLS: 454 4.7.0 TLS not available due to local problem", "network_error")
deliver("deferred", "to@secure.example", N, "4.7.5", "delivery temporarily suspended: Server certificate not verified", "network_error")
deliver("bounced", "to@example.com", "mx.example.com[203.0.113.8]:25", "5.3.4", "message size 31457280 exceeds size limit 20480000 of server mx.example.com[203.0.113.8]", "message_too_large")
deliver("deferred", "to@localhost", N, "4.3.0", "delivery temporarily suspended: transport is unavailable", "temporary_failure", orig_to="toalias@localhost")
deliver("deferred", "to@example.com", N, "4.3.0", "unknown mail transport error", "temporary_failure")
deliver("deferred", "to@example.com", N, "4.3.0", "mail transport unavailable", "temporary_failure")
deliver("deferred", "to@example.com", N, "4.4.1", "delivery temporarily suspended: lost connection with mx.example.com[203.0.113.8] while sending RCPT TO", "network_error")
deliver("deferred", "to@example.com", N, "4.4.2", "delivery temporarily suspended: conversation with mx.example.com[203.0.113.8] timed out while receiving the initial server greeting", "network_error")
deliver("deferred", "to@example.com", N, "4.4.1", "delivery temporarily suspended: TLS is required, but was not offered by host mx.example.com[203.0.113.8]", "network_error")
deliver("bounced", "user@example.com", "smtp.example.net[203.0.113.8]:587", "5.1.0", said("smtp.example.net", "203.0.113.8", "550 5.1.0 Authentication required", "MAIL FROM"), "relay_denied")
other("postfix/smtp", "warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:../ssl/statem/statem_clnt.c:1889:")
other("postfix/smtp", "connect to mx1.example.com[203.0.113.1]:25: Connection refused")
other("postfix/smtp", "EB7D4341F0: lost connection with sample.example[203.0.113.9] while sending MAIL FROM")
other("postfix/smtp", "C20574341F: conversation with sample.example[203.0.113.9] timed out while receiving the initial SMTP greeting")

# ---------------------------------------------------------------- local delivery agents
start("delivery_agents.log")
deliver("bounced", "to@sample.example", "local", "5.1.1", 'unknown user: "to"', "bad_address", tag="postfix/local", orig_to="alias@sample.example")
deliver("bounced", "bob@example.org", "local", "5.2.2", "cannot update mailbox /var/mail/bob for user bob. error writing message: File too large", "mailbox_full", tag="postfix/local")
deliver("deferred", "bob@example.org", "local", "4.2.2", 'temporary failure. Command output: procmail: Quota exceeded while writing "/var/mail/bob"', "mailbox_full", tag="postfix/local")
deliver("bounced", "bob@example.org", "local", "5.4.6", "mail forwarding loop for bob@example.org", "bad_domain", tag="postfix/local")
deliver("deferred", "bob@example.org", "local", "4.3.0", "temporary failure", "temporary_failure", tag="postfix/local")
deliver("bounced", "u@example.com", "virtual", "5.1.1", 'unknown user: "u@example.com"', "bad_address", tag="postfix/virtual")
deliver("deferred", "u@example.com", "virtual", "4.2.2", "maildir delivery failed: create maildir file /var/vmail/example.com/u/tmp/1709460901.P1234.mx1: Disk quota exceeded", "mailbox_full", tag="postfix/virtual")
deliver("bounced", "u@example.com", "virtual", "5.2.2", "maildir delivery failed: Sorry, the user's maildir has overdrawn his diskspace quota, please try again later.", "mailbox_full", tag="postfix/virtual")
deliver("bounced", "to@example.com", N, "5.1.1", "User unknown in virtual alias table", "bad_address", tag="postfix/error", orig_to="postmaster")
deliver("bounced", "to@example.com", "sample.example[203.0.113.1]", "5.1.1", "User unknown in relay recipient table", "bad_address", tag="postfix/error")
deliver("deferred", "to@example.com", N, "4.4.1", "delivery temporarily suspended: connect to mx.example.com[203.0.113.8]:25: Connection timed out", "network_error", tag="postfix/error")
deliver("deferred", "to@example.com", N, "4.4.2", "delivery temporarily suspended: lost connection with mx.example.com[203.0.113.8] while receiving the initial server greeting", "network_error", tag="postfix/retry")
deliver("bounced", "info@nomail.example", N, "5.1.10", "Domain nomail.example does not accept mail (nullMX)", "bad_domain", tag="postfix/error")
deliver("bounced", "bob@example.org", "mail.example.org[private/dovecot-lmtp]", "5.1.1", "host mail.example.org[private/dovecot-lmtp] said: 550 5.1.1 <bob@example.org> User doesn't exist: bob@example.org (in reply to RCPT TO command)", "bad_address", tag="postfix/lmtp")
deliver("deferred", "bob@example.org", "mail.example.org[private/dovecot-lmtp]", "4.2.2", "host mail.example.org[private/dovecot-lmtp] said: 452 4.2.2 <bob@example.org> Quota exceeded (mailbox for user is full) (in reply to end of DATA command)", "mailbox_full", tag="postfix/lmtp")
deliver("bounced", "bob@example.org", "mail.example.org[private/dovecot-lmtp]", "5.2.2", "host mail.example.org[private/dovecot-lmtp] said: 552 5.2.2 <bob@example.org> Quota exceeded (mailbox for user is full) (in reply to end of DATA command)", "mailbox_full", tag="postfix/lmtp")
deliver("deferred", "bob@example.org", "mail.example.org[private/dovecot-lmtp]", "4.4.1", "connect to mail.example.org[private/dovecot-lmtp]: Connection refused", "network_error", tag="postfix/lmtp")
deliver("deferred", "bob@example.org", "imap.example.org[192.0.2.60]:24", "4.3.0", "host imap.example.org[192.0.2.60] said: 451 4.3.0 <bob@example.org> Temporary internal failure (in reply to end of DATA command)", "temporary_failure", tag="postfix/lmtp")
deliver("bounced", "bob@example.org", "cyrus.example.org[192.0.2.61]:2003", "5.2.2", "host cyrus.example.org[192.0.2.61] said: 552 5.2.2 Over quota (in reply to RCPT TO command)", "mailbox_full", tag="postfix/lmtp")
deliver("bounced", "tom@example.com", "dovecot", "5.1.1", "user unknown. Command output: Invalid user specified.", "bad_address", tag="postfix/pipe")
deliver("deferred", "tom@example.com", "dovecot", "4.2.2", "temporary failure. Command output: lda(tom@example.com): Error: mail-storage: Quota exceeded (mailbox for user is full)", "mailbox_full", tag="postfix/pipe")
deliver("bounced", "tom@example.com", "dovecot", "5.2.2", "permission denied. Command output: Quota exceeded (mailbox for user is full)", "mailbox_full", tag="postfix/pipe")
deliver("deferred", "tom@example.com", "dovecot", "4.3.0", "temporary failure. Command output: lda(tom@example.com): Error: Internal error occurred. Refer to server log for more information.", "temporary_failure", tag="postfix/pipe")
deliver("deferred", "tom@example.com", "spamassassin", "4.3.0", "temporary failure. Command output: spamc: connect to spamd on 127.0.0.1 failed, retrying (#1 of 3): Connection refused", "network_error", tag="postfix/pipe")
deliver("bounced", "tom@example.com", "mailman", "5.3.4", "Message exceeds maximum message size", "message_too_large", tag="postfix/pipe")
other("postfix/pipe", "0F5383D: to=<tom@example.com>, relay=dovecot, delay=4.3, delays=4.1/0.01/0/0.15, dsn=2.0.0, status=sent (delivered via dovecot service)")
other("postfix/local", "F031C832: to=<root@example.com>, orig_to=<root>, relay=local, delay=0.17, delays=0.13/0.01/0/0.03, dsn=2.0.0, status=sent (delivered to mailbox)")
other("postfix/virtual", "ED862C2EA6: to=<u@example.com>, relay=virtual, delay=0.09, delays=0.03/0/0/0.06, dsn=2.0.0, status=deliverable (delivers to maildir)")

# ---------------------------------------------------------------- smtpd rejects
start("smtpd_rejects.log")
C = "unknown[203.0.113.9]"
reject("postfix/smtpd", "RCPT", "1-2-3-4-example.com[203.0.113.4]", "554 5.7.1 <smtp@example.com>: Relay access denied", "john@example.com", "smtp@example.org", "relay_denied", helo="198.51.100.17")
reject("postfix/smtpd", "RCPT", "foo[203.0.113.65]", "554 5.7.1 <bad.example>: Helo command rejected: match bad.example", "foo@good.example", "foo@example.org", "policy_rejected", helo="bad.example")
reject("postfix/smtpd", "RCPT", "foo[203.0.113.43]", "554 5.7.1 <foo@bad.example>: Sender address rejected: match bad.example", "foo@bad.example", "foo@example.org", "sender_rejected")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.10]", "450 4.7.1 <example.com>: Helo command rejected: Host not found", "", "postmaster@example.org", "policy_rejected", helo="example.com")
reject("postfix/smtpd", "RCPT", "badserver.example.com[203.0.113.34]", "450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.34]", "badactor@example.com", "goodguy@example.org", "ip_blocked", helo="badserver.example.com")
reject("postfix/smtpd", "RCPT", "1-2-3-4.example.com[203.0.113.44]", "450 4.1.8 <some@nonexistent.example>: Sender address rejected: Domain not found", "some@nonexistent.example", "goodguy@example.org", "sender_rejected")
reject("postfix/smtpd", "RCPT", "061238241086.static.example.net[203.0.113.86]", "550 5.1.1 <toernooi@example.org>: Recipient address rejected: User unknown in virtual mailbox table", "bulk5@example.net", "toernooi@example.org", "bad_address", helo="ecsolved.example")
reject("postfix/smtpd", "RCPT", "sample.example[203.0.113.1]", "550 5.1.1 <to@example.org>: Recipient address rejected: User unknown in local recipient table", "", "to@example.org", "bad_address")
reject("postfix/smtpd", "RCPT", "example.com[2001:db8::1]", "450 4.2.0 <to@example.net>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.net.html", "from@example.com", "to@example.net", "greylisted")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "454 4.7.1 <to@example.org>: Recipient address rejected: Access denied", "from@example.com", "to@example.org", "policy_rejected")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "554 <to@example.net>: Recipient address rejected: Please see http://www.openspf.org/why.html?sender=from%40example.net&ip=203.0.113.1&receiver=mx.example.net", "from@example.net", "to@example.net", "auth_failed")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "550 5.1.1 <unknown@example.net>: Recipient address rejected: undeliverable address: host mail.example.net[192.0.2.1] said: 550 5.1.1 <unknown@example.net>: User unknown in virtual alias table (in reply to RCPT TO command)", "from@example.com", "unknown@example.net", "bad_address")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "550 5.1.0 <unknown@example.net>: Sender address rejected: undeliverable address: host mail.example.net[192.0.2.1] said: 550 5.1.1 <unknown@example.net>: User unknown in virtual alias table (in reply to RCPT TO command)", "unknown@example.net", "user@example.org", "sender_rejected")
reject("postfix/smtpd", "RCPT", "sample.example[203.0.113.1]", "554 5.7.1 <sample.example[203.0.113.1]>: Client host rejected: Access denied", "from@sample.example", "to@example.org", "ip_blocked", helo="friend")
reject("postfix/smtpd", "RCPT", "unknown[203.0.113.99]", "550 5.7.1 Client host rejected: cannot find your reverse hostname, [203.0.113.99]", "from@example.com", "to@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", "unknown[203.0.113.99]", "450 4.7.25 Client host rejected: cannot find your hostname, [203.0.113.99]", "from@example.com", "to@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", C, "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9", "spam@bulk.example", "staff@example.org", "ip_blocked", helo="bulk.example")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "554 5.7.1 Service unavailable; Client host [203.0.113.1] blocked using sbl-xbl.spamhaus.org; http://www.spamhaus.org/query/bl?ip=203.0.113.1", "from@example.com", "to@example.org", "ip_blocked", helo="friend")
reject("postfix/smtpd", "RCPT", C, "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.9", "a@spam.example", "b@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", C, "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using b.barracudacentral.org; https://www.barracudacentral.org/rbl/removal-request", "a@spam.example", "b@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", C, "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?203.0.113.9", "a@spam.example", "b@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", C, "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using dnsbl-1.uceprotect.net; IP 203.0.113.9 is UCEPROTECT-Level1 listed. See http://www.uceprotect.net/rblcheck.php?ipr=203.0.113.9", "a@spam.example", "b@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", C, "554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using ix.dnsbl.manitu.net; Your e-mail service was detected by mx.example.org (NiX Spam) as spamming at Sun, 03 Mar 2024 10:15:01 +0100. Your admin should visit http://www.dnsbl.manitu.net/lookup.php?value=203.0.113.9", "a@spam.example", "b@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", C, "554 5.7.1 Service unavailable; Sender address [a@spam.example] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/spam.example", "a@spam.example", "b@example.org", "ip_blocked")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "452 4.3.1 Insufficient system storage", "from@example.com", "to@example.org", "temporary_failure")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "451 4.3.5 Server configuration error", "from@example.com", "user@example.org", "temporary_failure")
reject("postfix/smtpd", "MAIL", "localhost[127.0.0.2]", "552 5.3.4 Message size exceeds fixed limit", None, None, "message_too_large", helo="localhost")
reject("postfix/smtpd", "MAIL", "example.com[203.0.113.2]", "452 4.3.4 Message size exceeds fixed limit", None, None, "message_too_large")
reject("postfix/smtpd", "RCPT", "s271272.static.example.ru[203.0.113.238]", "504 5.5.2 <User>: Helo command rejected: need fully-qualified hostname", "x@example.ru", "y@example.org", "policy_rejected", helo="User")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "504 5.5.2 <bob>: Recipient address rejected: need fully-qualified address", "from@example.com", "bob", "bad_address")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "504 5.5.2 <alice>: Sender address rejected: need fully-qualified address", "alice", "bob@example.org", "sender_rejected")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "450 4.1.2 <to@nowhere.example>: Recipient address rejected: Domain not found", "from@example.com", "to@nowhere.example", "bad_domain")
reject("postfix/smtpd", "RCPT", "example.com[203.0.113.1]", "452 4.5.3 Error: too many recipients", "from@example.com", "to@example.org", "rate_limited")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "550 5.7.23 <to@example.org>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see https://www.kitterman.com/spf/validate.html?ip=203.0.113.1;id=from@example.com;h=mail.example.com;r=mx.example.org", "from@example.com", "to@example.org", "auth_failed")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "450 4.7.1 <to@example.org>: Recipient address rejected: Rate limit exceeded: max 100 msgs per hour", "from@example.com", "to@example.org", "rate_limited")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "450 4.7.1 <from@example.com>: Sender address rejected: Policy rejection; Message count quota exceeded", "from@example.com", "to@example.org", "rate_limited")
reject("postfix/smtpd", "CONNECT", "unknown[203.0.113.1]", "503 5.5.0 <unknown[203.0.113.1]>: Client host rejected: Improper use of SMTP command pipelining", None, None, "policy_rejected")
reject("postfix/smtpd", "VRFY", "example.com[203.0.113.1]", "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table", "", "nobody@example.org", "bad_address")
reject("postfix/submission/smtpd", "RCPT", "laptop.example.org[198.51.100.7]", "553 5.7.1 <ceo@example.org>: Sender address rejected: not logged in", "ceo@example.org", "x@example.net", "sender_rejected", helo="laptop")
reject("postfix/submission/smtpd", "RCPT", "laptop.example.org[198.51.100.7]", "553 5.7.1 <ceo@example.org>: Sender address rejected: not owned by user alice@example.org", "ceo@example.org", "x@example.net", "sender_rejected", helo="laptop")
reject("postfix/smtps/smtpd", "RCPT", "laptop.example.org[198.51.100.7]", "554 5.7.1 <x@example.net>: Relay access denied", "alice@example.org", "x@example.net", "relay_denied", helo="laptop")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "550 5.7.1 <to@example.org>: Recipient address rejected: Mailbox is full", "from@example.com", "to@example.org", "mailbox_full", qid_="4Xt2Lq0Bz5z9vXY")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "550 5.2.1 <to@example.org>: Recipient address rejected: Account disabled", "from@example.com", "to@example.org", "mailbox_disabled", qid_="DA080C2E0B")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "451 4.3.0 <to@example.org>: Temporary lookup failure", "from@example.com", "to@example.org", "temporary_failure")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "450 4.1.1 <to@example.org>: Recipient address rejected: unverified address: host mx.example.org[192.0.2.3] said: 550 5.1.1 <to@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)", "from@example.com", "to@example.org", "bad_address")
reject("postfix/smtpd", "RCPT", "mail.example.com[203.0.113.1]", "550 5.7.1 <to@example.org>: Recipient address rejected: Message rejected due to: Receiver policy for SPF Softfail. Please see http://www.openspf.net/Why?s=mfrom;id=from@example.com;ip=203.0.113.1;r=<UNKNOWN>", "from@example.com", "to@example.org", "auth_failed")
other("postfix/smtpd", "NOQUEUE: reject_warning: RCPT from sample.example[203.0.113.1]: 550 <to@example.com>: Recipient address rejected: User unknown in local recipient table; from=<> to=<to@example.com> proto=SMTP helo=<sample.example>")
other("postfix/smtpd", "NOQUEUE: filter: RCPT from example.com[192.0.2.1]: <to@example.com>: Recipient address triggers FILTER smtp-amavis:[127.0.0.1]:10024; from=<from@sample.example> to=<to@example.com> proto=SMTP helo=<sample.example>")
other("postfix/smtpd", "NOQUEUE: discard: RCPT from sample.example[192.0.2.1]: <sender@example.com>: Sender address - test; from=<sender@example.com> to=<to@sample.example> proto=ESMTP helo=<example.com>")
other("postfix/smtpd", "connect from 061238241086.static.example.net[203.0.113.86]")
other("postfix/smtpd", "lost connection after STARTTLS from unknown[203.0.113.7]")
other("postfix/smtpd", "warning: hostname example.com does not resolve to address 203.0.113.32")
other("postfix/smtpd", "warning: unknown[203.0.113.50]: SASL LOGIN authentication failed: UGFzc3dvcmQ6")
other("postfix/smtpd", "4104E3D: client=061238241086.static.example.net[203.0.113.86]")
other("postfix/smtpd", "disconnect from unknown[203.0.113.9] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")

# ---------------------------------------------------------------- postscreen, cleanup, milters
start("postscreen_cleanup_milter.log")
reject("postfix/postscreen", "RCPT", "[203.0.113.9]:41234", "550 5.7.1 Service unavailable; client [203.0.113.9] blocked using zen.spamhaus.org", "a@spam.example", "u@example.org", "ip_blocked", commas=True, helo="x")
reject("postfix/postscreen", "RCPT", "[203.0.113.9]:41235", "550 5.7.1 Service unavailable; client [203.0.113.9] blocked using b.barracudacentral.org", "a@spam.example", "u@example.org", "ip_blocked", commas=True, helo="x")
reject("postfix/postscreen", "RCPT", "[2001:db8::9]:50000", "450 4.3.2 Service currently unavailable", "a@spam.example", "u@example.org", "temporary_failure", commas=True, helo="x")
reject("postfix/postscreen", "RCPT", "[203.0.113.11]:1038", "550 5.5.1 Protocol error", "a@spam.example", "u@example.org", "policy_rejected", commas=True, helo="x")
i, h = hdr("postfix/postscreen"); raw(f"{h}: NOQUEUE: reject: CONNECT from [203.0.113.12]:1337: too many connections", "rejected", "rate_limited")
i, h = hdr("postfix/postscreen"); raw(f"{h}: NOQUEUE: reject: CONNECT from [203.0.113.13]:1337: all server ports busy", "rejected", "temporary_failure")
def cleanup(q, kind, what, client, frm, to, text, cause, host="mx1"):
    i, h = hdr("postfix/cleanup", host)
    raw(f"{h}: {q}: reject: {kind} {what} from {client}; from=<{frm}> to=<{to}> proto=ESMTP helo=<{client.split('[')[0]}>: {text}", "rejected", cause)
def milter(q, stage, client, text, frm, to, cause, tag="postfix/cleanup"):
    i, h = hdr(tag)
    env = f"from=<{frm}> to=<{to}> proto=ESMTP helo=<{client.split('[')[0]}>" if frm is not None else "proto=SMTP"
    raw(f"{h}: {q}: milter-reject: {stage} from {client}: {text}; {env}", "rejected", cause)
cleanup("9804DB31C2", "header", "To: <user@example.com>", "sample.example[192.0.2.1]", "bogus@anywhere.example", "user@example.com", "5.7.1 Header rejected: forged recipient", "content_rejected")
cleanup("831C2C2E0D", "body", "Quality Replica watches!!!", "example.com[192.0.2.1]", "user@example.com", "recip@sample.example", "5.7.1 Spam: Watches", "content_rejected")
cleanup("4Zk9Rk1Nxfz1xnc", "header", "Subject: You have won a prize", "mail.bulk.example[203.0.113.70]", "win@bulk.example", "u@example.org", "5.7.1 Message content rejected", "content_rejected")
cleanup("3WbsXP0Vfmz9sWN", "header", "Content-Type: application/x-msdownload; name=\"invoice.exe\"", "mail.bulk.example[203.0.113.70]", "win@bulk.example", "u@example.org", "5.7.1 Attachment type not allowed: .exe", "content_rejected")
cleanup("7EE668039", "body", "Click here http://bad.example/x", "mail.bulk.example[203.0.113.70]", "win@bulk.example", "u@example.org", "5.7.1 Message rejected: blacklisted URL in body", "content_rejected")
milter("4104E3D", "END-OF-MESSAGE", "061238241086.static.example.net[203.0.113.86]", "5.7.1 Blocked by SpamAssassin", "bulk5@example.net", "voorzitter@example.org", "content_rejected")
milter("4TqJ5m2RbXz6wPk", "END-OF-MESSAGE", "mail.bulk.example[203.0.113.70]", "5.7.1 Spam message rejected", "win@bulk.example", "u@example.org", "content_rejected")
milter("C569C12A", "END-OF-MESSAGE", "sample.example[203.0.113.1]", "5.7.1 black listed URL host sample.example by .black.uribl.com", "from@sample.example", "to@example.org", "content_rejected")
milter("4Yv1Hc3Mdnz2kLs", "END-OF-MESSAGE", "mail.example.com[203.0.113.1]", "5.7.1 rejected by DMARC policy for example.com", "ceo@example.com", "u@example.org", "auth_failed")
milter("E669DE52", "END-OF-MESSAGE", "mail.example.com[203.0.113.1]", "5.7.1 Virus found: Win.Test.EICAR_HDB-1", "ceo@example.com", "u@example.org", "content_rejected")
milter("4RgN0p6QwKz8tBv", "END-OF-MESSAGE", "mail.example.com[203.0.113.1]", "4.7.1 Try again later", "x@example.com", "u@example.org", "temporary_failure")
milter("NOQUEUE", "MAIL", "example.com[192.0.2.1]", "553 5.1.7 address incomplete", None, None, "sender_rejected", tag="postfix/smtpd")
milter("NOQUEUE", "CONNECT", "sample.example[203.0.113.1]", "451 4.7.1 Service unavailable - try again later", None, None, "temporary_failure", tag="postfix/smtpd")
milter("NOQUEUE", "RCPT", "mail.example.com[203.0.113.1]", "451 4.7.1 Greylisting in action, please come back later", "x@example.com", "u@example.org", "greylisted", tag="postfix/smtpd")
milter("4PmD7s9TyCz3hJx", "END-OF-MESSAGE", "mail.example.com[203.0.113.1]", "5.7.1 Message size exceeds the limit", "x@example.com", "u@example.org", "message_too_large")
milter("B1B8945620", "END-OF-MESSAGE", "mail.example.com[203.0.113.1]", "5.7.1 DKIM signature verification failed", "x@example.com", "u@example.org", "auth_failed")
other("postfix/postscreen", "CONNECT from [203.0.113.86]:53024 to [192.0.2.44]:25")
other("postfix/postscreen", "PASS NEW [2001:db8::23a]:36051")
other("postfix/postscreen", "DNSBL rank 3 for [203.0.113.149]:1038")
other("postfix/postscreen", "HANGUP after 63 from [203.0.113.149]:1038 in tests after SMTP handshake")
other("postfix/postscreen", "PREGREET 6 after 1.2 from [203.0.113.72]:43421: RSET\\r\\n")
other("postfix/dnsblog", "addr 203.0.113.149 listed by domain zen.spamhaus.org as 127.0.0.4")
other("postfix/cleanup", "4104E3D: milter-header-redirect: header X-Spam-Status: Yes, score=39.3 required=5.0 tests=ADVANCE_FE from 061238241086.static.example.net[203.0.113.86]; from=<bulk5@example.net> to=<voorzitter@example.org> proto=ESMTP helo=<ecsolved.example>: tom@example.org")
other("postfix/cleanup", "4104E3D: warning: header Subject: Hello from sample.example[192.0.2.1]; from=<a@sample.example> to=<b@example.org> proto=ESMTP helo=<sample.example>")
other("postfix/cleanup", "E9E0CC2E22: hold: header Message-ID: <user@example.com> from localhost[127.0.0.1]; from=<test@sample.example> to=<user@example.com> proto=ESMTP helo=<sample.example>: Log message here")
other("postfix/cleanup", "0F5383D: message-id=<544D2523.30609@example.net>")

# ---------------------------------------------------------------- expired + qmgr
start("qmgr_expired.log")
other("postfix/qmgr", "C93CEB08A0: from=<ina@example.com>, size=617940, nrcpt=1 (queue active)")
deliver("deferred", "order@example.ru", N, "4.4.1", "connect to example.ru[203.0.113.73]:25: Connection timed out", "network_error")
for sender, q in [("ina@example.com", "C93CEB08A0"), ("", "9C169364A0"), ("sender7@example.org", "4Xt2Lq0Bz5z9vXY"), ("foo@example.com", "A323688C52"), ("bounces+list=example.net@example.com", "3WbsXP0Vfmz9sWN")]:
    i, h = hdr("postfix/qmgr")
    raw(f"{h}: {q}: from=<{sender}>, status=expired, returned to sender", "expired", "expired")
deliver("expired", "d76@example.test", N, "4.4.1", "connect to mx.example.test[203.0.113.76]:25: Connection timed out", "expired", tag="postfix/error")
other("postfix/bounce", "C93CEB08A0: sender non-delivery notification: B1B8945620")
other("postfix/qmgr", "C93CEB08A0: removed")
other("postfix/bounce", "8DB93C2FF2: sender delay notification: AA61EC2F9A")
other("postfix/qmgr", "1DFE2C2E18: from=<anyone@example.com>, size=25302, nrcpt=2 (queue active)")
other("postfix/pickup", "1DFE2C2E18: uid=0 from=<root>")
other("postfix/postsuper", "Placed on hold: 2 messages")
other("postfix/master", "daemon started -- version 3.8.6, configuration /etc/postfix")
other("postfix/anvil", "statistics: max connection rate 1/60s for (smtp:203.0.113.9) at Mar  3 10:15:01")

# ---------------------------------------------------------------- noise: must never yield a failure
start("noise.log")
other("postfix/smtp", "7EE668039: to=<admin@example.com>, relay=127.0.0.1[127.0.0.1]:2525, delay=3.6, delays=0.2/0.02/0.04/3.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 153053D)")
other("postfix/smtp", "0D9633D: to=<jos@example.com>, orig_to=<bestuur@example.com>, relay=mail1.example.net[203.0.113.11]:25, delay=11, delays=5.4/0.06/5.1/0.03, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as F12DF84004)")
other("postfix-192.0.2.10/smtp", "4Xt2Lq0Bz5z9vXY: to=<carol@gmail.com>, relay=gmail-smtp-in.l.google.com[198.51.100.26]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK  1709460901 a1si123qkb.200 - gsmtp)")
other("postfix/smtp", "Untrusted TLS connection established to mx4.hotmail.com[198.51.100.136]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-SHA384 (256/256 bits)")
other("postfix/smtp", "Verified TLS connection established to mx.example.org[203.0.113.26]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256")
other("postfix/smtp", "warning: no MX host for example.net has a valid address record")
other("postfix/smtp", "3A4B5C6D7E: host mx.example.org[203.0.113.26] said: 421 4.7.0 Try again later (in reply to end of DATA command)")
other("postfix/smtp", "3A4B5C6D7E: enabling PIX workarounds: disable_esmtp delay_dotcrlf for spam.example.org[203.0.113.1]:25")
other("postfix/submission/smtpd", "9F1E2123AB: client=laptop.example.org[198.51.100.7], sasl_method=PLAIN, sasl_username=alice@example.org")
other("postfix/smtpd", "150B9837E4: client=example.com[192.0.2.1], sasl_method=LOGIN, sasl_username=user@example.com, sasl_sender=<id352ib@sample.example>")
other("postfix/smtpd", "timeout after RSET from example.com[192.0.2.1]")
other("postfix/smtpd", "improper command pipelining after DATA from unknown[203.0.113.88]:")
other("postfix/smtpd", "too many errors after AUTH from unknown[203.0.113.50]")
other("postfix/smtpd", "warning: Connection concurrency limit exceeded: 51 from example.com[192.0.2.1] for service smtp")
other("postfix/qmgr", "4Zk9Rk1Nxfz1xnc: from=<alice@example.com>, size=1234, nrcpt=2 (queue active)")
other("postfix/qmgr", "4Zk9Rk1Nxfz1xnc: removed")
other("postfix/trivial-rewrite", "warning: do not list domain example.org in BOTH mydestination and virtual_mailbox_domains")
other("postfix/postfix-script", "starting the Postfix mail system")
other("postfix/smtp", "warning: mailer loop: best MX host for example.com is local")
other("postfix/tlsmgr", "warning: request to update table btree:/var/lib/postfix/smtpd_scache in non-postfix directory /var/lib/postfix")
raw("Mar  3 10:15:07 mx1 dovecot: imap-login: Login: user=<alice>, method=PLAIN, rip=198.51.100.7, lip=192.0.2.10, mpid=123, TLS")
raw("Mar  3 10:15:08 mx1 opendkim[812]: 9F1E2123AB: DKIM-Signature field added (s=mail, d=example.com)")
raw("Mar  3 10:15:09 mx1 amavis[1234]: (01234-05) Passed CLEAN {RelayedInbound}, [203.0.113.1]:4567 <a@example.com> -> <b@example.org>, Queue-ID: 9F1E2123AB")
raw("this line is not a log line at all")
raw("")

# ---------------------------------------------------------------- journald short-iso and other stamp variants
start("stamp_variants.log")
raw("2024-03-03T10:15:01+00:00 mx1 postfix/smtp[2001]: 4Xt2Lq0Bz5z9vXY: to=<ghost@example.net>, relay=mail.example.net[203.0.113.25]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=5.1.1, status=bounced (host mail.example.net[203.0.113.25] said: 550 5.1.1 <ghost@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))", "bounced", "bad_address")
raw("2024-03-03T10:15:02.000Z mx1 postfix/smtp[2002]: 9F1E2123AB: to=<to@example.com>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.com[203.0.113.8]:25: Connection timed out)", "deferred", "network_error")
raw("2024-03-03T10:15:03+0100 mx1 postfix/smtp[2003]: 3A4B5C6D7E: to=<full@example.org>, relay=mx.example.org[203.0.113.26]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=5.2.2, status=bounced (host mx.example.org[203.0.113.26] said: 552 5.2.2 Mailbox full (in reply to end of DATA command))", "bounced", "mailbox_full")
raw("Dec 31 23:59:59 mx1 postfix/smtp[2004]: 4Zk9Rk1Nxfz1xnc: to=<a@example.net>, relay=none, delay=0.1, delays=0/0/0.1/0, dsn=4.4.1, status=deferred (connect to example.net[203.0.113.30]:25: Connection refused)", "deferred", "network_error")
raw("Jan  1 00:00:01 mx1 postfix/smtp[2005]: 4Zk9Rk1Nxfz1xnc: to=<a@example.net>, relay=none, delay=2, delays=0/0/2/0, dsn=4.4.1, status=deferred (connect to example.net[203.0.113.30]:25: Connection refused)", "deferred", "network_error")
raw("Mar  3 10:15:04 mail.example.org postfix/smtp[2006]: 3A4B5C6D7E: to=<x@example.com>, relay=mx.example.com[203.0.113.8]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=5.7.1, status=bounced (host mx.example.com[203.0.113.8] said: 554 5.7.1 <x@example.com>: Relay access denied (in reply to RCPT TO command))\r", "bounced", "relay_denied")

tsv = ["# file\tline_no\toutcome\tcause   (generated; causes decided by hand from the remote text, see DESIGN.md)"]
total = 0
for name, rows in files.items():
    with open(os.path.join(OUT, name), "w", newline="") as f:
        for n, (line, oc, cause) in enumerate(rows, 1):
            f.write(line + "\n")
            if oc:
                tsv.append(f"{name}\t{n}\t{oc}\t{cause}")
                total += 1
with open(os.path.join(OUT, "expected.tsv"), "w") as f:
    f.write("\n".join(tsv) + "\n")
print("failure lines:", total, "files:", {k: len(v) for k, v in files.items()})
