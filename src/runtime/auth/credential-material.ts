/**
 * What msal signs in with, made from a decoded credential at sign-in: the secret (inline
 * or read from its file), the certificate's thumbprint and unencrypted key (inline or read
 * from one PEM file, decrypted with node:crypto), or a reader of the federated token file.
 * Every failure is an `ERR_CREDENTIAL_SOURCE` naming the field and the file, never a value.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import type { Credential } from "../../azure/credentials.js";
import type { AuthError } from "../../engine/errors.js";

/** Reads a text file (node:fs/promises `readFile(path, "utf8")` in production; tests may pass their own). */
export type ReadTextFile = (path: string) => Promise<string>;

/** What msal is configured with. */
export type SignInMaterial =
  | { readonly kind: "secret"; readonly clientSecret: string }
  | { readonly kind: "certificate"; readonly thumbprintSha256: string; readonly privateKey: string; readonly x5c: string }
  | { readonly kind: "assertion"; readonly read: () => Promise<string> }
  | { readonly kind: "managed-identity"; readonly clientId: string | undefined };

/** Material plus the strings that must never appear in output. */
export interface LoadedMaterial {
  readonly material: SignInMaterial;
  readonly secrets: readonly string[];
}

const sourceError = (message: string, hint: string): AuthError => ({ _tag: "AuthError", code: "ERR_CREDENTIAL_SOURCE", message, hint });

const describeReadError = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : typeof code === "string" ? code : "unreadable";
};

/** Reads `path` for `field`; a failure names both. */
export const readSourceFile = async (read: ReadTextFile, path: string, field: string): Promise<string | AuthError> => {
  try {
    return await read(path);
  } catch (error) {
    return sourceError(`Cannot read ${field} ${path} (${describeReadError(error)}).`, `Check that ${field} names a file this process can read.`);
  }
};

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/**
 * Checks a certificate and its key locally (readable, the key belongs to the certificate,
 * not expired); decrypts an encrypted key with `password`. Gives the SHA-256 thumbprint,
 * the key as unencrypted PKCS#8 PEM (what msal takes) and the certificate as x5c.
 */
export const checkCertificate = (
  certificate: string,
  privateKey: string,
  password?: string,
): { thumbprintSha256: string; privateKey: string; x5c: string } | AuthError => {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificate);
  } catch {
    return {
      _tag: "AuthError",
      code: "ERR_AUTH_CERTIFICATE_INVALID",
      message: "The certificate could not be read.",
      hint: "Give it as PEM (-----BEGIN CERTIFICATE-----).",
    };
  }
  const encrypted = /ENCRYPTED/.test(privateKey);
  if (encrypted && password === undefined) {
    return sourceError(
      "The private key is encrypted and no password was given.",
      "Set certificatePassword (AZURE_CLIENT_CERTIFICATE_PASSWORD), or export the key unencrypted.",
    );
  }
  let key;
  try {
    key = createPrivateKey(encrypted ? { key: privateKey, format: "pem", passphrase: password } : privateKey);
  } catch {
    return encrypted
      ? sourceError(
          "The private key could not be decrypted: wrong certificatePassword.",
          "Give the password the key was exported with (AZURE_CLIENT_CERTIFICATE_PASSWORD).",
        )
      : {
          _tag: "AuthError",
          code: "ERR_AUTH_CERTIFICATE_INVALID",
          message: "The private key could not be read.",
          hint: "Give it as PEM: a PKCS#8 or PKCS#1 'PRIVATE KEY' block, or an 'ENCRYPTED PRIVATE KEY' with certificatePassword.",
        };
  }
  const fromKey = createPublicKey(key).export({ type: "spki", format: "der" });
  const fromCert = cert.publicKey.export({ type: "spki", format: "der" });
  if (!fromKey.equals(fromCert)) {
    return {
      _tag: "AuthError",
      code: "ERR_AUTH_CERTIFICATE_INVALID",
      message: "The private key does not belong to the certificate.",
      hint: "Export the certificate and its own private key together (PEM), and upload that certificate to the app registration.",
    };
  }
  if (Date.parse(cert.validTo) < Date.now()) {
    return {
      _tag: "AuthError",
      code: "ERR_AUTH_CERTIFICATE_INVALID",
      message: `The certificate expired on ${cert.validTo}.`,
      hint: "Create a new certificate, upload it to the app registration and update the credential.",
    };
  }
  return {
    thumbprintSha256: cert.fingerprint256.replace(/:/g, ""),
    privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
    x5c: cert.toString(),
  };
};

/**
 * Makes the sign-in material of `credential`, reading the files it names with `read`.
 * The federated token file is not read here but at every sign-in (it rotates).
 */
export const loadMaterial = async (credential: Credential, read: ReadTextFile): Promise<LoadedMaterial | AuthError> => {
  switch (credential.kind) {
    case "azure-client-secret": {
      if (credential.clientSecretFile === undefined)
        return { material: { kind: "secret", clientSecret: credential.clientSecret ?? "" }, secrets: [credential.clientSecret ?? ""] };
      const text = await readSourceFile(read, credential.clientSecretFile, "clientSecretFile");
      if (typeof text !== "string") return text;
      const secret = text.trim();
      if (secret === "")
        return sourceError(`clientSecretFile ${credential.clientSecretFile} is empty.`, "Write the secret's Value (not its Secret ID) into it.");
      return { material: { kind: "secret", clientSecret: secret }, secrets: [secret] };
    }
    case "azure-client-certificate": {
      let certificate = credential.certificate ?? "";
      let privateKey = credential.privateKey ?? "";
      if (credential.certificatePath !== undefined) {
        const text = await readSourceFile(read, credential.certificatePath, "certificatePath");
        if (typeof text !== "string") return text;
        const cert = PEM_CERT.exec(text)?.[0];
        const key = PEM_KEY.exec(text)?.[0];
        if (cert === undefined || key === undefined) {
          return sourceError(
            `certificatePath ${credential.certificatePath} does not hold ${cert === undefined ? "a PEM certificate" : "a PEM private key"}.`,
            "Give one PEM file holding the certificate and its private key (e.g. openssl pkcs12 -in app.pfx -out app.pem).",
          );
        }
        certificate = cert;
        privateKey = key;
      }
      const checked = checkCertificate(certificate, privateKey, credential.certificatePassword);
      if ("_tag" in checked) return checked;
      const secrets = [privateKey, checked.privateKey, ...(credential.certificatePassword !== undefined ? [credential.certificatePassword] : [])];
      return { material: { kind: "certificate", ...checked }, secrets };
    }
    case "azure-workload-identity": {
      const file = credential.federatedTokenFile;
      return {
        material: {
          kind: "assertion",
          read: async () => {
            const text = await readSourceFile(read, file, "federatedTokenFile");
            if (typeof text !== "string") throw new SourceFailure(text);
            const token = text.trim();
            if (token === "")
              throw new SourceFailure(sourceError(`federatedTokenFile ${file} is empty.`, "Check the platform writes the projected token there."));
            return token;
          },
        },
        secrets: [],
      };
    }
    case "azure-managed-identity":
      return { material: { kind: "managed-identity", clientId: credential.clientId }, secrets: [] };
  }
};

/** Thrown from inside msal's assertion callback, so that the failure keeps its code through msal. */
export class SourceFailure extends Error {
  /** The error to report. */
  readonly error: AuthError;
  constructor(error: AuthError) {
    super(error.message);
    this.error = error;
  }
}
