/**
 * A bare HTTPS server on loopback with its own self-signed certificate, for tests that need
 * page bodies the simulated tenant would never send.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { generate } from "selfsigned";

/** A running page server. */
export interface PageServer {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Its certificate (PEM), to trust. */
  readonly certPem: string;
  /** Closes it and every connection. */
  readonly close: () => void;
}

/** Starts a server that answers every request with `handle`. */
export const startPageServer = async (handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<PageServer> => {
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  } as Parameters<typeof generate>[1]);
  const server = createServer({ key: pems.private, cert: pems.cert }, handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
    certPem: pems.cert,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
};
