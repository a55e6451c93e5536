import { type Method, type ParsedRequest, type Response, contract, isMethod } from '../shared/contract.ts';
import { type Result, err, ok, toEnvelope } from '../shared/errors.ts';
import { documentHistory, getDocument, listDocuments, updateDocument } from './documents.ts';
import { importBuffers } from './import.ts';
import { reextractDocument } from './ingest/reextract.ts';
import { search } from './search.ts';
import type { ArchiveSession } from './session.ts';
import { verifyArchive } from './verify.ts';

export type Service = { [M in Method]: (request: ParsedRequest<M>) => Promise<Response<M>> | Response<M> };

/** The contract implemented over an archive session; IPC and HTTP both call into this. */
export function createService(session: ArchiveSession): Service {
  return {
    'archive.info': () => session.info(),
    'archive.openSample': () => session.openSample(),
    'archive.verify': () => verifyArchive(session.archive),
    'documents.list': ({ offset, limit }) => listDocuments(session.archive, offset, limit),
    'documents.get': ({ id }) => getDocument(session.archive, id),
    'documents.update': ({ id, patch }) => updateDocument(session.archive, id, patch),
    'documents.history': ({ id }) => documentHistory(session.archive, id),
    'documents.import': ({ files }) =>
      importBuffers(
        session.archive,
        files.map((f) => ({ name: f.name, bytes: Buffer.from(f.dataBase64, 'base64') })),
        session.importOptions,
      ),
    'documents.reextract': ({ id, encoding, repairMojibake }) =>
      reextractDocument(session.archive, id, { encoding, repairMojibake }),
    'import.start': ({ paths }) => ({ jobId: session.imports.start(session.archive, { paths }) }),
    'import.status': ({ jobId }) => session.imports.status(jobId),
    'import.cancel': ({ jobId }) => session.imports.cancel(jobId),
    'search.query': ({ query, offset, limit }) => search(session.archive, query, offset, limit),
  };
}

/**
 * Validates a request against the contract, runs it, and wraps the outcome in a Result envelope.
 * Nothing thrown inside escapes as an exception across the process boundary.
 */
export async function dispatch(service: Service, method: string, payload: unknown): Promise<Result<unknown>> {
  if (!isMethod(method)) return err('UNKNOWN_METHOD', `There is no call named ${method}.`);
  const parsed = contract[method].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return err('INVALID_REQUEST', `Invalid ${method} request: ${issues.map((i) => `${i.path || '(request)'}: ${i.message}`).join('; ')}`, issues);
  }
  try {
    // The cast is safe: parsed.data was produced by this very method's schema.
    const handler = service[method] as (request: unknown) => Promise<unknown> | unknown;
    return ok(await handler(parsed.data));
  } catch (error) {
    return { ok: false, error: toEnvelope(error) };
  }
}
