/**
 * msal-node's network client, built on the shared got instance so that sign-in uses the
 * same CA trust, timeouts and (later) proxy as the API. It does not retry: msal keeps its
 * own throttle bookkeeping for 429/5xx from the token endpoint.
 */
import type { Got } from "got";
import { AuthError as MsalAuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from "@azure/msal-node";

/** Counts of calls to the authority, for the run summary. */
export interface AuthorityCounters {
  requests: number;
}

/**
 * Wraps `http` as an msal `INetworkModule`. Refuses plain http. Errors are msal
 * `AuthError`s carrying the cause (msal would otherwise replace them with a bare
 * `network_error`). The request body (it holds the secret) is never logged.
 */
export const createMsalNetworkModule = (http: Got, counters: AuthorityCounters = { requests: 0 }): INetworkModule => {
  const client = http.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: "text" });

  const send = async <T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const where = `${method} ${url.split("?")[0] ?? url}`;
    if (!url.startsWith("https://")) {
      throw new MsalAuthError("network_error", options?.correlationId ?? "", `${where} refused: the authority must use https`);
    }
    counters.requests += 1;
    let response;
    try {
      response = await client(url, {
        method,
        headers: options?.headers ?? {},
        ...(method === "POST" ? { body: options?.body ?? "" } : {}),
        ...(timeout ? { timeout: { request: timeout } } : {}),
      });
    } catch (error) {
      const e = error as { code?: string; message?: string };
      throw new MsalAuthError("network_error", options?.correlationId ?? "", `${where} failed: ${e.code ?? ""} ${e.message ?? ""}`.trim());
    }
    let body: T;
    try {
      body = JSON.parse(response.body) as T;
    } catch {
      throw new MsalAuthError(
        "token_parsing_error",
        options?.correlationId ?? "",
        `${where} answered HTTP ${response.statusCode} with a body that is not JSON`,
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    return { status: response.statusCode, headers, body };
  };

  return {
    sendGetRequestAsync: (url, options, timeout) => send("GET", url, options, timeout),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
};
