import { z } from 'zod';

/** Stable error codes: scripts and the UI switch on these, never on messages. */
export const errorCodes = [
  'INVALID_REQUEST',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_AN_ARCHIVE',
  'ARCHIVE_EXISTS',
  'ARCHIVE_NEWER',
  'NOT_FOUND',
  'FILE_NOT_FOUND',
  'PERMISSION_DENIED',
  'FILE_UNREADABLE',
  'NOT_A_FILE',
  'UNSUPPORTED_FORMAT',
  'UNSUPPORTED_ENCODING',
  'EMPTY_FILE',
  'BINARY_FILE',
  'CORRUPT_FILE',
  'ENCRYPTED_FILE',
  'UNPACKED_TOO_LARGE',
  'TOO_DEEPLY_NESTED',
  'OCR_UNAVAILABLE',
  'OCR_FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'FILE_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
  'STORAGE_FAILED',
  'VERIFY_FAILED',
  'INVALID_QUERY',
  // A name or title already taken (a case, a collection, a glossary term), or work already started.
  'CONFLICT',
  // Bundles (issue 6): a bundle that is not a valid bag, one built to harm the reader, a passphrase.
  'BUNDLE_INVALID',
  'BUNDLE_UNSAFE',
  'PASSPHRASE_REQUIRED',
  'WRONG_PASSPHRASE',
  // Another archive cannot be opened while a bundle is exported from or imported into the one open.
  'ARCHIVE_BUSY',
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorEnvelope = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** What crosses every process boundary: a value or a coded error, never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorEnvelope };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** Thrown inside a process, turned into an ErrorEnvelope at its edge. */
export class KartotekaError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'KartotekaError';
    this.code = code;
    this.details = details;
  }
}

export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof KartotekaError) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
