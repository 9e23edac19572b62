/**
 * The CrowdStrike probe's sign-in and `verify` over real HTTPS: a wrong secret, an unknown
 * client, a client without the Hosts: Read scope, one behind an IP allow-list, options that
 * would send the secret elsewhere (refused before any call), and what `verify` says.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startFalconHarness } from "./falcon-harness.js";

test("sign-in refusals: each with its own code and fix, the trace id, never the secret", async () => {
  const h = await startFalconHarness({ hosts: 10 });
  try {
    const secret = h.credential().clientSecret;
    const wrong = await h.run({ credential: h.credential(undefined, { clientSecret: `${secret}x` }) });
    assert.equal(wrong._tag === "Left" && wrong.left.code, "ERR_FALCON_BAD_SECRET");
    assert.match(wrong._tag === "Left" ? wrong.left.message : "", /Trace id: /);
    const unknown = await h.run({ credential: h.credential(undefined, { clientId: randomBytes(16).toString("hex") }) });
    assert.equal(unknown._tag === "Left" && unknown.left.code, "ERR_FALCON_UNKNOWN_CLIENT");
    const noScope = await h.run({ credential: h.credential({ client: "no-scope" }) });
    assert.equal(noScope._tag === "Left" && noScope.left.code, "ERR_FALCON_SCOPE_MISSING");
    assert.match(noScope._tag === "Left" ? noScope.left.hint : "", /Hosts: Read/);
    const allowList = await h.run({ credential: h.credential({ client: "ip-restricted" }) });
    assert.equal(allowList._tag === "Left" && allowList.left.code, "ERR_FALCON_IP_NOT_ALLOWED");
    for (const result of [wrong, unknown, noScope, allowList]) {
      const text = JSON.stringify(result);
      for (const client of h.falcon.clients) assert.ok(!text.includes(client.clientSecret), "no secret in any error");
      assert.equal(result._tag === "Left" && result.left.partial?.summary.coverage["edr"]?.missing, 0);
    }
  } finally {
    await h.close();
  }
});

test("an apiBaseUrl option the credential does not allow: ERR_INPUT naming it, nothing sent", async () => {
  const h = await startFalconHarness({ hosts: 10 });
  try {
    const result = await h.run({ options: { apiBaseUrl: "https://falcon.attacker.example" } });
    assert.equal(result._tag === "Left" && result.left.code, "ERR_INPUT");
    assert.deepEqual(result._tag === "Left" && result.left._tag === "InputError" ? result.left.issues.map((i) => i.field) : [], ["apiBaseUrl"]);
    const verify = await h.verify({ options: { apiBaseUrl: "https://falcon.attacker.example" } });
    assert.equal(verify._tag === "Left" && verify.left.code, "ERR_INPUT");
    assert.deepEqual(h.falcon.stats.byRegion, {});
  } finally {
    await h.close();
  }
});

test("verify: where the secret goes, the cloud reached and the redirect followed, the scope, one host read; no secret or token", async () => {
  const h = await startFalconHarness({ hosts: 10, homeRegion: "us-2" });
  try {
    const ok = await h.verify({ credential: h.credential("us-1") });
    assert.equal(ok._tag, "Right");
    const report = ok._tag === "Right" ? ok.right : (undefined as never);
    assert.equal(report.ok, true);
    const text = report.steps.map((s) => `${s.outcome} ${s.text}`).join("\n");
    assert.match(text, new RegExp(`signed in at ${h.falcon.clouds["us-2"]}, cloud us-2 \\(redirected from ${h.falcon.clouds["us-1"]}\\)`));
    assert.match(text, /passed the API client has the Hosts: Read scope: GET \/devices\/combined\/devices\/v1\?limit=1 answered with 1 host/);
    const noScope = await h.verify({ credential: h.credential({ region: "us-2", client: "no-scope" }) });
    assert.equal(noScope._tag === "Right" && noScope.right.ok, false);
    const last = noScope._tag === "Right" ? noScope.right.steps.at(-1) : undefined;
    assert.equal(last?.outcome, "failed");
    assert.match(last?.text ?? "", /lacks the Hosts: Read scope/);
    const wrong = await h.verify({ credential: h.credential("us-2", { clientSecret: "not-the-secret" }) });
    assert.equal(wrong._tag === "Right" && wrong.right.ok, false);
    assert.match(wrong._tag === "Right" ? (wrong.right.steps.at(-1)?.text ?? "") : "", /sign-in: .*refused the API client's secret/);
    const everything = JSON.stringify([ok, noScope, wrong]);
    for (const client of h.falcon.clients) assert.ok(!everything.includes(client.clientSecret));
  } finally {
    await h.close();
  }
});

test("verify on GovCloud reads one host by scroll", async () => {
  const h = await startFalconHarness({ hosts: 10, homeRegion: "us-gov-1", knobs: { combinedUnavailable: 404 } });
  try {
    const ok = await h.verify({ credential: h.credential("us-gov-1"), options: { cloud: "us-gov-1" } });
    assert.equal(ok._tag === "Right" && ok.right.ok, true);
    assert.equal(h.falcon.stats.byEndpoint["GET /devices/combined/devices/v1"], undefined);
    assert.equal(h.falcon.stats.byEndpoint["GET /devices/queries/devices-scroll/v1"], 1);
  } finally {
    await h.close();
  }
});
