#!/usr/bin/env python3
"""Loads synthetic history for one merchant straight into a local D1 (SQLite) file, consistent
with the ledger rules (balances = sum of entries = sum of active lots), then times the hourly
job's statements on it. Used by scripts/synth; not a test.

usage: synth.py load DB_FILE MERCHANT_ID MEMBERS EVENTS NOW_MS
       synth.py time DB_FILE SQL_DIR NOW_MS
       synth.py rollup DB_FILE SQL_DIR NOW_MS
"""
import json
import os
import random
import sqlite3
import sys
import time

DAY = 86_400_000


def load(db_file, merchant, members, events, now):
    started = time.perf_counter()
    rnd = random.Random(42)
    db = sqlite3.connect(db_file)
    db.execute("PRAGMA foreign_keys = OFF")
    version = db.execute(
        "SELECT MAX(version) FROM programs WHERE merchant_id = ?", (merchant,)).fetchone()[0]
    reward = "%032x" % rnd.getrandbits(128)
    db.execute(
        "INSERT INTO rewards (id, merchant_id, name, kind, cost_points, active, created_at, updated_at)"
        " VALUES (?, ?, 'Coffee', 'free_item', 100, 1, ?, ?)", (reward, merchant, now - 800 * DAY, now))
    per_member = events / members
    member_rows, scan_rows, entry_rows, lot_rows, red_rows, draw_rows = [], [], [], [], [], []
    channels = ["poster", "counter", "receipt", "social", "website", "referral"]
    written = 0
    for i in range(members):
        mid = "%032x" % rnd.getrandbits(128)
        created = now - rnd.randint(1, 730) * DAY - rnd.randint(0, DAY - 1)
        # Dormant (no activity in the last 90 days): drawn for 66 %, so that with the members who
        # joined in the last 90 days about 55-60 % end up dormant.
        dormant = rnd.random() < 0.66
        last_possible = now - 91 * DAY if dormant else now - rnd.randint(0, 89) * DAY
        if last_possible <= created:
            last_possible = created + DAY
        n = max(1, int(rnd.expovariate(1 / per_member)))
        times = sorted(rnd.randint(created, max(created + 1, last_possible)) for _ in range(n))
        if not dormant:
            times[-1] = max(times[-1], last_possible)
        lots = []  # [id, earned, remaining, earned_at, expires_at]
        points = stamps = 0
        for t in times:
            if written >= events:
                break
            r = rnd.random()
            sid = "%032x" % rnd.getrandbits(128)
            if r < 0.30:  # poster visit: a stamp
                scan_rows.append((sid, merchant, mid, "visit", sid[:24], 0, 1, rnd.choice(channels[:3]),
                                  None, 0, 1, version, t))
                entry_rows.append((sid, merchant, mid, "earn", 0, 0, 1, 0, "scan", sid, version, t))
                stamps += 1
                written += 1
            elif r < 0.90 or points < 100:  # a purchase: points = amount in major units
                amount = rnd.randint(800, 9000)
                pts = amount // 100
                scan_rows.append((sid, merchant, mid, "purchase", sid[:24], 0, 1, "counter",
                                  amount, pts, 1, version, t))
                entry_rows.append((sid, merchant, mid, "earn", pts, 0, 1, 0, "scan", sid, version, t))
                lots.append([sid, pts, pts, t, t + 365 * DAY])
                points += pts
                stamps += 1
                written += 1
            else:  # a redemption of 100 points, drawn soonest-expiring first, confirmed
                rid = "%032x" % rnd.getrandbits(128)
                need = 100
                entry = rid + ":reserve"
                live = sorted((l for l in lots if l[2] > 0 and l[4] > t), key=lambda l: l[4])
                if sum(l[2] for l in live) < need:  # not enough live points: no redemption
                    continue
                for lot in live:
                    take = min(need, lot[2])
                    lot[2] -= take
                    need -= take
                    draw_rows.append((entry, lot[0], take))
                    if need == 0:
                        break
                red_rows.append((rid, merchant, mid, reward, None, "confirmed", 100, 0, 0, t, t, t))
                entry_rows.append((entry, merchant, mid, "reserve", -100, 0, 0, 0, "redemption", rid, version, t))
                entry_rows.append((rid + ":redeem", merchant, mid, "redeem", 0, 0, 0, 0, "redemption", rid, version, t))
                points -= 100
                written += 2
        # Lots past their expiry have been expired by the hourly job.
        for lot in lots:
            expired = 0
            if lot[4] <= now and lot[2] > 0:
                expired = lot[2]
                entry_rows.append((lot[0] + ":expire:0", merchant, mid, "expire", -expired, 0, 0, 0,
                                   "lot", lot[0], version, lot[4]))
                points -= expired
                lot[2] = 0
                written += 1
            lot_rows.append((lot[0], merchant, mid, "active", lot[1], lot[2], expired, lot[3], lot[3],
                             lot[4], lot[0]))
        bday = "%02d-%02d" % (rnd.randint(1, 12), rnd.randint(1, 28)) if rnd.random() < 0.6 else None
        consent = 1 if rnd.random() < 0.5 else 0
        member_rows.append((mid, merchant, "Member %d" % i, "m%d@example.com" % i, None, bday, consent,
                            rnd.choice(channels), created, times[-1] if times else created,
                            points, stamps, "m%d@example.com" % i))
    db.executemany(
        "INSERT INTO members (id, merchant_id, name, email, phone, birthday, marketing_consent, channel,"
        " created_at, last_activity_at, points, stamps, email_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        member_rows)
    db.executemany(
        "INSERT INTO scans (id, merchant_id, member_id, kind, nonce, kid, location, channel, amount_minor,"
        " points, stamps, program_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", scan_rows)
    db.executemany(
        "INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,"
        " cause_type, cause_id, program_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", entry_rows)
    db.executemany(
        "INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining, expired, earned_at,"
        " available_at, expires_at, source_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)", lot_rows)
    db.executemany(
        "INSERT INTO redemptions (id, merchant_id, member_id, reward_id, code, status, points, stamps,"
        " cashback, created_at, expires_at, confirmed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", red_rows)
    db.executemany("INSERT INTO lot_draws (entry_id, lot_id, amount) VALUES (?,?,?)", draw_rows)
    # The merchant has been open since before its first member: rollups start on that day.
    db.execute("UPDATE merchants SET created_at = ? WHERE id = ?", (now - 731 * DAY, merchant))
    db.commit()
    issued = sum(e[4] for e in entry_rows if e[3] == "earn")
    redeemed = -sum(e[4] for e in entry_rows if e[3] == "reserve")
    dormant = sum(1 for m in member_rows if m[9] < now - 90 * DAY)
    print(json.dumps({"members": len(member_rows), "ledger_entries": len(entry_rows),
                      "scans": len(scan_rows), "lots": len(lot_rows), "redemptions": len(red_rows),
                      "dormant_90d_pct": round(100 * dormant / len(member_rows), 1),
                      "redemption_rate_pct": round(100 * redeemed / max(issued, 1), 1),
                      "load_seconds": round(time.perf_counter() - started, 1)}))


def timed(db, sql_dir, stmts, begun=False):
    """Runs `stmts` ((name, args) each) in order in one transaction, rolled back at the end, as
    the job's batches run them; prints each statement's time, slowest first."""
    if not begun:
        db.execute("BEGIN")
    out = []
    for name, args in stmts:
        sql = open(os.path.join(sql_dir, name + ".sql")).read()
        t = time.perf_counter()
        cur = db.execute(sql, args)
        rows = len(cur.fetchall())
        out.append(((time.perf_counter() - t) * 1000, name, max(rows, cur.rowcount)))
    db.execute("ROLLBACK")
    for ms, name, rows in sorted(out, reverse=True):
        print("    %-32s %9.1f ms  (%d rows)" % (name, ms, rows))


def time_job(db_file, sql_dir, now):
    db = sqlite3.connect(db_file, isolation_level=None)
    merchant = db.execute("SELECT merchant_id FROM members LIMIT 1").fetchone()[0]
    local = time.gmtime(now / 1000)
    today = "%02d-%02d" % (local.tm_mon, local.tm_mday)
    timed(db, sql_dir, [
        ("activate_lots", [now]), ("activate_lots_members", [now]), ("activate_lots_status", [now]),
        ("pick_expiring_lots", [now, 2000]), ("expire_lots", [now]), ("expire_lots_members", []),
        ("expire_lots_empty", []), ("unpick_expiring_lots", []),
        ("release_expired_codes", [now, None]), ("release_expired_codes_members", [now, None]),
        ("sweep_tiers", [now]), ("referrals_due", [now, 500]), ("birthday_merchants", []),
        ("insert_birthday_grants", [merchant, now, local.tm_year, today, today, 50, 0, None, 14, 1]),
        ("queue_expiry_reminders", [now]), ("ledger_audit", [merchant]),
    ])


def time_rollup(db_file, sql_dir, now):
    """Times each statement of a day's rollup (re-rolling the day 30 days before the next, a day
    with the usual activity), of a scoring of every member as of the last rolled day, and of
    queueing and firing an inactivity sequence, in one transaction rolled back at the end."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    db = sqlite3.connect(db_file, isolation_level=None)
    merchant, tz, last = db.execute(
        "SELECT m.id, m.time_zone, s.next_day - 1 FROM merchants m JOIN rollup_state s"
        " ON s.merchant_id = m.id").fetchone()
    zone = ZoneInfo(tz)
    def start(d):
        date = datetime(1970, 1, 1) + timedelta(days=d)
        return int(datetime(date.year, date.month, date.day, tzinfo=zone).timestamp() * 1000)
    day = last - 30
    window = [merchant, day, start(day), start(day + 1)]
    db.execute("BEGIN")
    db.execute("UPDATE rollup_state SET next_day = ? WHERE merchant_id = ?", (day, merchant))
    db.execute("DELETE FROM daily_metrics WHERE merchant_id = ? AND day >= ?", (merchant, day))
    db.execute("DELETE FROM daily_channels WHERE merchant_id = ? AND day >= ?", (merchant, day))
    members, scored = db.execute(open(os.path.join(sql_dir, "rfm_sample.sql")).read(),
                                 [merchant]).fetchone()
    offsets = [max(0, (scored * k + 4) // 5 - 1) for k in (1, 2, 3, 4)]
    db.execute("UPDATE member_totals SET scored_day = -1 WHERE merchant_id = ?", (merchant,))
    stmts = [
        ("rollup_new_members", window), ("rollup_work", window), ("rollup_channels", window),
        ("rollup_fold", [merchant, day]), ("rollup_day", window + [now]),
        ("rollup_clear", [merchant]), ("rollup_next", [merchant, day, window[3]]),
        ("rfm_sample", [merchant]),
        ("rfm_thresholds", [merchant, day] + [scored] + offsets + [members - scored]),
        ("rfm_score_work", [merchant, day, 5000]),
        ("rfm_we_miss_you", [merchant, day, now]), ("rfm_score", [merchant, day]),
        ("rfm_clear", [merchant]), ("rfm_sizes", [merchant, day]),
    ]
    # A 30-day inactivity sequence (domain::sequence::rules_json) queued from the rolled day,
    # then one firing batch of 200 occasions.
    rules = json.dumps([{"id": "return_offer", "event": "inactive", "n": 30, "delay_ms": 0,
                         "points": 30, "stamps": 0, "reward_id": None, "gift_days": 14,
                         "message": True, "class": "marketing", "not_returned": True,
                         "consent": True, "min_tier": 0, "version": 1}])
    fire = "synth-batch"
    stmts += [
        ("queue_sequences_inactive", [merchant, now, rules, 7]),
        ("fire_sequences", [merchant, now + 1, fire, None, 200, None]),
        ("sequence_entries", [fire, now + 1]), ("sequence_lots", [fire, now + 1, None]),
        ("sequence_members", [fire, now + 1]), ("sequence_gifts", [fire, now + 1]),
        ("sequence_outbox", [fire, now + 1]), ("sequence_status", [fire]),
    ]
    timed(db, sql_dir, stmts, begun=True)


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif sys.argv[1] == "rollup":
        time_rollup(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        time_job(sys.argv[2], sys.argv[3], int(sys.argv[4]))
