import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BagInfoLine, BundleOptions, BundlePreview, BundleProgress, BundleSelection, ExportReport, StrippableField } from '../../shared/bundles.ts';
import type { DocumentWithText } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { Archive } from '../archive.ts';
import { type Clock, systemClock } from '../clock.ts';
import { getDocument, type StoredExtraction } from '../documents.ts';
import { sha256Hex } from '../hash.ts';
import { redactedText } from '../redactions.ts';
import { indexedPeopleText } from '../search/indexing.ts';
import { DEFAULT_WORK_FACTOR, encryptingSink } from './age.ts';
import { checkCancelled } from './cancel.ts';
import { BAGIT_TXT, bagSize, formatBagInfo, formatManifest, payloadOxum } from './bagit.ts';
import { BUNDLE_FORMAT_VERSION, CATALOGUE_SCHEMA, CATALOGUE_SCHEMA_VERSION, type Catalogue, ITEM_SCHEMA, ITEM_SCHEMA_VERSION, type ItemMetadata, paths, safeFileName } from './format.ts';
import { resolveSelection } from './selection.ts';
import { indexSink } from './index-client.ts';
import { type ViewerDetails, type ViewerItem, jsonScript, literalScript, packCatalogue } from './viewer-index.ts';
import { viewerHtml } from './viewer-page.ts';
import { type ByteSink, ZipWriter } from './zip-writer.ts';

export interface ExportEnvironment {
  /** The viewer's script (built from src/viewer by scripts/build-viewer.ts). */
  viewerScript: string;
  /** Who made the bundle, for bag-info.txt: "Kartoteka 0.1.0". */
  producer: string;
  /** The version alone, for the Kartoteka-Version line. */
  version: string;
  clock?: Clock;
  onProgress?: (progress: BundleProgress) => void;
  /** age's scrypt work factor; tests lower it, everyone else keeps age's 18. */
  scryptWorkFactor?: number;
  /** The indexing worker's script (the app passes its built one); null indexes in this thread. */
  indexWorkerUrl?: URL | null | undefined;
  /** One step of finishing a rebuild of the search index first (at least one document a step); 40 ms. Tests lower it. */
  indexStepMs?: number | undefined;
  /** Aborted: the export stops at the next item with CANCELLED and its partly written file is removed. */
  signal?: AbortSignal | undefined;
}

export interface ExportRequest {
  selection: BundleSelection;
  options: BundleOptions;
  /** The file to write (the zip, or with options.encrypt the age file). */
  path: string;
}

const encoder = new TextEncoder();
const json = (value: unknown): Uint8Array => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);

/** Media that are compressed already: stored as they are, streamed from the blob. */
const stored = (mediaType: string): boolean =>
  /^(audio|video|image)\//u.test(mediaType) || /zip|pdf|officedocument|opendocument|compressed|x-7z|gzip/u.test(mediaType);

/**
 * Writes a bundle: a zip with one BagIt bag (docs/bundle-format.md), encrypted with age when asked.
 * The zip is streamed to a temporary file beside `path` (encrypted on the way when asked, so no
 * plaintext copy touches the disk), synced, then renamed over `path`: a failed export leaves nothing.
 */
export async function exportBundle(archive: Archive, request: ExportRequest, env: ExportEnvironment): Promise<ExportReport> {
  const { options } = request;
  const clock = env.clock ?? systemClock;
  const now = clock();
  const progress = (phase: BundleProgress['phase'], done: number, total: number): void => env.onProgress?.({ operation: 'export', phase, done, total });
  progress('selecting', 0, 0);

  const cancelled = (): void => checkCancelled(env.signal, 'export');
  const target = resolve(request.path);
  const { ids: selected, description: selectionWords } = await resolveSelection(archive, request.selection, {
    signal: env.signal,
    indexStepMs: env.indexStepMs,
    onIndexing: (done, total) => progress('indexing', done, total),
  });
  progress('selecting', 0, 0);
  const plan = planItems(archive, selected, options);
  cancelled();

  const bagName = safeFileName(basename(target).replace(/(\.zip)?(\.age)?$/iu, '')) || 'kartoteka-bundle';
  const base = `${bagName}/`;
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
  const handle = await openTarget(target, tmp);
  const fileHash = createHash('sha256');
  let fileBytes = 0;
  const file = {
    async write(bytes: Uint8Array): Promise<void> {
      fileHash.update(bytes);
      fileBytes += bytes.length;
      await handle.write(bytes);
    },
  };
  let closed = false;
  const sinks: { close(): Promise<void> }[] = [];
  try {
    progress('writing', 0, plan.ids.length);
    const encrypted = options.encrypt !== null ? await encryptingSink(file, options.encrypt.passphrase, env.scryptWorkFactor ?? DEFAULT_WORK_FACTOR) : null;
    cancelled();
    const sink: ByteSink = encrypted ?? file;
    const zip = new ZipWriter(sink, now);
    await zip.addFile(`${base}bagit.txt`, encoder.encode(BAGIT_TXT), false);

    const manifest: { path: string; checksum: string }[] = [];
    let payloadBytes = 0;
    const addPayload = async (relative: string, data: Uint8Array): Promise<void> => {
      await zip.addFile(`${base}data/${relative}`, data);
      manifest.push({ path: `data/${relative}`, checksum: sha256Hex(data) });
      payloadBytes += data.length;
    };

    const report: ExportReport = {
      path: target,
      encrypted: options.encrypt !== null,
      bytes: 0,
      sha256: '',
      items: plan.ids.length,
      payloadFiles: 0,
      payloadBytes: 0,
      originals: 0,
      leftOutBySensitivity: plan.leftOutBySensitivity,
      leftOutTranslations: plan.leftOutTranslations,
      redacted: [],
      stripped: [...new Set(options.strip)].sort(),
      bagInfo: [],
      warnings: [],
    };
    const inBundle = new Set(plan.ids);
    const index = indexSink(env.indexWorkerUrl);
    sinks.push(index);
    const viewerItems: ViewerItem[] = [];
    const catalogueItems: Catalogue['items'] = [];

    for (const [i, id] of plan.ids.entries()) {
      cancelled();
      const doc = getDocument(archive, id);
      const spans = archive.sql('SELECT start, "end" FROM redactions WHERE document_id = ? ORDER BY start').all(id) as unknown as { start: number; end: number }[];
      const text = redactedText(doc.text, spans);
      const metadata = itemMetadata(archive, doc, text, spans.length, report.stripped, inBundle);

      const fileNames = new Set<string>();
      for (const f of doc.files) {
        if (!options.originals || spans.length > 0) {
          metadata.omittedFiles.push({ fileName: f.fileName, sha256: f.sha256, size: f.size, mediaType: f.mediaType, reason: options.originals ? 'redacted' : 'text-only' });
          continue;
        }
        let name = safeFileName(f.fileName);
        for (let n = 2; fileNames.has(name.toLowerCase()); n++) name = safeFileName(`${n}-${f.fileName}`);
        fileNames.add(name.toLowerCase());
        const relative = paths.original(id, name);
        await addOriginal(archive, zip, `${base}data/${relative}`, f.sha256, f.size, f.mediaType);
        manifest.push({ path: `data/${relative}`, checksum: f.sha256 });
        payloadBytes += f.size;
        report.originals++;
        metadata.files.push({ path: relative, fileName: f.fileName, sha256: f.sha256, size: f.size, mediaType: f.mediaType, role: 'original' });
      }
      if (spans.length > 0) {
        report.redacted.push({ id, title: doc.title, spans: spans.length, originalsLeftOut: options.originals ? doc.files.map((f) => f.fileName) : [] });
      }

      const textBytes = encoder.encode(text);
      await addPayload(paths.text(id), textBytes);
      await addPayload(paths.metadata(id), json(metadata));
      const viewer = viewerItemOf(metadata);
      await addPayload(paths.viewerText(id), encoder.encode(literalScript('__kartoteka.text', id, { text, cues: metadata.cues, pages: metadata.pages, details: viewer.details })));

      await index.add({ title: metadata.title, people: indexedPeopleText(archive, id, metadata), body: text }, metadata.language);
      viewerItems.push(viewer.item);
      catalogueItems.push({
        id,
        title: metadata.title,
        kind: metadata.kind,
        language: metadata.language,
        date: metadata.date,
        translationOf: metadata.translationOf,
        metadata: paths.metadata(id),
        text: paths.text(id),
        files: metadata.files.map((f) => f.path),
      });
      progress('writing', i + 1, plan.ids.length);
    }

    // The viewer: its index in shards, its catalogue, the page; then the tag files. Not counted in the items.
    progress('finishing', 0, 0);
    const head = await index.build(async (shard) => {
      cancelled();
      await addPayload(paths.viewerShard(shard.n), encoder.encode(shard.script));
    });
    const description = options.description || `Kartoteka bundle: ${plan.ids.length} item${plan.ids.length === 1 ? '' : 's'} from ${selectionWords}`;
    const producer = env.producer;
    await addPayload(
      paths.viewerCatalogue,
      encoder.encode(jsonScript('__kartoteka.catalogue', packCatalogue({ description, producer, createdAt: now.toISOString(), options: optionWords(options), items: viewerItems, index: head }))),
    );
    await addPayload(paths.index, encoder.encode(viewerHtml({ title: description, script: env.viewerScript })));
    const catalogue: Catalogue = { schema: CATALOGUE_SCHEMA, schemaVersion: CATALOGUE_SCHEMA_VERSION, createdAt: now.toISOString(), producer, description, items: catalogueItems };
    await addPayload(paths.catalogue, json(catalogue));

    // The tag files: bag-info, the payload manifest, the tag manifest over both and bagit.txt.
    manifest.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const bagInfo: BagInfoLine[] = [
      { label: 'Source-Organization', value: options.organization || 'Not stated' },
      { label: 'Bagging-Date', value: now.toISOString().slice(0, 10) },
      { label: 'Payload-Oxum', value: payloadOxum(payloadBytes, manifest.length) },
      { label: 'Bag-Size', value: bagSize(payloadBytes) },
      { label: 'External-Description', value: description },
      { label: 'Bag-Software-Agent', value: producer },
      { label: 'Kartoteka-Version', value: env.version },
      { label: 'Kartoteka-Bundle-Format', value: String(BUNDLE_FORMAT_VERSION) },
      { label: 'Kartoteka-Options', value: optionWords(options) },
    ];
    const tagFiles: [string, Uint8Array][] = [
      ['bagit.txt', encoder.encode(BAGIT_TXT)],
      ['bag-info.txt', encoder.encode(formatBagInfo(bagInfo))],
      ['manifest-sha256.txt', encoder.encode(formatManifest(manifest))],
    ];
    for (const [name, data] of tagFiles.slice(1)) await zip.addFile(`${base}${name}`, data);
    await zip.addFile(`${base}tagmanifest-sha256.txt`, encoder.encode(formatManifest(tagFiles.map(([path, data]) => ({ path, checksum: sha256Hex(data) })))));
    await zip.finish();
    if (encrypted) {
      progress('encrypting', 0, 0);
      await encrypted.close();
    }
    await handle.sync();
    await handle.close();
    closed = true;
    // The last moment to stop: after the rename the bundle is there, whole.
    cancelled();
    await rename(tmp, target);
    progress('finished', plan.ids.length, plan.ids.length);

    report.payloadFiles = manifest.length;
    report.payloadBytes = payloadBytes;
    report.bytes = fileBytes;
    report.sha256 = fileHash.digest('hex');
    report.bagInfo = bagInfo;
    if (report.redacted.length > 0 && options.originals) {
      report.warnings.push(
        `${report.redacted.length} item${report.redacted.length === 1 ? ' has' : 's have'} redacted text; ${report.redacted.length === 1 ? 'its' : 'their'} original files were left out, since the redaction cannot be applied to them.`,
      );
    }
    return report;
  } catch (error) {
    progress('failed', 0, 0);
    if (!closed) await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  } finally {
    for (const sink of sinks) await sink.close();
  }
}

/**
 * Opens the temporary file beside `target`, making the target's folder first (the default one,
 * ~/Kartoteka exports, may not be there yet); fs errors become coded ones the UI can say.
 */
async function openTarget(target: string, tmp: string): Promise<FileHandle> {
  const coded = (error: unknown): unknown => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new KartotekaError('PERMISSION_DENIED', `The bundle cannot be written to ${dirname(target)}: permission denied.`);
    if (code === 'ENOTDIR' || code === 'EEXIST') return new KartotekaError('NOT_A_FILE', `${dirname(target)} is a file, not a folder; choose another place for the bundle.`);
    if (code === 'ENOSPC') return new KartotekaError('STORAGE_FAILED', `There is no room left on the disk of ${dirname(target)}.`);
    return error;
  };
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new KartotekaError('NOT_A_FILE', `${target} is a folder; name the bundle's file, such as ${join(target, 'bundle.zip')}.`);
  try {
    await mkdir(dirname(target), { recursive: true });
    return await open(tmp, 'wx', 0o600);
  } catch (error) {
    throw coded(error);
  }
}

/**
 * What exporting the selection with these options would write, counted from the catalogue alone
 * (a search-based selection finishes a rebuild of the index first, without blocking, as the export does).
 */
export async function previewBundle(archive: Archive, selection: BundleSelection, options: BundleOptions): Promise<BundlePreview> {
  const { ids: selected } = await resolveSelection(archive, selection);
  const plan = planItems(archive, selected, options);
  const files = archive.sql('SELECT count(*) AS n, coalesce(sum(b.size), 0) AS bytes FROM document_files f JOIN blobs b ON b.sha256 = f.sha256 WHERE f.document_id = ?');
  const spans = archive.sql('SELECT count(*) AS n FROM redactions WHERE document_id = ?');
  let originals = 0;
  let originalBytes = 0;
  let redacted = 0;
  for (const id of plan.ids) {
    const isRedacted = (spans.get(id) as { n: number }).n > 0;
    if (isRedacted) redacted++;
    if (options.originals && !isRedacted) {
      const row = files.get(id) as { n: number; bytes: number };
      originals += row.n;
      originalBytes += row.bytes;
    }
  }
  const chosen = new Set(selected);
  return {
    selected: selected.length,
    items: plan.ids.length,
    added: plan.ids.filter((id) => !chosen.has(id)).length,
    originals,
    originalBytes,
    leftOutBySensitivity: plan.leftOutBySensitivity,
    leftOutConfidential: plan.leftOutConfidential,
    leftOutTranslations: plan.leftOutTranslations,
    redacted,
  };
}

interface Plan {
  ids: string[];
  leftOutBySensitivity: number;
  leftOutConfidential: number;
  leftOutTranslations: number;
}

/**
 * The selection with the translations of what it found (or without any translation), the
 * transcripts of its audio messages, and without documents of a sensitivity not asked for.
 */
function planItems(archive: Archive, selected: readonly string[], options: BundleOptions): Plan {
  const rows = new Map<string, { translationOf: string | null; sensitivity: string }>();
  const read = archive.sql('SELECT translation_of AS translationOf, sensitivity FROM documents WHERE id = ?');
  const rowOf = (id: string): { translationOf: string | null; sensitivity: string } => {
    let row = rows.get(id);
    if (!row) {
      row = read.get(id) as { translationOf: string | null; sensitivity: string };
      rows.set(id, row);
    }
    return row;
  };
  const chosen = new Set(selected);
  const order = [...selected];
  const addAfter = (id: string): void => {
    if (chosen.has(id)) return;
    chosen.add(id);
    order.push(id);
  };
  // An audio message comes with its transcript, so the viewer can play one beside the other.
  for (const id of selected) {
    const transcripts = archive.sql("SELECT to_id AS id FROM document_links WHERE from_id = ? AND kind = 'transcript'").all(id) as unknown as { id: string }[];
    for (const t of transcripts) addAfter(t.id);
  }
  if (options.translations) {
    for (const id of [...order]) {
      const translations = archive.sql('SELECT id FROM documents WHERE translation_of = ? ORDER BY language, n').all(id) as unknown as { id: string }[];
      for (const t of translations) addAfter(t.id);
    }
  }
  const allowed = new Set<string>(options.sensitivities);
  let leftOutBySensitivity = 0;
  let leftOutConfidential = 0;
  let leftOutTranslations = 0;
  const ids = order.filter((id) => {
    const row = rowOf(id);
    if (!options.translations && row.translationOf !== null) {
      leftOutTranslations++;
      return false;
    }
    if (!allowed.has(row.sensitivity)) {
      leftOutBySensitivity++;
      if (row.sensitivity === 'confidential') leftOutConfidential++;
      return false;
    }
    return true;
  });
  return { ids, leftOutBySensitivity, leftOutConfidential, leftOutTranslations };
}

function itemMetadata(archive: Archive, doc: DocumentWithText, text: string, redactedSpans: number, strip: readonly StrippableField[], inBundle: ReadonlySet<string>): ItemMetadata {
  const extraction = JSON.parse((archive.sql('SELECT extraction FROM documents WHERE id = ?').get(doc.id) as { extraction: string }).extraction) as Partial<StoredExtraction>;
  const people = archive
    .sql('SELECT p.name, p.variants, p.roles, dp.role FROM document_people dp JOIN people p ON p.id = dp.person_id WHERE dp.document_id = ? ORDER BY p.name, dp.role')
    .all(doc.id) as unknown as { name: string; variants: string; roles: string; role: string }[];
  const byName = new Map<string, ItemMetadata['people'][number]>();
  for (const row of people) {
    const entry = byName.get(row.name) ?? { name: row.name, variants: JSON.parse(row.variants) as string[], roles: JSON.parse(row.roles) as ItemMetadata['people'][number]['roles'], linkedRoles: [] };
    entry.linkedRoles.push(row.role as ItemMetadata['people'][number]['linkedRoles'][number]);
    byName.set(row.name, entry);
  }
  return {
    schema: ITEM_SCHEMA,
    schemaVersion: ITEM_SCHEMA_VERSION,
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    language: doc.language,
    date: doc.date,
    dateApproximate: doc.dateApproximate,
    authors: doc.authors,
    recipients: doc.recipients,
    source: strip.includes('source') ? '' : doc.source,
    sensitivity: doc.sensitivity,
    tags: strip.includes('tags') ? [] : doc.tags,
    cases: doc.cases,
    notes: strip.includes('notes') ? '' : doc.notes,
    translationOf: doc.translationOf,
    translator: doc.translator,
    translationStatus: doc.translationStatus,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    userFields: doc.userFields,
    stripped: [...strip],
    text: { path: paths.text(doc.id), sha256: sha256Hex(text), length: text.length, source: doc.textSource, redactedSpans },
    extraction: { importer: extraction.importer ?? 'unknown', encoding: doc.encoding, repair: doc.repair, warnings: doc.warnings },
    files: [],
    omittedFiles: [],
    pages: doc.pages,
    cues: doc.cues,
    // Only links within the bundle: a title of a document left out could say what it was about.
    links: doc.links.filter((l) => inBundle.has(l.id)).map((l) => ({ id: l.id, kind: l.kind, direction: l.direction })),
    translations: doc.translations.filter((t) => inBundle.has(t.id)).map((t) => ({ id: t.id, language: t.language })),
    people: [...byName.values()],
  };
}

function viewerItemOf(m: ItemMetadata): { item: ViewerItem; details: ViewerDetails } {
  return {
    item: {
      id: m.id,
      kind: m.kind,
      title: m.title,
      language: m.language,
      date: m.date,
      dateApproximate: m.dateApproximate,
      authors: m.authors,
      recipients: m.recipients,
      people: [...new Set([...m.authors, ...m.recipients, ...m.people.map((p) => p.name)])],
      cases: m.cases,
      tags: m.tags,
      sensitivity: m.sensitivity,
      translationOf: m.translationOf,
      translations: m.translations.map((t) => t.id),
      hasCues: m.cues.length > 0,
      redactedSpans: m.text.redactedSpans,
      textLength: m.text.length,
    },
    details: {
      source: m.source,
      notes: m.notes,
      links: m.links,
      files: m.files.map((f) => ({ name: f.fileName, path: f.path, mediaType: f.mediaType, size: f.size })),
      omitted: m.omittedFiles.map((f) => ({ name: f.fileName, reason: f.reason })),
    },
  };
}

function optionWords(options: BundleOptions): string {
  return [
    options.originals ? 'originals and text' : 'text only',
    options.translations ? 'with translations' : 'without translations',
    `sensitivity ${[...options.sensitivities].join(', ')}`,
    options.strip.length > 0 ? `stripped ${[...options.strip].join(', ')}` : 'nothing stripped',
    options.encrypt ? 'encrypted (age)' : 'not encrypted',
  ].join('; ');
}

/** Streams one original from the blob store into the zip, checking on the way that it is still the file it was. */
async function addOriginal(archive: Archive, zip: ZipWriter, name: string, sha256: string, size: number, mediaType: string): Promise<void> {
  const path = archive.blobs.pathOf(sha256);
  const hash = createHash('sha256');
  if (stored(mediaType) || size > 64 * 1024 * 1024) {
    const pieces = (async function* () {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    })();
    await zip.addStream(name, size, pieces);
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      chunks.push(chunk as Buffer);
    }
    await zip.addFile(name, Buffer.concat(chunks));
  }
  if (hash.digest('hex') !== sha256) {
    throw new KartotekaError('VERIFY_FAILED', `The original ${sha256} in the archive no longer matches its checksum; run \`kartoteka verify\`. Nothing was exported.`);
  }
}
