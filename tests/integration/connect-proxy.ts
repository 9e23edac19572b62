/**
 * A CONNECT proxy on loopback, as a corporate HTTPS proxy behaves: it opens a tunnel to the
 * host:port asked for and pipes bytes both ways (TLS stays end to end). It records each
 * tunnel's target.
 */
import { createServer } from "node:http";
import { connect, type Socket } from "node:net";

/** A running proxy. */
export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `host:port` of every tunnel opened, in order (clear it between tests). */
  readonly tunnels: string[];
  /** Closes the proxy and every tunnel still open. */
  close(): Promise<void>;
}

/** Starts a {@link ConnectProxy}; any request that is not CONNECT gets 405. */
export const startConnectProxy = async (): Promise<ConnectProxy> => {
  const tunnels: string[] = [];
  const clients = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket, head) => {
    tunnels.push(req.url ?? "");
    clients.add(client);
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("close", () => clients.delete(client));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    tunnels,
    close: () => {
      for (const client of clients) client.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
