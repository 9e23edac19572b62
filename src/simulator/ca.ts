/**
 * Key material made at start: a throw-away certificate authority, the HTTPS server
 * certificate it signs (SAN `localhost`, 127.0.0.1, ::1), the token-signing key, and client
 * certificates for certificate credentials. Nothing is written to disk.
 */
import { generateKeyPair, randomBytes, X509Certificate } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { generate } from "selfsigned";

const generateRsa = promisify(generateKeyPair);
const DAY_MS = 86_400_000;

/** PEMs of the server's TLS identity and the CA to trust. */
export interface TlsMaterial {
  /** CA certificate PEM: give it to got (`https.certificateAuthority`) or NODE_EXTRA_CA_CERTS. */
  readonly caPem: string;
  readonly serverKeyPem: string;
  readonly serverCertPem: string;
}

/**
 * A CA (EC P-256, basicConstraints CA) and a server certificate it signs for `localhost`,
 * `127.0.0.1` and `::1`, valid for 30 days from now. The CA's subject names `tenantId` and a
 * random serial: a process trusting the CAs of several tenants (one NODE_EXTRA_CA_CERTS
 * file) finds each server's issuer by subject, and two CAs of one subject would be confused.
 */
export const makeTlsMaterial = async (tenantId: string): Promise<TlsMaterial> => {
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const notAfterDate = new Date(Date.now() + 30 * DAY_MS);
  const ca = await generate(
    [
      { name: "commonName", value: `scan-probes simulated tenant CA ${randomBytes(4).toString("hex")}` },
      { name: "organizationName", value: `scan-probes simulated tenant ${tenantId}` },
    ],
    {
      keyType: "ec",
      algorithm: "sha256",
      notBeforeDate,
      notAfterDate,
      extensions: [
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    },
  );
  const server = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { caPem: ca.cert, serverKeyPem: server.private, serverCertPem: server.cert };
};

/** An RSA-2048 key pair (token signing). */
export const makeSigningKey = async (): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> => generateRsa("rsa", { modulusLength: 2048 });

/** A self-signed RSA certificate and its key, as an app registration's certificate credential. */
export interface ClientCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Makes a client certificate (RSA-2048, SHA-256, 1 year) with the given common name. */
export const makeClientCertificate = async (commonName: string): Promise<ClientCertificate> => {
  const keys = await generateRsa("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const cert = await generate([{ name: "commonName", value: commonName }], {
    algorithm: "sha256",
    keyPair: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    notAfterDate: new Date(Date.now() + 365 * DAY_MS),
  });
  return { certificatePem: cert.cert, privateKeyPem: keys.privateKey };
};

/** Parses a PEM certificate (throws on malformed input). */
export const parseCertificate = (pem: string): X509Certificate => new X509Certificate(pem);
