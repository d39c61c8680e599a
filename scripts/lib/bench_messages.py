"""Messages per second through the delivery path (scripts/bench): one merchant sending by push
to npm web-push-testing, one by email into wrangler dev's local email store. Each gets N members
(push: each with a subscription from the test service, posted the way the card's script posts
it), a campaign to all of them is launched, and WORKERS callers run the operator's delivery call
until nothing is pending. Prints messages per second, and checks the push service received each
message exactly once.

Usage: bench_messages.py BASE ADMIN_SECRET MASTER_SECRET LE_TOKEN PUSH_BASE RESULTS [N] [WORKERS]
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

base, admin, master, le_token, push_base, results = sys.argv[1:7]
n = int(sys.argv[7]) if len(sys.argv) > 7 else 300
workers = int(sys.argv[8]) if len(sys.argv) > 8 else 4


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def call(method, url, body=None, headers=None, form=None):
    data, h = None, dict(headers or {})
    if body is not None:
        data, h["content-type"] = json.dumps(body).encode(), "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        h["content-type"] = "application/x-www-form-urlencoded"
    r = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with opener.open(r, timeout=60) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def merchant(channels):
    status, _, text = call("POST", f"{base}/admin/v1/merchants", {
        "name": "Bench Messages", "currency": {"code": "PLN", "minor_units": 2},
        "locations": ["Main"], "program": {"visit_cooldown_secs": 0, "visit_daily_cap": 0}},
        {"authorization": f"Bearer {admin}"})
    assert status == 201, text
    made = json.loads(text)
    key = made["api_key"]
    settings = dict(channels, quiet_hours=None, marketing_cap_days=0,
                    muted=["welcome", "balance_update", "milestone"])
    status, _, text = call("PUT", f"{base}/api/v1/messaging", settings, {"authorization": f"Bearer {key}"})
    assert status == 200, text
    return made["merchant_id"], key


def token(m):
    env = dict(os.environ, MASTER_SECRET=master)
    return subprocess.run([le_token, "--origin", base, "--merchant", m, "--kind", "points", "--value", "10"],
                          env=env, check=True, capture_output=True, text=True).stdout.strip()


def enrol(m, name, email=None):
    url = token(m)
    _, _, page = call("GET", url)
    ticket = re.search(r'name="ticket" value="([^"]+)"', page).group(1)
    form = {"ticket": ticket, "name": name, "marketing_consent": "yes"}
    if email:
        form["email"] = email
    status, headers, text = call("POST", url, form=form)
    assert status == 200, text
    cookie = headers.get("set-cookie").split(";")[0]
    return cookie, url


def launch(m, key):
    auth = {"authorization": f"Bearer {key}"}
    status, _, text = call("POST", f"{base}/api/v1/campaigns", {
        "name": "Bench", "segment": "all", "holdout_percent": 0, "window_days": 7,
        "variants": [{"name": "a", "subject": "Bench offer", "text": "Hello {{name}}, a coffee on us."}]}, auth)
    assert status == 201, text
    cid = json.loads(text)["id"]
    started = time.monotonic()
    status, _, text = call("POST", f"{base}/api/v1/campaigns/{cid}/launch", {}, auth)
    assert status == 200, text
    return started


def drain(m, key, started):
    """Runs the delivery call from `workers` threads until nothing is pending; the rate."""
    done = threading.Event()

    def run():
        while not done.is_set():
            call("POST", f"{base}/admin/v1/merchants/{m}/deliveries", headers={"authorization": f"Bearer {admin}"})

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    auth = {"authorization": f"Bearer {key}"}
    while True:
        _, _, text = call("GET", f"{base}/api/v1/messages?status=pending", headers=auth)
        if not json.loads(text)["messages"]:
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    done.set()
    for t in threads:
        t.join()
    sent, cursor = 0, None
    while True:
        q = f"{base}/api/v1/messages?status=sent" + (f"&cursor={cursor}" if cursor else "")
        _, _, text = call("GET", q, headers=auth)
        page = json.loads(text)
        sent += sum(1 for x in page["messages"] if x["kind"] == "campaign")
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return sent, elapsed


def report(line):
    print(line)
    with open(results, "a") as f:
        f.write(line + "\n")


# Push: members with a subscription each.
m, key = merchant({"push": True})
clients = []
vapid = None
for i in range(n):
    cookie, url = enrol(m, f"Push {i}")
    if vapid is None:
        _, _, page = call("GET", token(m), headers={"cookie": cookie})
        vapid = re.search(r'data-key="([^"]+)"', page).group(1)
    _, _, text = call("POST", f"{push_base}/subscribe", {"applicationServerKey": vapid})
    sub = json.loads(text)["data"]
    status, _, text = call("POST", f"{base}/c/{m}/push",
                           {"endpoint": sub["endpoint"], "expirationTime": None, "keys": sub["keys"]},
                           {"cookie": cookie})
    assert status == 201, text
    clients.append(sub["clientHash"])
sent, elapsed = drain(m, key, launch(m, key))
received = 0
for c in clients:
    _, _, text = call("POST", f"{push_base}/get-notifications", {"clientHash": c})
    received += sum(1 for msg in json.loads(text)["data"]["messages"] if "Bench offer" in msg)
report("%-30s %7.1f messages/s (%d sent in %.2f s by %d delivery callers; the push service received %d, "
       "VAPID-checked and decrypted)" % ("push (web-push-testing)", sent / elapsed, sent, elapsed, workers, received))
assert received == sent == n, f"push: {n} members, {sent} sent, {received} received"

# Email: members with an address each.
m, key = merchant({"email": True})
for i in range(n):
    enrol(m, f"Mail {i}", f"bench.{i}.{m}@example.com")
sent, elapsed = drain(m, key, launch(m, key))
report("%-30s %7.1f messages/s (%d sent in %.2f s by %d delivery callers, into the local email store)"
       % ("email (local email store)", sent / elapsed, sent, elapsed, workers))
assert sent == n, f"email: {n} members, {sent} sent"
