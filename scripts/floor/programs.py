"""Turns the D1 traces of a worker log (D1_TRACE=1) into the floor worker's programs.json.

Usage: programs.py LOG OUT NAME=METHOD:PATH...

Each NAME needs two traced requests of METHOD PATH in LOG (the last two are used): arguments that
differ between them are what each request makes fresh (random ids, the clock, idempotency keys).
Prints each program's D1 round trips and statement count.
"""

import json
import sys


def traces(log):
    out = []
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            at = line.find("d1-trace ")
            if at >= 0:
                out.append(json.loads(line[at + len("d1-trace "):]))
    return out


def common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def fresh_of(a, b):
    if a == b:
        return None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        # Unix ms clocks move with time; other numbers (counts) are kept as recorded.
        return {"time": True} if a > 10**12 and b > 10**12 else None
    if isinstance(a, str) and isinstance(b, str) and len(a) == len(b):
        return {"keep": common_prefix(a, b)}
    return None


def program(first, second):
    shape = lambda t: [(c["op"], [s["sql"] for s in c["stmts"]]) for c in t["calls"]]
    if shape(first) != shape(second):
        raise SystemExit(f"{second['method']} {second['path']}: the two requests sent different statements")
    calls = []
    for c1, c2 in zip(first["calls"], second["calls"]):
        stmts = []
        for s1, s2 in zip(c1["stmts"], c2["stmts"]):
            stmts.append({"sql": s2["sql"], "args": s2["args"],
                          "fresh": [fresh_of(a, b) for a, b in zip(s1["args"], s2["args"])]})
        calls.append({"op": c2["op"], "stmts": stmts})
    return {"now_ms": second["now_ms"], "calls": calls}


def main():
    log, out, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    all_traces = traces(log)
    programs = {}
    for spec in specs:
        name, target = spec.split("=", 1)
        method, path = target.split(":", 1)
        mine = [t for t in all_traces if t["method"] == method and t["path"] == path]
        if len(mine) < 2:
            raise SystemExit(f"{name}: {len(mine)} traced requests of {method} {path}, need 2")
        programs[name] = program(mine[-2], mine[-1])
        p = programs[name]
        print(f"    {name:<28} {len(p['calls'])} D1 round trips, "
              f"{sum(len(c['stmts']) for c in p['calls'])} statements", file=sys.stderr)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(programs, f)


main()
