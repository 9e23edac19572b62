/** The CrowdStrike options, the credential codec and its environment reader, and where the secret may go. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { crowdstrikeOptions } from "../../../src/probes/crowdstrike/options.js";
import { FalconApiClientCodec, falconCredentialFromEnvironment } from "../../../src/probes/crowdstrike/credential.js";
import { resolveEndpoints } from "../../../src/probes/crowdstrike/endpoints.js";
import { crowdstrike } from "../../../src/probes/crowdstrike/index.js";
import { issuesOf } from "../../../src/util/decode.js";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "s3cr3tValueThatMustNeverBeEchoed0123456789";
const credential = (extra: Record<string, unknown> = {}) => {
  const decoded = FalconApiClientCodec.decode({ kind: "crowdstrike-api-client", clientId: CLIENT_ID, clientSecret: SECRET, ...extra });
  assert.equal(decoded._tag, "Right");
  return decoded._tag === "Right" ? decoded.right : (undefined as never);
};
const options = (given: unknown) => {
  const decoded = crowdstrikeOptions.codec.decode(given);
  assert.equal(decoded._tag, "Right", JSON.stringify(decoded._tag === "Left" ? issuesOf(decoded.left) : null));
  return decoded._tag === "Right" ? decoded.right : (undefined as never);
};

test("options: every default from {}; unknown keys and bad values refused by name", () => {
  assert.deepEqual(options({}), {
    cloud: "auto",
    excludeUnknown: false,
    includeInactive: false,
    inactiveAfterDays: 7,
    siteId: null,
    pageSize: 10_000,
    maxPageBytes: 256 * 1024 * 1024,
    maxDevices: 5_000_000,
    pageDeadlineMs: 600_000,
  });
  const bad = crowdstrikeOptions.codec.decode({
    cloud: "mars-1",
    pageSize: 10_001,
    inactiveAfterDays: 0,
    filter: "",
    colud: "us-2",
    maxPageBytes: 1023,
    pageDeadlineMs: 0,
  });
  assert.equal(bad._tag, "Left");
  const fields = bad._tag === "Left" ? issuesOf(bad.left).map((i) => i.field) : [];
  assert.deepEqual(fields.sort(), ["cloud", "colud", "filter", "inactiveAfterDays", "maxPageBytes", "pageDeadlineMs", "pageSize"]);
  assert.equal(options({ cloud: "US-GOV-1" }).cloud, "us-gov-1");
});

test("credential: fields named with their fix, values never echoed; extra fields (id, toggles) ignored", () => {
  const bad = FalconApiClientCodec.decode({
    kind: "crowdstrike-api-client",
    clientId: "not-hex-and-secret-like-XYZ",
    clientSecret: " ",
    memberCid: SECRET,
    apiBaseUrl: "http://x",
  });
  assert.equal(bad._tag, "Left");
  const issues = bad._tag === "Left" ? issuesOf(bad.left) : [];
  assert.deepEqual(issues.map((i) => i.field).sort(), ["apiBaseUrl", "clientId", "clientSecret", "memberCid"]);
  assert.ok(!JSON.stringify(issues).includes(SECRET) && !JSON.stringify(issues).includes("not-hex"));
  assert.equal(credential({ id: "falcon-prod", CrowdStrike: true }).clientId, CLIENT_ID);
  assert.equal(credential({ clientId: CLIENT_ID.toUpperCase() }).clientId, CLIENT_ID);
});

test("credential from the environment: FALCON_* read, missing ones named, values never echoed", () => {
  const ok = falconCredentialFromEnvironment({
    FALCON_CLIENT_ID: CLIENT_ID,
    FALCON_CLIENT_SECRET: SECRET,
    FALCON_MEMBER_CID: "abcdefabcdefabcdefabcdefabcdefab-1a",
  });
  assert.equal(ok._tag, "Right");
  assert.equal(ok._tag === "Right" ? ok.right.memberCid : undefined, "abcdefabcdefabcdefabcdefabcdefab-1a");
  const missing = falconCredentialFromEnvironment({ FALCON_CLIENT_ID: CLIENT_ID });
  assert.deepEqual(missing._tag === "Left" ? issuesOf(missing.left).map((i) => i.field) : [], ["FALCON_CLIENT_SECRET"]);
  const bad = falconCredentialFromEnvironment({ FALCON_CLIENT_ID: "zz", FALCON_CLIENT_SECRET: SECRET, FALCON_API_BASE_URL: "http://evil.example" });
  const issues = bad._tag === "Left" ? issuesOf(bad.left) : [];
  assert.deepEqual(issues.map((i) => i.field).sort(), ["FALCON_API_BASE_URL", "FALCON_CLIENT_ID"]);
  assert.ok(!JSON.stringify(issues).includes(SECRET));
  assert.equal(crowdstrike.credentialKinds[0]?.fromEnvironment, falconCredentialFromEnvironment);
});

test("credential codec: any JSON gives a value or a decode error, never a throw", () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => void FalconApiClientCodec.decode(value)));
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => void crowdstrikeOptions.codec.decode(value)));
});

test("endpoints: the secret goes to a Falcon host, or the credential's host; anything else is refused before any call", () => {
  assert.deepEqual(resolveEndpoints(credential(), options({})), {
    _tag: "Right",
    right: { cloud: "auto", apiBaseUrl: "https://api.crowdstrike.com", source: "cloud", scrollOnly: false },
  });
  const eu = resolveEndpoints(credential(), options({ cloud: "eu-1" }));
  assert.equal(eu._tag === "Right" ? eu.right.apiBaseUrl : "", "https://api.eu-1.crowdstrike.com");
  const gov = resolveEndpoints(credential(), options({ cloud: "us-gov-1" }));
  assert.equal(gov._tag === "Right" && gov.right.scrollOnly, true);
  const own = credential({ apiBaseUrl: "https://127.0.0.1:8443" });
  const otherPort = resolveEndpoints(own, options({ apiBaseUrl: "https://127.0.0.1:9443" }));
  assert.equal(otherPort._tag === "Right" ? otherPort.right.apiBaseUrl : "", "https://127.0.0.1:9443");
  assert.equal(resolveEndpoints(own, options({}))._tag, "Right");
  const foreign = resolveEndpoints(credential(), options({ apiBaseUrl: "https://collector.example" }));
  assert.deepEqual(foreign._tag === "Left" ? foreign.left.map((i) => i.field) : [], ["apiBaseUrl"]);
  const disagree = resolveEndpoints(credential(), options({ cloud: "us-2", apiBaseUrl: "https://api.eu-1.crowdstrike.com" }));
  assert.equal(disagree._tag, "Left");
  // checkInput says the same, before any network call
  assert.deepEqual(
    crowdstrike.checkInput?.(credential(), options({ apiBaseUrl: "https://collector.example" })).map((i) => i.field),
    ["apiBaseUrl"],
  );
});
