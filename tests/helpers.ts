import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { DocumentMetadata } from '../src/shared/document.ts';
import { KartotekaError } from '../src/shared/errors.ts';
import { defaultLimits, type ExtractContext, type ImportLimits } from '../src/core/importers/types.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const fixture = (name: string): string => join(repoRoot, 'tests', 'fixtures', name);
export const sampleSourceDir = join(repoRoot, 'resources', 'sample');

const made: string[] = [];

/** A fresh folder under the system temp dir, removed when the test file ends. */
export function tempDir(prefix = 'kartoteka-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A clock that starts at a fixed moment and moves one second per reading. */
export function steppingClock(start = '2026-01-15T10:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `kartoteka` command in a child process. `unprivileged` runs it as nobody when
 * the tests run as root, so that file permissions mean something (root reads everything).
 */
export function runCli(args: string[], options: { env?: Record<string, string>; unprivileged?: boolean } = {}): CliRun {
  const asNobody = options.unprivileged === true && process.getuid?.() === 0;
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'kartoteka.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), ...options.env },
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The KartotekaError a promise was rejected with; anything else (or success) fails the test. */
export async function refusal(promise: Promise<unknown>): Promise<KartotekaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof KartotekaError) return error;
  throw new Error(`expected a KartotekaError, got ${String(error)}`);
}

/** What an importer is given, as the pipeline gives it, with no OCR engine unless a test adds one. */
export function extractContext(fileName: string, limits: Partial<ImportLimits> = {}, extra: Partial<ExtractContext> = {}): ExtractContext {
  return {
    fileName,
    limits: { ...defaultLimits, ...limits },
    repairMojibake: true,
    ocr: undefined,
    ocrLanguages: ['rus', 'ukr', 'eng'],
    ...extra,
  };
}

/**
 * A document's metadata with the given fields and every other one at its default (parse: fields the
 * schema adds later get theirs too), for tests that build many documents through insertDocument.
 */
export const metadataWith = (fields: Partial<DocumentMetadata>): DocumentMetadata =>
  DocumentMetadata.parse({
    kind: 'letter',
    title: 'Letter',
    language: 'en',
    date: null,
    dateApproximate: false,
    authors: [],
    recipients: [],
    source: '',
    sensitivity: 'internal',
    tags: [],
    cases: [],
    notes: '',
    translationOf: null,
    ...fields,
  });
