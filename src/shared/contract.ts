import { z } from 'zod';
import { DocumentId, DocumentMetadataPatch, DocumentSummary, DocumentWithText } from './document.ts';
import {
  ArchiveInfo,
  AuditEntry,
  ImportProgress,
  Highlight,
  ImportReport,
  IndexStatus,
  SavedSearch,
  SearchRequest,
  SearchResult,
  SearchSort,
  SearchSuggestion,
  VerifyReport,
} from './reports.ts';

/** Largest single file the UI may hand over for import (the CLI reads paths and has no such cap). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

const Empty = z.object({}).strict();

/**
 * The one API contract. IPC channels, the preload bridge, HTTP routes and the renderer client
 * are all derived from this object; no method name is written anywhere else.
 */
export const contract = {
  'archive.info': { request: Empty, response: ArchiveInfo },
  'archive.openSample': { request: Empty, response: ArchiveInfo },
  'archive.verify': { request: Empty, response: VerifyReport },
  'documents.list': {
    request: z
      .object({
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    response: z.object({ total: z.number().int().nonnegative(), items: z.array(DocumentSummary) }),
  },
  'documents.get': { request: z.object({ id: DocumentId }).strict(), response: DocumentWithText },
  'documents.update': {
    request: z.object({ id: DocumentId, patch: DocumentMetadataPatch }).strict(),
    response: DocumentWithText,
  },
  'documents.history': {
    request: z.object({ id: DocumentId }).strict(),
    response: z.array(AuditEntry),
  },
  'documents.import': {
    request: z
      .object({
        files: z
          .array(
            z
              .object({
                name: z.string().min(1).max(1000),
                // Base64 keeps one request shape for IPC and HTTP alike.
                dataBase64: z.string().max(Math.ceil(MAX_UPLOAD_BYTES / 3) * 4, 'file larger than 64 MB'),
              })
              .strict(),
          )
          .min(1)
          .max(500),
      })
      .strict(),
    response: ImportReport,
  },
  'documents.reextract': {
    request: z
      .object({
        id: DocumentId,
        /** A WHATWG encoding label to read the original with, or null to detect it again. */
        encoding: z.string().min(1).max(40).nullable().optional(),
        /** false undoes a mojibake repair; true applies it again. */
        repairMojibake: z.boolean().optional(),
      })
      .strict(),
    response: DocumentWithText,
  },
  'import.start': {
    request: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
    response: z.object({ jobId: z.string() }),
  },
  'import.status': {
    request: z.object({ jobId: z.string() }).strict(),
    response: z.object({ progress: ImportProgress, report: ImportReport.nullable() }),
  },
  'import.cancel': { request: z.object({ jobId: z.string() }).strict(), response: ImportProgress },
  'search.query': { request: SearchRequest, response: SearchResult },
  'search.suggest': {
    request: z.object({ prefix: z.string().max(200), limit: z.number().int().min(1).max(50).default(10) }).strict(),
    response: z.array(SearchSuggestion),
  },
  'search.saved.list': { request: z.object({}).strict(), response: z.array(SavedSearch) },
  'search.saved.save': {
    request: z.object({ name: SavedSearch.shape.name, query: z.string().max(2000), sort: SearchSort.default('relevance') }).strict(),
    response: SavedSearch,
  },
  'search.saved.delete': { request: z.object({ name: z.string().min(1).max(200) }).strict(), response: z.object({ deleted: z.boolean() }) },
  'search.index.status': { request: z.object({}).strict(), response: IndexStatus },
  /** Where a query matches in one document's whole text, whatever form of each word matched. */
  'search.highlight': {
    request: z.object({ id: DocumentId, query: z.string().max(2000) }).strict(),
    response: z.array(Highlight),
  },
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export const methods = Object.keys(contract) as Method[];

export type Request<M extends Method> = z.input<Contract[M]['request']>;
export type ParsedRequest<M extends Method> = z.output<Contract[M]['request']>;
export type Response<M extends Method> = z.output<Contract[M]['response']>;

export function isMethod(name: string): name is Method {
  return Object.hasOwn(contract, name);
}

/** IPC channel of a method; the only place a channel name is spelled. */
export const channelOf = (method: Method): string => `kartoteka:${method}`;

/** HTTP path of a method in the local web mode. */
export const httpPathOf = (method: Method): string => `/api/${method}`;
