/**
 * API clients and bearer tokens (reference §1): client ids and secrets, scopes, an IP
 * allow-list, member CIDs; tokens about 1 KB long, bound to the cloud that issued them and
 * to a lifetime on the simulator's clock, revocable one by one or all at once.
 */
import { randomBytes } from "node:crypto";
import { newClientId, newClientSecret } from "./ids.js";

/** An API client of the simulated customer. */
export interface FalconApiClient {
  /** 32 hex. */
  readonly clientId: string;
  /** 40 word characters. */
  readonly clientSecret: string;
  /** Granted scopes: `devices:read` is "Hosts: Read". */
  readonly scopes: readonly string[];
  /** Source addresses the client may sign in from; absent for any. */
  readonly allowedIps?: readonly string[];
  /** A child CID this (parent) client may lock its tokens to with `member_cid`. */
  readonly memberCid?: string;
  /** What it is for, for tests: `hosts-read`, `no-scope`, `ip-restricted`. */
  readonly name?: string;
}

/** The default clients: one with Hosts: Read, one with no scope, one allowed only from 203.0.113.99. */
export const defaultFalconClients = (): FalconApiClient[] => [
  { name: "hosts-read", clientId: newClientId(), clientSecret: newClientSecret(), scopes: ["devices:read"] },
  { name: "no-scope", clientId: newClientId(), clientSecret: newClientSecret(), scopes: [] },
  { name: "ip-restricted", clientId: newClientId(), clientSecret: newClientSecret(), scopes: ["devices:read"], allowedIps: ["203.0.113.99"] },
];

/** What a valid token stands for. */
export interface TokenGrant {
  readonly client: FalconApiClient;
  readonly region: string;
  readonly cid: string;
  readonly expiresAtMs: number;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Issued tokens. */
export class TokenBook {
  private readonly grants = new Map<string, TokenGrant>();

  /** Issues a token for `client` at `region` (about 1.1 KB, JWT-shaped, opaque to clients). */
  issue(client: FalconApiClient, region: string, cid: string, nowMs: number, lifetimeSeconds: number): string {
    const header = b64url({ alg: "RS256", kid: "public:simulated", typ: "JWT" });
    const payload = b64url({
      aud: [],
      client_id: client.clientId,
      exp: Math.floor(nowMs / 1000) + lifetimeSeconds,
      ext: {},
      iat: Math.floor(nowMs / 1000),
      iss: `https://api.${region}.crowdstrike.simulated/`,
      jti: randomBytes(16).toString("hex"),
      nbf: Math.floor(nowMs / 1000),
      scp: [],
      sub: client.clientId,
    });
    const token = `${header}.${payload}.${randomBytes(512).toString("base64url")}`;
    this.grants.set(token, { client, region, cid, expiresAtMs: nowMs + lifetimeSeconds * 1000 });
    return token;
  }

  /** The grant of `token` if it is known, unexpired at `nowMs` and issued by `region`; else null. */
  check(token: string, region: string, nowMs: number): TokenGrant | null {
    const grant = this.grants.get(token);
    if (grant === undefined || grant.region !== region) return null;
    if (grant.expiresAtMs <= nowMs) {
      this.grants.delete(token);
      return null;
    }
    return grant;
  }

  /** Forgets `token`; false when it was not known. */
  revoke(token: string): boolean {
    return this.grants.delete(token);
  }

  /** Forgets every token. */
  revokeAll(): void {
    this.grants.clear();
  }
}
