/**
 * The CrowdStrike probe against a bare HTTPS server that answers what the simulated Falcon
 * cloud never would: lists that loop by every route (tokens that cycle, the same page with a
 * fresh token, a scroll that never moves with a total that lies), and envelopes whose end of
 * the list is not the documented one (a `next` of the wrong type, no `meta.pagination`, a
 * bare `{}`, `errors` that is not an array). None may end complete; each ends in a clear
 * error with no asset called missing, never a hang.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { startPageServer, type PageServer } from "./page-server.js";
import { crowdstrike } from "../../src/probes/crowdstrike/index.js";
import { FalconApiClientCodec } from "../../src/probes/crowdstrike/credential.js";
import { createEnvironment } from "../../src/runtime/environment.js";
import type { ProbeEnv, ProbeError } from "../../src/contract.js";

/** Answers past this many data calls are 500s: a listing that does not see its own loop fails with another code instead of hanging the test. */
const MAX_CALLS = 400;

let server: PageServer;
let env: ProbeEnv;
let calls = 0;
/** The answer to a data call: the body, as a value to send as JSON or a string sent as it is. */
let answer: (url: URL, call: number) => unknown = () => ({});
/** When set, answers data calls itself (headers and body as it likes) instead of {@link answer}. */
let raw: ((res: ServerResponse, call: number) => void) | undefined;
/** When set, answers token requests instead of a 201 with a token that lives 30 minutes. */
let tokenRaw: ((res: ServerResponse) => void) | undefined;
let tokenCalls = 0;

const handle = (req: IncomingMessage, res: ServerResponse): void => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    if (url.pathname === "/oauth2/token") {
      tokenCalls += 1;
      if (tokenRaw !== undefined) return tokenRaw(res);
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "hostile-test-token", token_type: "bearer", expires_in: 1799 }));
      return;
    }
    calls += 1;
    if (calls > MAX_CALLS) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: 500, message: "the test server gave up" }] }));
      return;
    }
    if (raw !== undefined) return raw(res, calls);
    const body = answer(url, calls);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  });
};

before(async () => {
  server = await startPageServer(handle);
  env = createEnvironment({ extraCaPem: server.certPem, retryLimit: 0, proxy: () => undefined, log: () => () => undefined, taskLog: () => undefined });
});
after(() => server.close());

const run = async (options: Record<string, unknown> = {}, signal?: AbortSignal, on: ProbeEnv = env) => {
  calls = 0;
  tokenCalls = 0;
  const credential = FalconApiClientCodec.decode({
    kind: "crowdstrike-api-client",
    clientId: "0123456789abcdef0123456789abcdef",
    clientSecret: "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    apiBaseUrl: server.origin,
  });
  if (credential._tag === "Left") throw new Error("the test credential does not decode");
  const decoded = crowdstrike.options.decode({ pageSize: 2, ...options });
  if (decoded._tag === "Left") throw new Error("the test options do not decode");
  const assets = [{ id: "a1", addresses: ["10.0.0.1"], names: ["one"] }];
  return crowdstrike.run({ mode: "probe", credential: credential.right, options: decoded.right, assets, signal }, on)();
};

const failed = (result: Awaited<ReturnType<typeof run>>, code: string): ProbeError => {
  assert.equal(result._tag, "Left", "the run must not end complete");
  const error = result._tag === "Left" ? result.left : (undefined as never);
  assert.equal(error.code, code, error.message);
  assert.equal(error.partial?.summary.complete, false);
  assert.equal(error.partial?.summary.coverage["edr"]?.missing, 0, "a failed run calls no asset missing");
  return error;
};

const host = (n: number) => ({ device_id: `${n}`.padStart(32, "0"), hostname: `h${n}`, last_seen: new Date().toISOString() });
const page = (resources: unknown[], pagination: Record<string, unknown> | undefined) => ({
  meta: { query_time: 0.01, powered_by: "device-api", trace_id: "trace", ...(pagination === undefined ? {} : { pagination }) },
  resources,
  errors: [],
});

test("combined: next tokens that cycle A→B→A over the same hosts end as a paging error, not a hang", async () => {
  answer = (url) => {
    const offset = url.searchParams.get("offset");
    return offset === "A" ? page([host(3), host(4)], { total: 4, next: "B" }) : page([host(1), host(2)], { total: 4, next: "A" });
  };
  failed(await run(), "ERR_API_PAGING");
});

test("combined: the same page served again and again with a fresh next token ends as a paging error", async () => {
  answer = (_url, call) => page([host(1), host(2)], { total: 2, next: `fresh-${call}` });
  failed(await run(), "ERR_API_PAGING");
});

test("combined: empty pages between pages of repeats, each with a fresh next token, end as a paging error", async () => {
  answer = (_url, call) => page(call % 3 === 0 ? [host(1)] : [], { total: 1, next: `fresh-${call}` });
  failed(await run(), "ERR_API_PAGING");
});

test("scroll: an offset that stays the same, pages without a new id and a total that lies, ends as a paging error", async () => {
  answer = (url) =>
    url.pathname.includes("scroll")
      ? page(["a".repeat(32)], { total: 1_000_000_000, offset: "same-offset-forever" })
      : page([{ device_id: "a".repeat(32) }], undefined);
  failed(await run({ cloud: "us-gov-1", apiBaseUrl: server.origin }), "ERR_API_PAGING");
});

test("scroll: empty pages that keep the same offset, with a total that lies, end as a paging error", async () => {
  answer = () => page([], { total: 1_000_000_000, offset: "same-offset-forever" });
  failed(await run({ cloud: "us-gov-1", apiBaseUrl: server.origin }), "ERR_API_PAGING");
});

for (const [what, next] of [
  ["an object", { token: "x" }],
  ["true", true],
  ["an array", ["x"]],
] as const)
  test(`combined: a next token that is ${what} is not the end of the list`, async () => {
    answer = (url) => (url.searchParams.get("offset") === null ? page([host(1), host(2)], { total: 4, next }) : page([host(3), host(4)], { total: 4 }));
    failed(await run(), "ERR_API_BAD_RESPONSE");
  });

test("combined: a page without meta.pagination is not the end of the list", async () => {
  answer = () => page([host(1), host(2)], undefined);
  failed(await run(), "ERR_API_BAD_RESPONSE");
});

test("combined: a bare {} is not an empty list", async () => {
  answer = () => ({});
  failed(await run(), "ERR_API_BAD_RESPONSE");
});

test("combined: errors that is an object, not an array, is not a page without errors", async () => {
  answer = () => ({ ...page([], { total: 0 }), errors: { code: 500, message: "internal" } });
  failed(await run(), "ERR_API_BAD_RESPONSE");
});

for (const [what, pagination] of [
  ["no offset", { total: 4 }],
  ["a numeric offset", { total: 4, offset: 0 }],
  ["no meta.pagination", undefined],
] as const)
  test(`scroll: a page with ${what} is not the end of the list`, async () => {
    answer = (url) => (url.pathname.includes("scroll") ? page(["a".repeat(32)], pagination) : page([{ device_id: "a".repeat(32) }], undefined));
    failed(await run({ cloud: "us-gov-1", apiBaseUrl: server.origin }), "ERR_API_BAD_RESPONSE");
  });

test("held: resources that is not an array, a 200 of HTML, errors on a 200 (errors null and [] are none)", async () => {
  answer = () => ({ ...page([], { total: 0 }), resources: { device_id: "x" } });
  failed(await run(), "ERR_API_BAD_RESPONSE");
  answer = () => "<html><body>Service unavailable</body></html>";
  failed(await run(), "ERR_API_BAD_RESPONSE");
  answer = () => ({ ...page([host(1)], { total: 1 }), errors: [{ code: 500, message: "partial" }] });
  failed(await run(), "ERR_API_SERVER");
  for (const errors of [null, []]) {
    answer = () => ({ ...page([host(1)], { total: 1 }), errors });
    const result = await run();
    assert.equal(result._tag, "Right");
  }
});

test("a host of a split page that is not JSON ends the run as ERR_API_BAD_RESPONSE naming the page and the item; the page is read as JSON.parse reads it", async () => {
  const envelope = '"meta":{"query_time":0.01,"powered_by":"device-api","trace_id":"trace","pagination":{"total":2}},"errors":[]';
  answer = () => `{${envelope},"resources":[${JSON.stringify(host(1))},{"device_id":"${"2".padStart(32, "0")}","hostname":01}]}`;
  const error = failed(await run(), "ERR_API_BAD_RESPONSE");
  assert.match(error.message, /item 1 is not JSON/);
  // A decoy array first and the one JSON.parse keeps spelt with an escape: the hosts read are the last array's.
  answer = () => `{"resources":[${JSON.stringify(host(9))}],${envelope},"\\u0072esources":[${JSON.stringify(host(1))},${JSON.stringify(host(2))}]}`;
  const result = await run();
  assert.equal(result._tag, "Right");
  assert.equal(result._tag === "Right" ? result.right.summary.counts.fetched : 0, 2);
  assert.deepEqual(result._tag === "Right" ? result.right.records.map((r) => r.sourceId) : [], [host(1).device_id, host(2).device_id]);
});

test("a split page is read as JSON.parse reads it or not at all: hosts closed by the wrong bracket end the run; a last `resources` of null holds no host", async () => {
  const envelope = '"meta":{"query_time":0.01,"powered_by":"device-api","trace_id":"trace","pagination":{"total":0}},"errors":[]';
  answer = () => `{${envelope},"resources":[${JSON.stringify(host(1))}}}`; // the array's `[` closed by `}`: not JSON
  const error = failed(await run(), "ERR_API_BAD_RESPONSE");
  assert.doesNotMatch(error.message, /item \d+ is not JSON/, "the body as a whole is what is wrong");
  answer = () => `{"resources":[${JSON.stringify(host(1))}],${envelope},"resources":null}`;
  const result = await run();
  assert.equal(result._tag, "Right");
  assert.equal(result._tag === "Right" ? result.right.summary.counts.fetched : -1, 0);
});

test("a list that ends short of the total Falcon announces is incomplete: hosts exist that were not read", async () => {
  for (const resources of [null, [], [host(1)]]) {
    answer = () => ({ ...page([], { total: 3 }), resources });
    const error = failed(await run(), "ERR_API_LIST_CUT_SHORT");
    assert.match(error.message, /Falcon announced 3 hosts and the list ended after [01]/);
  }
  // The scroll: its first page's total, and an end at once.
  answer = (url) => (url.pathname.includes("scroll") ? page([], { total: 5000, offset: "" }) : page([], undefined));
  failed(await run({ cloud: "us-gov-1", apiBaseUrl: server.origin }), "ERR_API_LIST_CUT_SHORT");
});

test("a body that inflates past maxPageBytes ends as ERR_API_RESPONSE_TOO_LARGE, read no further", async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces in about 64 KB
  raw = (res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(bomb);
  };
  try {
    failed(await run({ maxPageBytes: 1024 * 1024 }), "ERR_API_RESPONSE_TOO_LARGE");
  } finally {
    raw = undefined;
  }
});

test("a body whose Content-Length is over maxPageBytes is refused before it is read", async () => {
  raw = (res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(8 * 1024 * 1024) });
    res.write("{");
  };
  try {
    failed(await run({ maxPageBytes: 1024 * 1024 }), "ERR_API_RESPONSE_TOO_LARGE");
  } finally {
    raw = undefined;
  }
});

test("a body that drips a byte at a time ends as ERR_API_PAGE_TIMEOUT at the pageDeadlineMs, not never", async () => {
  raw = (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const drip = setInterval(() => res.write(" "), 50);
    res.on("close", () => clearInterval(drip));
  };
  // Only a guard against a hang: the run must end by its own deadline long before this.
  const guard = AbortSignal.timeout(60_000);
  try {
    failed(await run({ pageDeadlineMs: 500 }, guard), "ERR_API_PAGE_TIMEOUT");
  } finally {
    raw = undefined;
  }
});

/** A run that ended complete, its output free of the secret and the token. */
const completeRun = (result: Awaited<ReturnType<typeof run>>): void => {
  if (result._tag === "Left") assert.fail(`the run failed: ${result.left.code} ${result.left.message}`);
  assert.equal(result.right.summary.complete, true);
  const text = JSON.stringify(result.right);
  assert.ok(!text.includes("hostile-test-token") && !text.includes("abcdefghijklmnopqrstuvwxyz0123456789ABCD"));
};

const onePage = (res: ServerResponse, headers: Record<string, string> = {}) => {
  res.writeHead(200, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(page([host(1)], { total: 1 })));
};

test("held: the token endpoint redirecting to http:// is refused before the secret goes anywhere else", async () => {
  tokenRaw = (res) => {
    res.writeHead(308, { location: `${server.origin.replace("https:", "http:")}/oauth2/token`, "x-cs-region": "us-2" });
    res.end();
  };
  try {
    const result = await run();
    const error = failed(result, "ERR_FALCON_REDIRECT");
    assert.equal(tokenCalls, 1, "the form with the secret was sent once, to the configured host");
    assert.ok(!JSON.stringify(error).includes("abcdefghijklmnopqrstuvwxyz0123456789ABCD"));
  } finally {
    tokenRaw = undefined;
  }
});

test("held: a token answer without access_token is ERR_AUTH_UNAVAILABLE; expires_in absent, 0, negative or huge still reads to the end", async () => {
  const token = (body: unknown) => (res: ServerResponse) => {
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  raw = (res) => onePage(res);
  try {
    tokenRaw = token({ token_type: "bearer", expires_in: 1799 });
    failed(await run(), "ERR_AUTH_UNAVAILABLE");
    for (const expires_in of [undefined, 0, -5, 0.001, 1e308, "1799"]) {
      tokenRaw = token({ access_token: "hostile-test-token", expires_in });
      completeRun(await run());
    }
  } finally {
    tokenRaw = undefined;
    raw = undefined;
  }
});

test("held: X-RateLimit-Remaining 0 on every answer paces the calls, never stalls them", async () => {
  raw = (res, call) => {
    res.writeHead(200, { "content-type": "application/json", "x-ratelimit-remaining": "0" });
    res.end(JSON.stringify(page([host(call)], call < 4 ? { total: 4, next: `n${call}` } : { total: 4 })));
  };
  try {
    completeRun(await run());
  } finally {
    raw = undefined;
  }
});

test("held: X-RateLimit-RetryAfter in the past or garbage is retried; one far in the future fails at once as ERR_API_THROTTLED", async () => {
  const retrying = createEnvironment({
    extraCaPem: server.certPem,
    retryLimit: 2,
    backoffLimitMs: 50,
    proxy: () => undefined,
    log: () => () => undefined,
    taskLog: () => undefined,
  });
  const throttled = (retryAfter: string) => (res: ServerResponse, call: number) => {
    if (call > 1) return onePage(res);
    res.writeHead(429, { "content-type": "application/json", "x-ratelimit-retryafter": retryAfter });
    res.end(JSON.stringify({ errors: [{ code: 429, message: "API rate limit exceeded." }] }));
  };
  try {
    for (const retryAfter of ["1", "garbage", "-3", ""]) {
      raw = throttled(retryAfter);
      completeRun(await run({}, undefined, retrying));
    }
    raw = throttled(String(Math.floor(Date.now() / 1000) + 365 * 86_400));
    failed(await run({}, undefined, retrying), "ERR_API_THROTTLED");
    assert.equal(calls, 1, "no retry of a wait past the cap");
  } finally {
    raw = undefined;
  }
});

test("held: duplicate device_ids are read once, a total that disagrees is a warning; a host without device_id leaves the asset unknown, not missing", async () => {
  answer = (url) =>
    url.searchParams.get("offset") === null ? page([host(1), host(1)], { total: 3, next: "n" }) : page([host(2), { hostname: "one" }], { total: 3 });
  const result = await run();
  completeRun(result);
  if (result._tag === "Left") return;
  assert.equal(result.right.records.filter((r) => JSON.stringify(r).includes(host(1).device_id)).length, 1, "one record of the repeated host");
  assert.ok(result.right.warnings.some((w) => w.code === "FALCON_TOTAL_MISMATCH"));
  assert.ok(result.right.warnings.some((w) => w.code === "FALCON_INVALID_DEVICE"));
  assert.equal(result.right.summary.coverage["edr"]?.missing, 0);
});

test("an entities POST that leaves ids out, again when asked again, ends the run as ERR_API_PAGING, never complete with every asset missing", async () => {
  const ids = [1, 2, 3].map((n) => host(n).device_id);
  answer = (url) =>
    url.pathname.includes("scroll")
      ? page(url.searchParams.get("offset") === null ? ids : [], url.searchParams.get("offset") === null ? { total: 3, offset: "p" } : { total: 0, offset: "" })
      : page([host(1), host(9)], undefined);
  failed(await run({ cloud: "us-gov-1", apiBaseUrl: server.origin, pageSize: 5 }), "ERR_API_PAGING");
  answer = (url) =>
    url.pathname.includes("scroll")
      ? page(url.searchParams.get("offset") === null ? ids : [], url.searchParams.get("offset") === null ? { total: 3, offset: "p" } : { total: 0, offset: "" })
      : page([], undefined);
  failed(await run({ cloud: "us-gov-1", apiBaseUrl: server.origin, pageSize: 5 }), "ERR_API_PAGING");
});

test("a token endpoint that drips a byte at a time ends as ERR_AUTH_UNAVAILABLE at the pageDeadlineMs, not never", async () => {
  tokenRaw = (res) => {
    res.writeHead(201, { "content-type": "application/json" });
    const drip = setInterval(() => res.write(" "), 50);
    res.on("close", () => clearInterval(drip));
  };
  // Only a guard against a hang: the sign-in must end by its own deadline long before this.
  const guard = AbortSignal.timeout(60_000);
  try {
    const error = failed(await run({ pageDeadlineMs: 500 }, guard), "ERR_AUTH_UNAVAILABLE");
    assert.match(error.message, /token endpoint/);
  } finally {
    tokenRaw = undefined;
  }
});

test("verify against a host list that drips a byte at a time reports the read failed at the pageDeadlineMs, not never", async () => {
  raw = (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const drip = setInterval(() => res.write(" "), 50);
    res.on("close", () => clearInterval(drip));
  };
  const verify = crowdstrike.verify;
  if (verify === undefined) return assert.fail("the probe has no verify");
  const credential = FalconApiClientCodec.decode({
    kind: "crowdstrike-api-client",
    clientId: "0123456789abcdef0123456789abcdef",
    clientSecret: "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    apiBaseUrl: server.origin,
  });
  const options = crowdstrike.options.decode({ pageDeadlineMs: 500 });
  if (credential._tag === "Left" || options._tag === "Left") return assert.fail("the test input does not decode");
  let guard: NodeJS.Timeout | undefined;
  // Only a guard against a hang: verify must end by its own deadline long before this.
  const hung = new Promise<"hung">((resolve) => (guard = setTimeout(() => resolve("hung"), 60_000)));
  try {
    const report = await Promise.race([verify({ credential: credential.right, options: options.right }, env)(), hung]);
    assert.notEqual(report, "hung", "verify never ended");
    if (report === "hung" || report._tag === "Left") return assert.fail("verify must report, not fail");
    assert.equal(report.right.ok, false);
    assert.match(report.right.steps.at(-1)?.text ?? "", /pageDeadlineMs/);
  } finally {
    clearTimeout(guard);
    raw = undefined;
  }
});

test("combined: a list of fresh hosts that never ends stops at maxDevices as ERR_API_LIST_TOO_LONG", async () => {
  answer = (_url, call) => page([host(2 * call), host(2 * call + 1)], { total: 2 * call + 2, next: `fresh-${call}` });
  failed(await run({ maxDevices: 50 }), "ERR_API_LIST_TOO_LONG");
});

test("scroll: fresh ids that never end stop at maxDevices as ERR_API_LIST_TOO_LONG", async () => {
  answer = (_url, call) => page([host(2 * call).device_id, host(2 * call + 1).device_id], { total: 2 * call + 2, offset: "same" });
  failed(await run({ cloud: "us-gov-1", apiBaseUrl: server.origin, maxDevices: 50 }), "ERR_API_LIST_TOO_LONG");
});

test("held: an error answer that echoes the token and the secret shows neither", async () => {
  raw = (res) => {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ errors: [{ code: 403, message: "denied hostile-test-token abcdefghijklmnopqrstuvwxyz0123456789ABCD" }] }));
  };
  try {
    const error = failed(await run(), "ERR_API_FORBIDDEN");
    const text = JSON.stringify(error);
    assert.ok(!text.includes("hostile-test-token") && !text.includes("abcdefghijklmnopqrstuvwxyz0123456789ABCD"), text);
  } finally {
    raw = undefined;
  }
});
