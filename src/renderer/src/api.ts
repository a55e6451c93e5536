import { type ApiClient, type Transport, createApiClient } from '../../shared/api-client.ts';
import { httpPathOf, type Method } from '../../shared/contract.ts';
import type { Result } from '../../shared/errors.ts';

type Bridge = Record<Method, (request: unknown) => Promise<Result<unknown>>>;

declare global {
  interface Window {
    /** Present under Electron, exposed by the preload script. */
    kartoteka?: Bridge;
  }
}

const ipcTransport = (bridge: Bridge): Transport => (method, request) => bridge[method](request);

/** The web mode: same-origin POSTs; the session cookie set by the one-time URL carries the token. */
const httpTransport: Transport = async (method, request) => {
  let response: globalThis.Response;
  try {
    response = await fetch(httpPathOf(method), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(request ?? {}),
    });
  } catch (error) {
    return { ok: false, error: { code: 'INTERNAL', message: `The Kartoteka server cannot be reached: ${String(error)}` } };
  }
  try {
    return (await response.json()) as Result<unknown>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: `The server answered ${response.status} without a result.` } };
  }
};

export const transportName = window.kartoteka ? 'ipc' : 'http';
export const api: ApiClient = createApiClient(window.kartoteka ? ipcTransport(window.kartoteka) : httpTransport);
