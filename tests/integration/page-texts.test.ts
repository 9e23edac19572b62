/**
 * The page reader hands over each item with its id and its JSON text as the service sent it,
 * parsed when asked for, after the one-device overlap between pages is dropped. Against a
 * local HTTPS page server.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import got, { type Got } from "got";
import { readPages } from "../../src/probes/defender365/pages.js";
import { startPageServer, type PageServer } from "./page-server.js";

const DEVICES = 350;
const PAGE_SIZE = 100; // pages overlap by one device: skips 0, 99, 198, 297; the fourth (53 devices) is short
let server: PageServer;
let client: Got;

before(async () => {
  server = await startPageServer((req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const top = Number(url.searchParams.get("$top"));
    const skip = Number(url.searchParams.get("$skip"));
    const value = Array.from({ length: Math.max(0, Math.min(top, DEVICES - skip)) }, (_, i) => ({ id: `m${skip + i}` }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ "@odata.context": "x", value }));
  });
  client = got.extend({ https: { certificateAuthority: server.certPem }, retry: { limit: 0 } });
});
after(() => server.close());

test("each page's items come with their id and JSON text as sent, parsed when asked for, the overlap dropped", async () => {
  const ids: string[] = [];
  for await (const page of readPages(client, { apiBaseUrl: server.origin, pageSize: PAGE_SIZE })) {
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
