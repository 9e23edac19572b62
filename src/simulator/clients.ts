/**
 * The tenant's app registrations: the default ones made at start (a secret client and a
 * certificate client) and a lookup that pre-parses each registered certificate.
 */
import { randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { makeClientCertificate, parseCertificate } from "./ca.js";
import { thumbprints } from "./jwt.js";
import type { SimulatedClient } from "./options.js";
import { guidFrom } from "./tokens.js";

/** A client plus what verifying its assertions needs. */
export interface RegisteredClient {
  readonly client: SimulatedClient;
  /** The registered certificate's public key and thumbprints, when it has one. */
  readonly certificate: { readonly publicKey: KeyObject; readonly x5t: string; readonly x5tS256: string } | null;
}

/** A secret shaped like Entra's (40 characters with the `8Q~` marker). */
export const newClientSecret = (): string => {
  const raw = randomBytes(30).toString("base64url").replace(/[-_]/g, "x");
  return `${raw.slice(0, 3)}8Q~${raw.slice(3, 37)}`;
};

/** The subject of the default workload-identity client's federated credential (a Kubernetes service account). */
export const DEFAULT_FEDERATED_SUBJECT = "system:serviceaccount:scan:scan-probes";

/** The default clients: a secret client, a certificate client, a workload-identity client and the host's system-assigned managed identity, each with `Machine.Read.All`. */
export const defaultClients = async (tenantId: string): Promise<SimulatedClient[]> => {
  const cert = await makeClientCertificate("scan-probes simulated app");
  return [
    { clientId: guidFrom(`${tenantId}/secret-app`), clientSecret: newClientSecret(), roles: ["Machine.Read.All"], displayName: "Asset Inventory Sync" },
    {
      clientId: guidFrom(`${tenantId}/certificate-app`),
      certificatePem: cert.certificatePem,
      privateKeyPem: cert.privateKeyPem,
      roles: ["Machine.Read.All"],
      displayName: "Asset Inventory Sync (certificate)",
    },
    {
      clientId: guidFrom(`${tenantId}/workload-app`),
      federatedSubject: DEFAULT_FEDERATED_SUBJECT,
      roles: ["Machine.Read.All"],
      displayName: "Asset Inventory Sync (workload identity)",
    },
    { clientId: guidFrom(`${tenantId}/system-identity`), managedIdentity: "system-assigned", roles: ["Machine.Read.All"], displayName: "scan-host" },
  ];
};

/** Indexes clients by lowercase client id; throws TypeError on a duplicate id or an unreadable certificate. */
export const registerClients = (clients: readonly SimulatedClient[]): ReadonlyMap<string, RegisteredClient> => {
  const out = new Map<string, RegisteredClient>();
  for (const client of clients) {
    const id = client.clientId.toLowerCase();
    if (out.has(id)) throw new TypeError(`simulator option clients: duplicate clientId ${client.clientId}`);
    let certificate: RegisteredClient["certificate"] = null;
    if (client.certificatePem !== undefined) {
      let x509;
      try {
        x509 = parseCertificate(client.certificatePem);
      } catch (e) {
        throw new TypeError(`simulator option clients: certificatePem of ${client.clientId} is not a PEM certificate (${(e as Error).message})`, { cause: e });
      }
      certificate = { publicKey: x509.publicKey, ...thumbprints(x509.raw) };
    }
    out.set(id, { client, certificate });
  }
  return out;
};
