import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimulatedFalcon } from "../../../src/simulator/index.js";
import type { SimulatedFalcon } from "../../../src/simulator/index.js";
import { envelope, getWith, httpFor, postToken, tokenFor, tokenForm } from "./helpers.js";

describe("simulated Falcon: token endpoint and clouds", () => {
  let falcon: SimulatedFalcon;
  before(async () => {
    falcon = await startSimulatedFalcon({ seed: 2, hosts: 30, homeRegion: "us-2" });
  });
  after(() => falcon.close());

  it("serves one origin per cloud and a credential naming the home cloud", () => {
    assert.deepEqual(Object.keys(falcon.clouds).sort(), ["eu-1", "us-1", "us-2", "us-gov-1"]);
    assert.equal(new Set(Object.values(falcon.clouds)).size, 4);
    assert.equal(falcon.apiBaseUrl, falcon.clouds["us-2"]);
    const c = falcon.credential();
    assert.equal(c["kind"], "crowdstrike-api-client");
    assert.match(c["clientId"] ?? "", /^[0-9a-f]{32}$/);
    assert.match(c["clientSecret"] ?? "", /^\w{40}$/);
    assert.equal(c["apiBaseUrl"], falcon.apiBaseUrl);
    assert.equal(falcon.credential("us-1")["apiBaseUrl"], falcon.clouds["us-1"]);
  });

  it("answers 201 with a bearer token of about 1 KB, expires_in 1799 and X-Cs-Region", async () => {
    const res = await postToken(falcon, tokenForm(falcon));
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers["x-cs-region"], "us-2");
    assert.match(String(res.headers["x-cs-traceid"]), /^[0-9a-f-]{36}$/);
    assert.equal(res.headers["x-ratelimit-limit"], "300");
    const body = JSON.parse(res.body) as { access_token: string; token_type: string; expires_in: number };
    assert.equal(body.token_type, "bearer");
    assert.equal(body.expires_in, 1799);
    assert.ok(body.access_token.length > 900 && body.access_token.length < 1400, `token length ${body.access_token.length}`);
  });

  it("accepts the credentials in HTTP Basic too", async () => {
    const f = tokenForm(falcon);
    const basic = Buffer.from(`${f["client_id"]}:${f["client_secret"]}`).toString("base64");
    const res = await httpFor(falcon).post(`${falcon.apiBaseUrl}/oauth2/token`, {
      form: { grant_type: "client_credentials" },
      headers: { authorization: `Basic ${basic}` },
    });
    assert.equal(res.statusCode, 201);
  });

  it("refuses an unknown client with 400 and a wrong secret with 403, with csam bodies", async () => {
    const unknown = await postToken(falcon, { client_id: "0".repeat(32), client_secret: "x".repeat(40) });
    assert.equal(unknown.statusCode, 400);
    assert.equal(envelope(unknown).errors[0]?.message, `Failed to generate access token for clientID=${"0".repeat(32)}.`);
    assert.equal(envelope(unknown).meta.powered_by, "csam");
    const wrong = await postToken(falcon, { ...tokenForm(falcon), client_secret: "y".repeat(40) });
    assert.equal(wrong.statusCode, 403);
    assert.equal(envelope(wrong).errors[0]?.message, "Failed to issue access token - Not Authorized");
    assert.equal(wrong.headers["x-cs-traceid"], envelope(wrong).meta.trace_id);
    assert.equal(wrong.headers["x-cs-region"], "us-2");
  });

  it("refuses a client outside its IP allow-list with 403 access denied, authorization failed", async () => {
    const res = await postToken(falcon, tokenForm(falcon, "ip-restricted"));
    assert.equal(res.statusCode, 403);
    assert.equal(envelope(res).errors[0]?.message, "access denied, authorization failed");
  });

  it("redirects a token request at another cloud with 308, Location and X-Cs-Region, empty body", async () => {
    const res = await postToken(falcon, tokenForm(falcon), falcon.clouds["us-1"]);
    assert.equal(res.statusCode, 308);
    assert.equal(res.headers.location, `${falcon.clouds["us-2"]}/oauth2/token`);
    assert.equal(res.headers["x-cs-region"], "us-2");
    assert.equal(res.body, "");
  });

  it("accepts a token only on the cloud that issued it", async () => {
    const token = await tokenFor(falcon);
    const home = await getWith(falcon, token, "/devices/queries/devices/v1?limit=1");
    assert.equal(home.statusCode, 200);
    const elsewhere = await getWith(falcon, token, "/devices/queries/devices/v1?limit=1", falcon.clouds["eu-1"]);
    assert.equal(elsewhere.statusCode, 401);
    assert.equal(envelope(elsewhere).errors[0]?.message, "access denied, invalid bearer token");
    assert.equal(elsewhere.headers["x-ratelimit-limit"], "15");
  });

  it("answers 403 scope not permitted to a token without devices:read", async () => {
    const token = await tokenFor(falcon, "no-scope");
    const res = await getWith(falcon, token, "/devices/combined/devices/v1?limit=1");
    assert.equal(res.statusCode, 403);
    assert.equal(envelope(res).errors[0]?.message, "access denied, scope not permitted");
  });

  it("stops accepting a token after its lifetime on the simulator's clock, and after revoke", async () => {
    falcon.knobs.tokenLifetimeSeconds = 60;
    try {
      const res = await postToken(falcon, tokenForm(falcon));
      const { access_token: token, expires_in } = JSON.parse(res.body) as { access_token: string; expires_in: number };
      assert.equal(expires_in, 60);
      assert.equal((await getWith(falcon, token, "/devices/queries/devices/v1?limit=1")).statusCode, 200);
      falcon.advanceClock(61_000);
      assert.equal((await getWith(falcon, token, "/devices/queries/devices/v1?limit=1")).statusCode, 401);
    } finally {
      falcon.knobs.tokenLifetimeSeconds = 1799;
    }
    const token = await tokenFor(falcon);
    const f = tokenForm(falcon);
    const basic = Buffer.from(`${f["client_id"]}:${f["client_secret"]}`).toString("base64");
    const revoked = await httpFor(falcon).post(`${falcon.apiBaseUrl}/oauth2/revoke`, { form: { token }, headers: { authorization: `basic ${basic}` } });
    assert.equal(revoked.statusCode, 200);
    assert.equal((await getWith(falcon, token, "/devices/queries/devices/v1?limit=1")).statusCode, 401);
  });
});
