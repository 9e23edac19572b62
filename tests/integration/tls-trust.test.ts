/**
 * Extra CAs (`extraCaPem`) through the one HTTP stack: every connection, direct or through a
 * CONNECT proxy, shares one TLS context built on first use (Node would otherwise parse the
 * ~140 system roots again for each new connection), and the trust it carries is still enforced.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { syncBuiltinESMExports } from "node:module";
import tls from "node:tls";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { makeTlsMaterial } from "../../src/simulator/ca.js";
import { createHttpClient } from "../../src/runtime/http/client.js";
import { startConnectProxy, type ConnectProxy } from "./connect-proxy.js";

let tenant: SimulatedTenant;
let proxy: ConnectProxy;

/** TLS contexts built since the last reset, by anyone in this process (Node's per-connection ones included). */
let contextsBuilt = 0;
const original = tls.createSecureContext;

before(async () => {
  tls.createSecureContext = (...args: Parameters<typeof original>) => {
    contextsBuilt += 1;
    return original(...args);
  };
  syncBuiltinESMExports();
  tenant = await startSimulatedTenant({ devices: 1 });
  proxy = await startConnectProxy();
});
after(async () => {
  tls.createSecureContext = original;
  syncBuiltinESMExports();
  await proxy.close();
  await tenant.close();
});

const metadata = (): string => `${tenant.origin}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`;

/** `n` requests at once (so that each needs a connection of its own); the local ports of the TLS connections they opened. */
const concurrently = async (http: ReturnType<typeof createHttpClient>, n: number): Promise<Set<number>> => {
  const ports = new Set<number>();
  const responses = await Promise.all(
    Array.from({ length: n }, () =>
      http
        .get(metadata())
        .on("request", (request) => request.once("socket", (socket: Socket) => socket.once("secureConnect", () => ports.add(socket.localPort ?? 0)))),
    ),
  );
  for (const response of responses) assert.equal(response.statusCode, 200);
  return ports;
};

test("extra CAs, direct: four connections at once share one TLS context", async () => {
  const http = createHttpClient({ extraCaPem: tenant.caPem, retryLimit: 0 });
  contextsBuilt = 0;
  const ports = await concurrently(http, 4);
  assert.equal(ports.size, 4, "each request had a connection of its own");
  assert.equal(contextsBuilt, 1);
  await concurrently(http, 4); // kept-alive connections, or new ones: still no new context
  assert.equal(contextsBuilt, 1);
});

test("extra CAs, through a proxy: the shared context verifies the target at the end of the tunnel", async () => {
  const http = createHttpClient({ extraCaPem: [tenant.caPem], retryLimit: 0, proxy: () => proxy.url });
  proxy.tunnels.length = 0;
  contextsBuilt = 0;
  const ports = await concurrently(http, 3);
  assert.equal(ports.size, 3);
  assert.equal(proxy.tunnels.length, 3);
  assert.ok(proxy.tunnels.every((t) => t === new URL(tenant.origin).host));
  assert.equal(contextsBuilt, 1);
});

test("the shared context trusts only what it was given: another CA's PEM does not verify the tenant", async () => {
  const other = await makeTlsMaterial("00000000-0000-4000-a000-000000000000");
  for (const proxyResolver of [undefined, () => proxy.url]) {
    const http = createHttpClient({ extraCaPem: other.caPem, retryLimit: 0, proxy: proxyResolver });
    await assert.rejects(http.get(metadata()), (e: Error & { code?: string }) => /CERT|SELF_SIGNED|UNABLE_TO/.test(String(e.code)));
  }
});
