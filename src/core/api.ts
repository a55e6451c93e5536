import { type Method, type ParsedRequest, type Response, contract, isMethod } from '../shared/contract.ts';
import { type Result, err, ok, toEnvelope } from '../shared/errors.ts';
import { documentHistory, getDocument, listDocuments, updateDocument } from './documents.ts';
import { reextractDocument } from './ingest/reextract.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from './search/saved.ts';
import { highlightDocument, search } from './search/search.ts';
import { suggest } from './search/suggest.ts';
import type { ArchiveSession } from './session.ts';
import { verifyArchive } from './verify.ts';
// People, cases, collections, redactions, translations (issue 5)
import { deleteCase, deleteEvent, getCase, listCases, saveCase, saveEvent, timeline } from './cases.ts';
import { citationOf, searchCsvFile } from './citations.ts';
import { addToCollection, collectionDocuments, collectionsOfDocument, deleteCollection, listCollections, removeFromCollection, saveCollection } from './collections.ts';
import { updateDocuments } from './documents.ts';
import { dismissPossibleDuplicate, listPossibleDuplicates } from './duplicates.ts';
import { recentImports } from './import-runs.ts';
import { deleteGlossaryEntry, glossaryFor, listGlossary, saveGlossaryEntry } from './glossary.ts';
import { deletePerson, getPerson, linkPerson, listPeople, peopleOfDocument, savePerson, unlinkPerson } from './people.ts';
import { addRedaction, listRedactions, removeRedaction } from './redactions.ts';
import { alignedParagraphs, exportTranslation, saveSegment, startTranslation } from './translations.ts';
// Bundles (issue 6)
import { bundleMethods } from './bundles/service.ts';

export type Service = { [M in Method]: (request: ParsedRequest<M>) => Promise<Response<M>> | Response<M> };

/** The contract implemented over an archive session; IPC and HTTP both call into this. */
export function createService(session: ArchiveSession): Service {
  return {
    'archive.info': () => session.info(),
    'archive.openSample': () => session.openSample(),
    'archive.verify': () => verifyArchive(session.archive),
    'archive.open': ({ path, create }) => session.openArchive(path, create),
    'archive.recent': () => session.recentArchives(),
    'archive.forget': ({ path }) => session.forgetArchive(path),
    'settings.get': () => session.settings(),
    'settings.update': (patch) => session.updateSettings(patch),
    'documents.list': ({ offset, limit }) => listDocuments(session.archive, offset, limit),
    'documents.get': ({ id }) => getDocument(session.archive, id),
    'documents.update': ({ id, patch }) => updateDocument(session.archive, id, patch),
    'documents.history': ({ id }) => documentHistory(session.archive, id),
    'documents.reextract': ({ id, encoding, repairMojibake }) =>
      reextractDocument(session.archive, id, { encoding, repairMojibake, tessdata: session.importOptions.tessdata, workerUrl: session.importOptions.workerUrl }),
    'documents.reread': ({ id, ocrLanguages }) => session.rereads.start(session.archive, id, ocrLanguages),
    'documents.rereadStatus': ({ id }) => session.rereads.status(id),
    'documents.rereadCancel': ({ id }) => session.rereads.cancel(id),
    'import.start': ({ paths }) => ({ jobId: session.imports.start(session.archive, { paths }) }),
    'import.upload': async (batch) => ({ jobId: await session.imports.upload(session.archive, batch) }),
    'import.status': ({ jobId }) => session.imports.status(jobId),
    'import.cancel': ({ jobId }) => session.imports.cancel(jobId),
    'import.recent': ({ limit }) => recentImports(session.archive, limit),
    'search.query': (request) => search(session.archive, request),
    'search.highlight': ({ id, query }) => highlightDocument(session.archive, id, query),
    'search.suggest': ({ prefix, limit }) => suggest(session.archive, prefix, limit),
    'search.saved.list': () => listSavedSearches(session.archive),
    'search.saved.save': ({ name, query, sort }) => saveSearch(session.archive, name, query, sort),
    'search.saved.delete': ({ name }) => deleteSavedSearch(session.archive, name),
    'search.index.status': () => session.index.status(),
    'search.index.rebuild': () => session.index.rebuild(),
    'search.index.pause': () => session.index.pause(),
    'search.index.resume': () => session.index.resume(),

    // People, cases, collections, redactions, translations (issue 5)
    'people.list': ({ prefix, offset, limit }) => listPeople(session.archive, { prefix, offset, limit }),
    'people.get': ({ id }) => getPerson(session.archive, id),
    'people.save': ({ id, ...person }) => savePerson(session.archive, id, person),
    'people.delete': ({ id }) => deletePerson(session.archive, id),
    'people.forDocument': ({ documentId }) => peopleOfDocument(session.archive, documentId),
    'people.link': ({ personId, documentId, role }) => linkPerson(session.archive, personId, documentId, role),
    'people.unlink': ({ personId, documentId, role }) => unlinkPerson(session.archive, personId, documentId, role),
    'cases.list': () => listCases(session.archive),
    'cases.get': ({ id }) => getCase(session.archive, id),
    'cases.save': ({ id, ...input }) => saveCase(session.archive, id, input),
    'cases.delete': ({ id, detachDocuments }) => deleteCase(session.archive, id, { detachDocuments }),
    'cases.saveEvent': (event) => saveEvent(session.archive, event),
    'cases.deleteEvent': ({ id }) => deleteEvent(session.archive, id),
    'timeline.get': (of) => timeline(session.archive, of),
    'collections.list': () => listCollections(session.archive),
    'collections.save': ({ id, name }) => saveCollection(session.archive, id, name),
    'collections.delete': ({ id }) => deleteCollection(session.archive, id),
    'collections.add': ({ id, documentIds }) => addToCollection(session.archive, id, documentIds),
    'collections.remove': ({ id, documentIds }) => removeFromCollection(session.archive, id, documentIds),
    'collections.documents': ({ id, offset, limit }) => collectionDocuments(session.archive, id, offset, limit),
    'collections.forDocument': ({ documentId }) => collectionsOfDocument(session.archive, documentId),
    'duplicates.list': ({ offset, limit }) => listPossibleDuplicates(session.archive, offset, limit),
    'duplicates.dismiss': ({ documentId, duplicateOf }) => dismissPossibleDuplicate(session.archive, documentId, duplicateOf),
    'redactions.list': ({ documentId }) => listRedactions(session.archive, documentId),
    'redactions.add': (span) => addRedaction(session.archive, span),
    'redactions.remove': ({ id }) => removeRedaction(session.archive, id),
    'documents.updateMany': ({ ids, patch }) => updateDocuments(session.archive, ids, patch),
    'translations.start': ({ originalId, language, translator }) => startTranslation(session.archive, originalId, { language, translator }),
    'translations.aligned': ({ originalId, translationId }) => alignedParagraphs(session.archive, originalId, translationId),
    'translations.saveSegment': ({ translationId, seq, text }) => saveSegment(session.archive, translationId, seq, text),
    'translations.export': ({ id, format }) => exportTranslation(session.archive, id, format),
    'glossary.list': (filter) => listGlossary(session.archive, filter),
    'glossary.save': ({ id, ...entry }) => saveGlossaryEntry(session.archive, id, entry),
    'glossary.delete': ({ id }) => deleteGlossaryEntry(session.archive, id),
    'glossary.for': ({ text, sourceLanguage, targetLanguage }) => glossaryFor(session.archive, text, sourceLanguage, targetLanguage),
    'citations.get': ({ id, page }) => citationOf(session.archive, id, page),
    'search.csv': ({ query, sort }) => searchCsvFile(session.archive, query, sort),

    // Bundles (issue 6)
    ...bundleMethods(session),
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
