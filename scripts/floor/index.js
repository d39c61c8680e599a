// The bench's floor: a JavaScript worker that sends D1 exactly the calls one request of the real
// Worker sent (recorded with D1_TRACE=1 by scripts/bench, in programs.json), in the same order
// and the same batches, and nothing else: no routing, no parsing, no signature checks, no KV, no
// HTML. Values that differed between two recorded requests of one endpoint (random ids, clocks,
// idempotency keys) are made fresh for every request, so writes stay writes.
import programs from "./programs.json";

function randomHex(n) {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(n / 2)));
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s.slice(0, n);
}

// fresh: null (as recorded), {time: true} (shifted by the time since recording), or
// {keep: k} (the first k characters kept, the rest random hex of the same length).
function value(arg, fresh, shift) {
  if (!fresh) return arg;
  if (fresh.time) return arg + shift;
  return arg.slice(0, fresh.keep) + randomHex(arg.length - fresh.keep);
}

export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.slice(1);
    if (name === "health") return new Response('{"status":"ok"}');
    const program = programs[name];
    if (!program) return new Response("no such program", { status: 404 });
    const shift = Date.now() - program.now_ms;
    for (const call of program.calls) {
      const stmts = call.stmts.map((s) =>
        env.DB.prepare(s.sql).bind(...s.args.map((a, i) => value(a, s.fresh[i], shift))),
      );
      if (call.op === "batch") await env.DB.batch(stmts);
      else if (call.op === "all") await stmts[0].all();
      else await stmts[0].run();
    }
    return new Response("ok");
  },
};
