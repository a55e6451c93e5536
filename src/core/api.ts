import { type Method, type ParsedRequest, type Response, contract, isMethod } from '../shared/contract.ts';
import { type Result, err, ok, toEnvelope } from '../shared/errors.ts';
import { documentHistory, getDocument, listDocuments, updateDocument } from './documents.ts';
import { importBuffers } from './import.ts';
import { reextractDocument } from './ingest/reextract.ts';
import { indexState } from './search/indexing.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from './search/saved.ts';
import { highlightDocument, search } from './search/search.ts';
import { suggest } from './search/suggest.ts';
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
    'search.query': (request) => search(session.archive, request),
    'search.highlight': ({ id, query }) => highlightDocument(session.archive, id, query),
    'search.suggest': ({ prefix, limit }) => suggest(session.archive, prefix, limit),
    'search.saved.list': () => listSavedSearches(session.archive),
    'search.saved.save': ({ name, query, sort }) => saveSearch(session.archive, name, query, sort),
    'search.saved.delete': ({ name }) => deleteSavedSearch(session.archive, name),
    'search.index.status': () => {
      const state = indexState(session.archive);
      return { analyzerVersion: state.version, current: state.current, done: state.done, total: state.total };
    },
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
