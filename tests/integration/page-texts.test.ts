/**
 * The page reader hands over each item with its id and its JSON text as the service sent it,
 * parsed when asked for, after the one-device overlap between pages is dropped. Against a
 * local HTTPS page server.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import got, { type Got } from "got";
import { generate } from "selfsigned";
import { readPages } from "../../src/probes/defender365/pages.js";

const DEVICES = 350;
const PAGE_SIZE = 100; // pages overlap by one device: skips 0, 99, 198, 297; the fourth (53 devices) is short
let server: Server;
let origin: string;
let client: Got;

before(async () => {
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  } as Parameters<typeof generate>[1]);
  server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const top = Number(url.searchParams.get("$top"));
    const skip = Number(url.searchParams.get("$skip"));
    const value = Array.from({ length: Math.max(0, Math.min(top, DEVICES - skip)) }, (_, i) => ({ id: `m${skip + i}` }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ "@odata.context": "x", value }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  client = got.extend({ https: { certificateAuthority: pems.cert }, retry: { limit: 0 } });
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test("each page's items come with their id and JSON text as sent, parsed when asked for, the overlap dropped", async () => {
  const ids: string[] = [];
  for await (const page of readPages(client, { apiBaseUrl: origin, pageSize: PAGE_SIZE })) {
    for (let index = 0; index < page.items.length; index++) {
      const item = page.items.itemAt(index) as { id: string };
      assert.equal(page.items.textAt(index), JSON.stringify(item), `page ${page.number}, item ${index}`);
      assert.equal(page.items.idAt(index), item.id);
      ids.push(item.id);
    }
  }
  assert.equal(ids.length, DEVICES, "each device once");
  assert.equal(new Set(ids).size, DEVICES);
});
