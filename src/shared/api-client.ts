import type { Result } from './errors.ts';
import { KartotekaError } from './errors.ts';
import type { Method, Request, Response } from './contract.ts';
import { methods } from './contract.ts';

/** Carries one call across a process boundary and brings back its Result envelope. */
export type Transport = (method: Method, request: unknown) => Promise<Result<unknown>>;

export type ApiClient = { [M in Method]: (request: Request<M>) => Promise<Response<M>> };

/** One client for every transport; a failed Result becomes a KartotekaError with its code. */
export function createApiClient(transport: Transport): ApiClient {
  const client: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const method of methods) {
    client[method] = async (request: unknown) => {
      const result = await transport(method, request);
      if (!result.ok) throw new KartotekaError(result.error.code, result.error.message, result.error.details);
      return result.value;
    };
  }
  return client as ApiClient;
}
