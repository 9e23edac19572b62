/**
 * Pages the simulated tenant would never send, from a bare server: random bytes (a clear
 * ERR_API_BAD_RESPONSE, or a network error for bytes that break HTTP framing, never a crash),
 * statuses that are not a page, devices nested past any stack, links that lead on without end.
 */
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startHarness, type Harness } from "./harness.js";
import { startPageServer, type PageServer } from "./page-server.js";
import { defender365 } from "../../src/probes/defender365/index.js";

let h: Harness;
let pages: PageServer;
let body: Buffer = Buffer.alloc(0);
let status = 200;
/** The page server's answer; by default `body` with `status`. */
let answer: Parameters<typeof startPageServer>[0];
const answerBody: typeof answer = (_req, res) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body);
};

before(async () => {
  pages = await startPageServer((req, res) => answer(req, res));
  h = await startHarness({ devices: 5 });
  // An environment that trusts both the simulated tenant and this page server.
  const { createEnvironment } = await import("../../src/runtime/environment.js");
  h = { ...h, env: createEnvironment({ extraCaPem: [h.tenant.caPem, pages.certPem], retryLimit: 0 }) };
});
beforeEach(() => {
  status = 200;
  answer = answerBody;
});
after(async () => {
  pages.close();
  await h.tenant.close();
});

test("random bytes as an API page give a clear error, never a crash", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 2_000 }),
        fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
      ),
      async (bytes) => {
        body = Buffer.from(bytes);
        const outcome = await defender365.run(
          { mode: "connector", credential: h.credential("azure-client-secret", { apiBaseUrl: pages.origin }), options: h.options(), assets: [] },
          h.env,
        )();
        if (outcome._tag === "Right") {
          assert.equal(outcome.right.summary.complete, true); // a body that is a valid page shape, e.g. {"value":[]}
        } else {
          assert.ok(["ERR_API_BAD_RESPONSE", "ERR_API_NETWORK"].includes(outcome.left.code), outcome.left.code);
          assert.equal(outcome.left.partial?.summary.coverage.edr?.missing, 0);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test("an id with a bad escape is ERR_API_BAD_RESPONSE naming the page, not a network error", async () => {
  body = Buffer.from('{"value":[{"id":"a\\x","computerDnsName":"pc1"}]}');
  const outcome = await defender365.run(
    { mode: "connector", credential: h.credential("azure-client-secret", { apiBaseUrl: pages.origin }), options: h.options(), assets: [] },
    h.env,
  )();
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_API_BAD_RESPONSE");
  assert.match(outcome.left.message, /^Page 1 /);
});

const runOnPageServer = (options: Record<string, unknown> = {}) =>
  defender365.run(
    { mode: "connector", credential: h.credential("azure-client-secret", { apiBaseUrl: pages.origin }), options: h.options(options), assets: [] },
    h.env,
  )();

test("a page is read as JSON.parse reads it or not at all: devices closed by the wrong bracket, or a last `value` that is not an array, end as ERR_API_BAD_RESPONSE", async () => {
  for (const text of [
    '{"value":[{"id":"a","computerDnsName":"pc1"}}}', // the array's `[` closed by `}`: not JSON
    '{"value":[{"id":"a","computerDnsName":"pc1"}},"@odata.nextLink":"x"}',
    '{"value":[{"id":"a","computerDnsName":"pc1"}],"value":null}', // JSON.parse keeps the last `value`
  ]) {
    body = Buffer.from(text);
    const outcome = await runOnPageServer();
    assert.equal(outcome._tag, "Left", text);
    if (outcome._tag !== "Left") return;
    assert.equal(outcome.left.code, "ERR_API_BAD_RESPONSE", text);
    assert.equal(outcome.left.partial?.summary.complete, false);
  }
});

test("devices whose keys are renamed are invalid and could be any asset: none is called missing", async () => {
  const renamed = [0, 1, 2].map((i) => ({
    Id: `m${i}`,
    ComputerDnsName: `pc-${i}`,
    LastIpAddress: `10.0.0.${i + 1}`,
    HealthStatus: "Active",
    OnboardingStatus: "Onboarded",
  }));
  body = Buffer.from(JSON.stringify({ value: renamed }));
  const assets = [
    { id: "a1", names: ["pc-0"], addresses: ["10.0.0.1"] },
    { id: "a2", addresses: ["10.9.9.9"] },
  ];
  const outcome = await defender365.run(
    { mode: "connector", credential: h.credential("azure-client-secret", { apiBaseUrl: pages.origin }), options: h.options(), assets },
    h.env,
  )();
  assert.equal(outcome._tag, "Right");
  if (outcome._tag !== "Right") return;
  const { counts, coverage } = outcome.right.summary;
  assert.equal(counts.invalid, 3);
  assert.equal(coverage.edr?.missing, 0);
  assert.equal(coverage.edr?.unknown, 2);
  assert.equal(coverage.edr?.unknownFromInvalidDevices, 2);
});

test("a device that reports a lastSeen to come does not move the cursor: the next incremental sync still reads what changes until then", async () => {
  const device = (id: string, lastSeen: string) => ({ id, computerDnsName: `pc-${id}`, lastSeen, healthStatus: "Active", onboardingStatus: "Onboarded" });
  body = Buffer.from(
    JSON.stringify({ value: [device("a", "2026-01-02T03:04:05Z"), device("b", "9999-12-31T23:59:59Z"), device("c", "2026-01-01T00:00:00Z")] }),
  );
  const outcome = await runOnPageServer();
  assert.equal(outcome._tag, "Right");
  if (outcome._tag === "Right") assert.equal(outcome.right.summary.cursor, "2026-01-02T03:04:05Z");
});

test("a 2xx other than 200 is not a page, even with a page's body: ERR_API_BAD_RESPONSE naming the status", async () => {
  for (const [code, text] of [
    [203, '{"value":[]}'],
    [202, '{"value":[]}'],
    [204, ""],
  ] as const) {
    status = code;
    body = Buffer.from(text);
    const outcome = await runOnPageServer();
    assert.equal(outcome._tag, "Left", `HTTP ${code}`);
    if (outcome._tag !== "Left") return;
    assert.equal(outcome.left.code, "ERR_API_BAD_RESPONSE");
    assert.match(outcome.left.message, new RegExp(`^Page 1 .*HTTP ${code}, not 200`));
    assert.equal(outcome.left.partial?.summary.complete, false);
  }
});

/** A million levels of nesting: past what a recursive walk (flattening, `JSON.stringify`) can go through on Node's stack. */
const DEPTH = 1_000_000;

test("a device nested a million levels deep is one invalid device with its path; the devices around it are kept and the run completes", async () => {
  const [first, second, third] = h.tenant.machines();
  const deepObject = `${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}`;
  const deepArray = `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`;
  const withField = (machine: Record<string, unknown> | undefined, field: string) => `${JSON.stringify(machine).slice(0, -1)},"extra2027":${field}}`;
  const cases = [
    // A page the scan splits: the item's own text is kept, and flattening its nested field walks the depth.
    ["an object nested in a field", `{"value":[${JSON.stringify(first)},${withField(second, deepObject)},${JSON.stringify(third)}]}`],
    // A line break in the item: its text cannot be the record's, so the machine is serialised again.
    [
      "an array nested in a field, the item across lines",
      `{"value":[${JSON.stringify(first)},\n${withField(second, deepArray).replace(',"extra2027"', ',\n"extra2027"')},${JSON.stringify(third)}]}`,
    ],
  ] as const;
  for (const [what, page] of cases) {
    body = Buffer.from(page);
    const outcome = await runOnPageServer({ includeInactive: true });
    if (outcome._tag === "Left") assert.fail(`${what}: ${outcome.left.code}: ${outcome.left.message}`);
    const result = outcome.right;
    assert.equal(result.summary.complete, true, what);
    assert.equal(result.summary.counts.fetched, 3, what);
    assert.equal(result.summary.counts.invalid, 1, what);
    assert.deepEqual(
      result.records.map((r) => r.sourceId),
      [String(first?.["id"]), String(third?.["id"])],
      what,
    );
    const warning = result.warnings.find((w) => w.code === "DEFENDER_INVALID_DEVICE");
    assert.equal(warning?.path, "page 1 › value[1]", what);
    assert.match(warning?.message ?? "", new RegExp(`^Skipped device ${String(second?.["id"])}: .*nested too deeply`), what);
  }
});

test("an item that is itself an array nested a million levels deep is one invalid device", async () => {
  const [first] = h.tenant.machines();
  body = Buffer.from(`{"value":[${JSON.stringify(first)},${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}]}`);
  const outcome = await runOnPageServer({ includeInactive: true });
  if (outcome._tag === "Left") assert.fail(`${outcome.left.code}: ${outcome.left.message}`);
  assert.equal(outcome.right.summary.counts.invalid, 1);
  assert.equal(outcome.right.records.length, 1);
  assert.equal(outcome.right.warnings.find((w) => w.code === "DEFENDER_INVALID_DEVICE")?.path, "page 1 › value[1].(root)");
});

test("pages with no device, each linking to another, are stopped at the first: ERR_API_PAGING, not a run without end", { timeout: 30_000 }, async () => {
  let served = 0;
  answer = (req, res) => {
    served += 1;
    const skip = Number(new URL(req.url ?? "/", pages.origin).searchParams.get("$skip") ?? 0);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ value: [], "@odata.nextLink": `${pages.origin}/api/machines?$top=10000&$skip=${skip + 1}` }));
  };
  const outcome = await runOnPageServer();
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_API_PAGING");
  assert.match(outcome.left.message, /no device and a link/);
  assert.equal(served, 1);
});

/**
 * A list of `count` devices served by `$top`/`$skip`; a page links to the request's own URL with the `$skip` that
 * `nextSkipOf` gives (none for null), and the query options in `alsoInLink` added.
 */
const listServer = (count: number, nextSkipOf: (skip: number, top: number, served: number) => number | null, alsoInLink: Record<string, string> = {}) => {
  const devices = Array.from({ length: count }, (_, i) => ({ id: `${i.toString(16).padStart(40, "0")}`, computerDnsName: `pc-${i}` }));
  const asked: number[] = [];
  answer = (req, res) => {
    const url = new URL(req.url ?? "/", pages.origin);
    const skip = Number(url.searchParams.get("$skip") ?? 0);
    const top = Number(url.searchParams.get("$top") ?? 10_000);
    asked.push(skip);
    const value = devices.slice(skip, skip + top);
    const nextSkip = nextSkipOf(skip, top, value.length);
    if (nextSkip !== null) url.searchParams.set("$skip", String(nextSkip));
    for (const [name, value] of Object.entries(alsoInLink)) url.searchParams.append(name, value);
    const link = nextSkip === null ? null : url.toString();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(link === null ? { value } : { value, "@odata.nextLink": link }));
  };
  return asked;
};

test("a nextLink that jumps ahead in the list is refused: ERR_API_PAGING, not a complete run with devices skipped", async () => {
  const asked = listServer(100, (skip) => (skip === 0 ? 90 : null));
  const outcome = await runOnPageServer({ pageSize: 10 });
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_API_PAGING");
  assert.match(outcome.left.message, /does not continue the list where the page ended \(expected \$skip=10/);
  assert.ok(!asked.includes(90), "the link was not followed");
  assert.equal(outcome.left.partial?.summary.coverage.edr?.missing, 0);
});

test("a nextLink that continues the list but changes the query (another option, a name in another case, one given twice) is refused", async () => {
  for (const extra of [{ $select: "id,healthStatus" }, { $Filter: "computerDnsName eq 'nothing'" }, { $SKIP: "10" }, { $orderby: "id desc" }] as Record<
    string,
    string
  >[]) {
    const asked = listServer(25, (skip, top, served) => (served === top ? skip + served : null), extra);
    const outcome = await runOnPageServer({ pageSize: 10 });
    assert.equal(outcome._tag, "Left", JSON.stringify(extra));
    if (outcome._tag !== "Left") return;
    assert.equal(outcome.left.code, "ERR_API_PAGING");
    assert.match(outcome.left.message, /and no other query option/);
    assert.deepEqual(asked, [0], "the link was not followed");
    assert.equal(outcome.left.partial?.summary.coverage.edr?.missing, 0);
  }
});

test("a nextLink chain that continues the list is followed to its short last page: every device read, complete", async () => {
  listServer(25, (skip, top, served) => (served === top ? skip + served : null));
  const outcome = await runOnPageServer({ pageSize: 10 });
  if (outcome._tag === "Left") assert.fail(`${outcome.left.code}: ${outcome.left.message}`);
  assert.equal(outcome.right.summary.complete, true);
  assert.equal(outcome.right.summary.counts.fetched, 25);
});

test("a full page a nextLink led to that names no next page is not the end: ERR_API_PAGING", async () => {
  listServer(40, (skip) => (skip === 0 ? 10 : null));
  const outcome = await runOnPageServer({ pageSize: 10 });
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_API_PAGING");
  assert.match(outcome.left.message, /full but named no next page/);
  assert.equal(outcome.left.partial?.summary.counts.fetched, 20);
});
