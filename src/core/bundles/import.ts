import { createHash, randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BagInfoLine, BundleImportReport, BundleInspection, BundleItemPlan, BundleProgress } from '../../shared/bundles.ts';
import { DocumentMetadata } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { Archive } from '../archive.ts';
import { newDocumentId } from '../clock.ts';
import { type StoredExtraction, getDocument, insertDocument } from '../documents.ts';
import { sha256Hex } from '../hash.ts';
import { type GuardedZipFile, type ZipLimits, type ZipRefusal, openZipFile } from '../importers/zip-guard.ts';
import { textHashOf } from '../ingest/prepare.ts';
import { linkPerson, savePerson } from '../people.ts';
import { decryptFile, isAgeFile } from './age.ts';
import { checkCancelled } from './cancel.ts';
import { type BagCheck, type BagReader, verifyBag } from './bagit.ts';
import { BUNDLE_FORMAT_VERSION, Catalogue, ITEM_SCHEMA_VERSION, ItemMetadata } from './format.ts';

/**
 * Reading a bundle back: decrypt (age), open the zip with the guarded reader, verify the bag
 * (every checksum, Payload-Oxum) and every item's metadata against its schema, all before the
 * archive is touched; then plan what each item does to this archive, and merge in one transaction.
 */

export interface BundleReadOptions {
  passphrase?: string | undefined;
  /** Limits on what the zip may unpack to; a bundle past them is refused as a zip bomb. */
  limits?: Partial<ZipLimits> | undefined;
  onProgress?: ((progress: BundleProgress) => void) | undefined;
  /** Aborted: the read stops at the next step with CANCELLED; an import stops before its merge, the archive untouched. */
  signal?: AbortSignal | undefined;
}


/** Bundles hold originals (audio, scans): more room than an office file gets, but still a limit. */
export const defaultBundleLimits: ZipLimits = { maxUnpackedBytes: 16 * 1024 ** 3, maxCompressionRatio: 100 };

/** Refusals of the zip reader that only a file built to harm the reader gives. */
const hostile = new Set<ZipRefusal>(['unsafe-path', 'duplicate-entry', 'overlapping-entries', 'size-mismatch', 'total-too-large', 'ratio-too-high', 'expands-past-limit']);

function bundleError(error: unknown): unknown {
  if (!(error instanceof KartotekaError) || error.code.startsWith('BUNDLE_')) return error;
  const reason = (error.details as { reason?: ZipRefusal } | undefined)?.reason;
  if (reason !== undefined && hostile.has(reason)) return new KartotekaError('BUNDLE_UNSAFE', `This bundle was refused: ${error.message}`, { reason });
  if (reason !== undefined) return new KartotekaError('BUNDLE_INVALID', `This bundle cannot be read: ${error.message}`, { reason });
  return error;
}

/** A bundle opened and verified, with its items read and checked. */
interface OpenBundle {
  encrypted: boolean;
  /** SHA-256 of the file as given (the age file, when encrypted). */
  sha256: string;
  bagInfo: BagInfoLine[];
  check: BagCheck;
  items: ItemMetadata[];
  read(relative: string): Uint8Array;
  close(): Promise<void>;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } finally {
    await handle.close().catch(() => undefined);
  }
  return hash.digest('hex');
}

async function openBundle(archive: Archive, path: string, options: BundleReadOptions, operation: 'inspect' | 'import'): Promise<OpenBundle> {
  const progress = (phase: BundleProgress['phase'], done: number, total: number): void => options.onProgress?.({ operation, phase, done, total });
  const limits: ZipLimits = { ...defaultBundleLimits, ...options.limits };
  let zipPath = path;
  let plaintext: string | null = null;
  let zip: GuardedZipFile | undefined;
  const cleanup = async (): Promise<void> => {
    zip?.close();
    // The decrypted copy sits in the archive's tmp/, whose leftovers recovery removes after a crash.
    if (plaintext !== null) await rm(plaintext, { force: true });
  };
  try {
    let encrypted = false;
    try {
      encrypted = isAgeFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new KartotekaError('FILE_NOT_FOUND', `There is no file ${path}.`);
      if (code === 'EISDIR') throw new KartotekaError('NOT_A_FILE', `${path} is a folder; a bundle is one .zip or .zip.age file.`);
      throw new KartotekaError('FILE_UNREADABLE', `${path} cannot be read: ${(error as Error).message}`);
    }
    const sha256 = await hashFile(path);
    const cancelled = (): void => checkCancelled(options.signal, 'import');
    cancelled();
    if (encrypted) {
      if (options.passphrase === undefined || options.passphrase === '') {
        throw new KartotekaError('PASSPHRASE_REQUIRED', 'This bundle is encrypted: give the passphrase it was made with.');
      }
      progress('decrypting', 0, 0);
      plaintext = join(archive.blobs.tmpDir, `${process.pid}-bundle-${randomBytes(6).toString('hex')}.part`);
      const handle = await open(plaintext, 'wx', 0o600);
      try {
        await decryptFile(path, handle, options.passphrase, options.signal);
      } finally {
        await handle.close();
      }
      zipPath = plaintext;
      cancelled();
    }

    zip = openZipFile(zipPath, limits);
    const opened = zip;
    for (const entry of opened.entries) {
      if (entry.symlink) throw new KartotekaError('BUNDLE_UNSAFE', `This bundle was refused: ${entry.name} is a symbolic link, which could point anywhere once unpacked.`, { reason: 'symlink' });
      if (entry.encrypted) throw new KartotekaError('BUNDLE_INVALID', `${entry.name} in this bundle is password-protected with zip encryption; Kartoteka bundles use age.`, { reason: 'encrypted' });
    }
    // RFC 8493 section 4: the serialization holds the bag's base folder. A bag zipped without it opens too.
    const names = opened.entries.map((e) => e.name);
    const base = names.includes('bagit.txt') ? '' : names.length > 0 && names.every((n) => n.includes('/') && n.split('/')[0] === names[0]?.split('/')[0]) ? `${names[0]?.split('/')[0] ?? ''}/` : null;
    if (base === null || !names.includes(`${base}bagit.txt`)) {
      throw new KartotekaError('BUNDLE_INVALID', 'This is not a bundle: the zip holds no bagit.txt (a BagIt bag in one folder).', { reason: 'no-bagit' });
    }
    const files = opened.entries.filter((e) => !e.directory && e.name.startsWith(base)).map((e) => e.name.slice(base.length));
    const reader: BagReader = {
      files: () => files,
      hasDirectory: (dir) => names.some((n) => n.startsWith(`${base}${dir}/`)),
      size: (file) => opened.entry(base + file)?.size ?? 0,
      read: (file) => opened.read(base + file),
    };

    progress('verifying', 0, files.length);
    const check = verifyBag(reader, (done, total) => {
      if (done % 50 === 0 || done === total) progress('verifying', done, total);
    });
    if (!check.ok) {
      const shown = check.problems.slice(0, 5).map((p) => p.message);
      throw new KartotekaError(
        'BUNDLE_INVALID',
        `This bundle does not verify (${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}): ${shown.join(' ')}${check.problems.length > 5 ? ' …' : ''} Nothing was imported.`,
        { problems: check.problems },
      );
    }
    cancelled();
    if (!check.algorithms.includes('sha256')) throw new KartotekaError('BUNDLE_INVALID', 'This bag has no SHA-256 manifest; Kartoteka bundles always have one.');
    const format = check.bagInfo.find((l) => l.label === 'Kartoteka-Bundle-Format')?.value;
    if (format === undefined) throw new KartotekaError('BUNDLE_INVALID', 'This is a BagIt bag but not a Kartoteka bundle (its bag-info.txt has no Kartoteka-Bundle-Format).');
    if (!/^\d+$/u.test(format.trim()) || Number(format) > BUNDLE_FORMAT_VERSION) {
      throw new KartotekaError('BUNDLE_INVALID', `This bundle is in format ${format}, made by a newer Kartoteka; this one reads format ${BUNDLE_FORMAT_VERSION}.`);
    }

    // Every item's metadata against its schema, and every path it names against the verified payload.
    const payload = new Map(check.payload.map((p) => [p.path.slice('data/'.length), p]));
    const readJson = (relative: string): unknown => {
      if (!payload.has(relative)) throw new KartotekaError('BUNDLE_INVALID', `The bundle names data/${relative}, which it does not hold.`);
      try {
        return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(reader.read(`data/${relative}`)));
      } catch (error) {
        throw new KartotekaError('BUNDLE_INVALID', `data/${relative} is not JSON: ${(error as Error).message}`);
      }
    };
    const catalogue = Catalogue.safeParse(readJson('catalogue.json'));
    if (!catalogue.success) throw new KartotekaError('BUNDLE_INVALID', `data/catalogue.json does not follow its schema: ${catalogue.error.issues[0]?.message ?? ''}`);
    const items: ItemMetadata[] = [];
    const seen = new Set<string>();
    for (const entry of catalogue.data.items) {
      const parsed = ItemMetadata.safeParse(readJson(entry.metadata));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new KartotekaError('BUNDLE_INVALID', `data/${entry.metadata} does not follow the item schema (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`);
      }
      const item = parsed.data;
      if (item.schemaVersion > ITEM_SCHEMA_VERSION) throw new KartotekaError('BUNDLE_INVALID', `data/${entry.metadata} is in item schema ${item.schemaVersion}, newer than this Kartoteka reads.`);
      if (item.id !== entry.id || seen.has(item.id)) throw new KartotekaError('BUNDLE_INVALID', `data/${entry.metadata} does not belong to catalogue entry ${entry.id}, or the id is there twice.`);
      seen.add(item.id);
      if (payload.get(item.text.path)?.sha256 !== item.text.sha256) throw new KartotekaError('BUNDLE_INVALID', `The text of ${item.id} is not the one its metadata describes.`);
      for (const f of item.files) {
        if (payload.get(f.path)?.sha256 !== f.sha256) throw new KartotekaError('BUNDLE_INVALID', `The original ${f.fileName} of ${item.id} is not the file its metadata describes.`);
      }
      items.push(item);
    }
    cancelled();
    return {
      encrypted,
      sha256,
      bagInfo: check.bagInfo,
      check,
      items,
      read: (relative) => reader.read(`data/${relative}`),
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    progress('failed', 0, 0);
    throw bundleError(error);
  }
}

interface Planned extends BundleItemPlan {
  item: ItemMetadata;
}

const metadataKeys = Object.keys(DocumentMetadata.shape) as (keyof DocumentMetadata)[];
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** What importing each item would do to this archive. */
function plan(archive: Archive, bundle: OpenBundle): Planned[] {
  const fileOwner = archive.sql('SELECT document_id AS id FROM document_files WHERE sha256 = ? LIMIT 1');
  const textTwins = archive.sql('SELECT id, text FROM documents WHERE text_hash = ?');
  const exists = archive.sql('SELECT 1 AS x FROM documents WHERE id = ?');
  const claimed = new Map<string, string>();
  return bundle.items.map((item) => {
    const planned = (action: BundleItemPlan['action'], existingId: string | null): Planned => ({
      bundleId: item.id,
      title: item.title,
      kind: item.kind,
      language: item.language,
      date: item.date,
      action,
      existingId,
      files: item.files.length,
      redactedSpans: item.text.redactedSpans,
      omittedFiles: item.omittedFiles.length,
      item,
    });
    const shas = [...item.files, ...item.omittedFiles].map((f) => f.sha256);
    if (exists.get(item.id)) {
      const doc = getDocument(archive, item.id);
      // The same files: all of them, or those the bundle carried (an item imported text-only before).
      const held = [...doc.files.map((f) => f.sha256)].sort();
      const equal =
        metadataKeys.every((key) => same(doc[key], item[key])) &&
        sha256Hex(doc.text) === item.text.sha256 &&
        (same(held, [...shas].sort()) || same(held, item.files.map((f) => f.sha256).sort()));
      return planned(equal ? 'unchanged' : 'conflict', item.id);
    }
    for (const sha of shas) {
      const owner = (fileOwner.get(sha) as { id: string } | undefined)?.id ?? claimed.get(sha);
      if (owner !== undefined) return planned('duplicate', owner);
    }
    if (shas.length === 0) {
      const text = bundle.read(item.text.path);
      const decoded = new TextDecoder().decode(text);
      const hash = textHashOf(decoded);
      const twin = hash === null ? undefined : (textTwins.all(hash) as unknown as { id: string; text: string }[]).find((d) => d.text === decoded);
      if (twin) return planned('duplicate', twin.id);
    }
    for (const sha of shas) claimed.set(sha, item.id);
    return planned('add', null);
  });
}

function inspection(bundle: OpenBundle, planned: readonly Planned[]): BundleInspection {
  const counts = { add: 0, duplicate: 0, unchanged: 0, conflict: 0 };
  for (const p of planned) counts[p.action]++;
  const warnings: string[] = [];
  const redacted = bundle.items.filter((i) => i.text.redactedSpans > 0).length;
  if (redacted > 0) warnings.push(`${redacted} item${redacted === 1 ? ' has' : 's have'} redacted text (█): what was blacked out is not in the bundle.`);
  const textOnly = bundle.items.filter((i) => i.omittedFiles.length > 0).length;
  if (textOnly > 0) warnings.push(`${textOnly} item${textOnly === 1 ? ' comes' : 's come'} without ${textOnly === 1 ? 'its' : 'their'} original files (text only or redacted).`);
  return {
    encrypted: bundle.encrypted,
    bagInfo: bundle.bagInfo,
    payloadFiles: bundle.check.payload.length,
    payloadBytes: bundle.check.payloadBytes,
    items: planned.map((p) => ({
      bundleId: p.bundleId,
      title: p.title,
      kind: p.kind,
      language: p.language,
      date: p.date,
      action: p.action,
      existingId: p.existingId,
      files: p.files,
      redactedSpans: p.redactedSpans,
      omittedFiles: p.omittedFiles,
    })),
    counts,
    warnings,
  };
}

/** Opens, decrypts and verifies a bundle, and says what importing it would do; the archive is not changed. */
export async function inspectBundle(archive: Archive, path: string, options: BundleReadOptions = {}): Promise<BundleInspection> {
  const bundle = await openBundle(archive, path, options, 'inspect');
  try {
    const result = inspection(bundle, plan(archive, bundle));
    options.onProgress?.({ operation: 'inspect', phase: 'finished', done: 1, total: 1 });
    return result;
  } finally {
    await bundle.close();
  }
}

/**
 * Imports a bundle: everything is verified first; then originals go into the blob store and the
 * catalogue changes in one transaction, with the bundle's bag-info recorded in the audit log. If
 * anything fails, the transaction is rolled back and the originals it stored are taken back out.
 */
export async function importBundle(archive: Archive, path: string, options: BundleReadOptions = {}): Promise<BundleImportReport> {
  const bundle = await openBundle(archive, path, options, 'import');
  const progress = (phase: BundleProgress['phase'], done: number, total: number): void => options.onProgress?.({ operation: 'import', phase, done, total });
  const created: string[] = [];
  let committed = false;
  try {
    const planned = plan(archive, bundle);
    const result = inspection(bundle, planned);
    const incoming = planned.filter((p) => p.action === 'add' || p.action === 'conflict');
    const total = incoming.length + 1;

    // Originals first, durably, before the catalogue names them (as the import pipeline does).
    for (const [i, p] of incoming.entries()) {
      checkCancelled(options.signal, 'import');
      for (const f of p.item.files) {
        const bytes = bundle.read(f.path);
        if (sha256Hex(bytes) !== f.sha256) throw new KartotekaError('BUNDLE_INVALID', `${f.path} changed while it was being imported.`);
        if (await archive.blobs.put(f.sha256, bytes)) created.push(f.sha256);
      }
      progress('merging', i, total);
    }

    const ids: Record<string, string> = {};
    for (const p of planned) {
      if (p.action === 'add') ids[p.bundleId] = p.bundleId;
      else if (p.action === 'conflict') ids[p.bundleId] = newDocumentId(archive.clock());
    }
    const byBundleId = new Map(planned.map((p) => [p.bundleId, p]));
    const target = (bundleId: string): string | null => {
      const p = byBundleId.get(bundleId);
      if (p) return ids[bundleId] ?? p.existingId ?? bundleId;
      return archive.sql('SELECT 1 AS x FROM documents WHERE id = ?').get(bundleId) ? bundleId : null;
    };

    // The last moment to stop: the merge below is one synchronous transaction, all or nothing.
    checkCancelled(options.signal, 'import');
    const auditSeq = archive.transaction(() => {
      const now = archive.now();
      // Originals before their translations: a translation names a document already in the catalogue.
      const coming = new Set(incoming.map((p) => p.bundleId));
      let pending = incoming;
      while (pending.length > 0) {
        const ready = pending.filter((p) => p.item.translationOf === null || !coming.has(p.item.translationOf));
        // A cycle of translations (only a hand-made bundle has one) goes in as it is; insertItem cuts it.
        const batch = ready.length > 0 ? ready : pending.slice(0, 1);
        for (const p of batch) {
          insertItem(archive, bundle, p, ids[p.bundleId] ?? p.bundleId, target, result.warnings, now);
          coming.delete(p.bundleId);
        }
        const done = new Set(batch);
        pending = pending.filter((p) => !done.has(p));
      }
      const link = archive.sql('INSERT OR IGNORE INTO document_links (from_id, to_id, kind, created_at) VALUES (?, ?, ?, ?)');
      for (const p of incoming) {
        const from = ids[p.bundleId] ?? p.bundleId;
        for (const l of p.item.links) {
          const other = target(l.id);
          if (other === null || other === from) continue;
          if (l.direction === 'from') link.run(from, other, l.kind, now);
          else link.run(other, from, l.kind, now);
        }
        if (p.action === 'conflict' && p.existingId !== null) link.run(from, p.existingId, 'possible-duplicate', now);
      }
      archive.audit('bundle.import', null, {
        file: basename(path),
        sha256: bundle.sha256,
        encrypted: bundle.encrypted,
        importedAt: now,
        bagInfo: bundle.bagInfo,
        counts: result.counts,
        ids,
      });
      return (archive.sql('SELECT max(seq) AS seq FROM audit_log').get() as { seq: number }).seq;
    });
    committed = true;
    for (let i = 0; i < created.length; i++) archive.blobs.settle();
    progress('finished', total, total);
    return { ...result, ids, auditSeq };
  } catch (error) {
    if (!committed) for (const sha of created) archive.blobs.remove(sha);
    progress('failed', 0, 0);
    throw error;
  } finally {
    await bundle.close();
  }
}

/** One item into the catalogue, as the import pipeline commits a file; the caller holds the transaction. */
function insertItem(
  archive: Archive,
  bundle: OpenBundle,
  p: Planned,
  id: string,
  target: (bundleId: string) => string | null,
  warnings: string[],
  now: string,
): void {
  const { item } = p;
  const text = new TextDecoder().decode(bundle.read(item.text.path));
  if (sha256Hex(text) !== item.text.sha256) throw new KartotekaError('BUNDLE_INVALID', `The text of ${item.id} changed while it was being imported.`);
  let translationOf = item.translationOf === null ? null : target(item.translationOf);
  if (item.translationOf !== null && translationOf === null) {
    warnings.push(`“${item.title}” is a translation of ${item.translationOf}, which is neither in the bundle nor in this archive; it was imported as a document of its own.`);
  }
  // Only a hand-made bundle names a translation's original that is not in the catalogue yet (a cycle).
  if (translationOf === id || (translationOf !== null && !archive.sql('SELECT 1 AS x FROM documents WHERE id = ?').get(translationOf))) translationOf = null;
  const conflict = p.action === 'conflict';
  const meta = DocumentMetadata.parse({
    ...Object.fromEntries(metadataKeys.map((key) => [key, item[key]])),
    translationOf,
    tags: conflict ? [...new Set([...item.tags, 'bundle-conflict'])] : item.tags,
  });
  const extraction: StoredExtraction = {
    importer: item.extraction.importer,
    ...(item.extraction.encoding ? { encoding: { ...item.extraction.encoding, bom: false } } : {}),
    ...(item.extraction.repair ? { repair: { steps: item.extraction.repair.steps, scoreBefore: 0, scoreAfter: 0 }, repairReverted: item.extraction.repair.reverted } : {}),
    warnings: conflict
      ? [...item.extraction.warnings, `Imported from a bundle beside ${p.existingId ?? ''}, which has the same id in this archive but other content.`]
      : item.extraction.warnings,
  };
  insertDocument(archive, id, meta, text, { textSource: item.text.source, textHash: textHashOf(text), extraction });
  archive.sql('UPDATE documents SET created_at = ?, updated_at = ?, user_fields = ? WHERE id = ?').run(item.createdAt, item.updatedAt, JSON.stringify(item.userFields), id);
  const blob = archive.sql('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)');
  const file = archive.sql('INSERT OR IGNORE INTO document_files (document_id, sha256, file_name, media_type, role, position) VALUES (?, ?, ?, ?, ?, ?)');
  item.files.forEach((f, position) => {
    blob.run(f.sha256, f.size, now);
    file.run(id, f.sha256, f.fileName, f.mediaType, f.role, position);
  });
  const page = archive.sql('INSERT INTO document_pages (document_id, page, start, "end") VALUES (?, ?, ?, ?)');
  for (const pg of item.pages) page.run(id, pg.page, pg.start, pg.end);
  const cue = archive.sql('INSERT INTO document_cues (document_id, seq, start_seconds, end_seconds, text_start, text_end, speaker) VALUES (?, ?, ?, ?, ?, ?, ?)');
  item.cues.forEach((c, seq) => cue.run(id, seq, c.start, c.end, c.textStart, c.textEnd, c.speaker));
  for (const person of item.people) {
    const existing = archive.sql('SELECT id FROM people WHERE name = ? ORDER BY created_at LIMIT 1').get(person.name) as { id: string } | undefined;
    const personId = existing?.id ?? savePerson(archive, null, { name: person.name, variants: person.variants, roles: person.roles }).id;
    for (const role of person.linkedRoles) linkPerson(archive, personId, id, role);
  }
  archive.audit('document.import-bundle', id, {
    bundleId: item.id,
    action: p.action,
    bundleSha256: bundle.sha256,
    files: item.files.map((f) => ({ name: f.fileName, sha256: f.sha256 })),
    ...(conflict ? { conflictsWith: p.existingId } : {}),
  });
}
