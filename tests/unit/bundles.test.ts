import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { parseBagInfo, directoryBagReader, verifyBag } from '../../src/core/bundles/bagit.ts';
import { type ExportEnvironment, exportBundle } from '../../src/core/bundles/export.ts';
import { ItemMetadata } from '../../src/core/bundles/format.ts';
import { importBundle, inspectBundle } from '../../src/core/bundles/import.ts';
import { getDocument, updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { BundleOptions, type BundleOptionsInput, type BundleSelection, type ExportReport } from '../../src/shared/bundles.ts';
import type { DocumentWithText } from '../../src/shared/document.ts';
import { fixture, refusal, steppingClock, tempDir } from '../helpers.ts';
import { type BundleArchive, bundleArchive, craftZip, snapshot, testEnvironment, unzipTo, zipEntries } from './bundle-fixtures.ts';

let source: BundleArchive;
let env: ExportEnvironment;

beforeAll(async () => {
  source = await bundleArchive(join(tempDir(), 'source'));
  env = await testEnvironment();
}, 120_000);

const everything = ['public', 'internal', 'confidential'] as const;

async function exportTo(name: string, options: BundleOptionsInput = {}, selection: BundleSelection = { type: 'all' }): Promise<ExportReport> {
  return exportBundle(source.archive, { selection, options: BundleOptions.parse(options), path: join(tempDir(), name) }, env);
}

const emptyArchive = (): Archive => Archive.create(join(tempDir(), 'target'), { clock: steppingClock('2026-02-01T09:00:00.000Z') });

/** What a round trip must keep: the document as getDocument gives it. */
const comparable = (doc: DocumentWithText, withFiles = true): unknown => ({ ...doc, files: withFiles ? doc.files : [] });

describe('exporting a bundle', () => {
  it('writes one BagIt bag in one top-level folder, which the verifier finds complete and valid', async () => {
    const report = await exportTo('sample-bundle.zip', { sensitivities: [...everything] });
    const names = zipEntries(report.path).map((e) => e.name);
    expect(new Set(names.map((n) => n.split('/')[0]))).toEqual(new Set(['sample-bundle']));
    for (const tag of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', 'data/index.html', 'data/catalogue.json']) {
      expect(names).toContain(`sample-bundle/${tag}`);
    }
    const dir = tempDir();
    unzipTo(report.path, dir);
    const bag = join(dir, 'sample-bundle');
    const check = verifyBag(directoryBagReader(bag));
    expect(check.problems).toEqual([]);
    expect(readFileSync(join(bag, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const info = parseBagInfo(readFileSync(join(bag, 'bag-info.txt'), 'utf8')).lines;
    expect(info.map((l) => l.label)).toEqual(expect.arrayContaining(['Source-Organization', 'Bagging-Date', 'Payload-Oxum', 'Bag-Size', 'External-Description', 'Kartoteka-Version']));
    expect(info.find((l) => l.label === 'Payload-Oxum')?.value).toBe(`${report.payloadBytes}.${report.payloadFiles}`);
    // The tag manifest covers every other tag file, never itself.
    const tagged = readFileSync(join(bag, 'tagmanifest-sha256.txt'), 'utf8').trim().split('\n').map((l) => l.split(' ')[1]).sort();
    expect(tagged).toEqual(['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt']);
    // Each item: its original, its text as UTF-8, its metadata in the documented schema.
    const item = join(bag, 'data', 'items', source.ids.verdictRu);
    expect(readdirSync(join(item, 'original'))).toEqual(['2024-01-23-verdict-solovyov.ru.md']);
    expect(readFileSync(join(item, 'text.txt'), 'utf8')).toBe(getDocument(source.archive, source.ids.verdictRu).text);
    const metadata = ItemMetadata.parse(JSON.parse(readFileSync(join(item, 'metadata.json'), 'utf8')));
    expect(metadata).toMatchObject({ schema: 'kartoteka-bundle-item', schemaVersion: 1, id: source.ids.verdictRu, language: 'ru', translations: [{ id: source.ids.verdictEn, language: 'en' }] });
    expect(report).toMatchObject({ items: 17, encrypted: false, leftOutBySensitivity: 0 });
  });

  it('streams large originals (data descriptors) and names every file in UTF-8, unzip agreeing', async () => {
    const report = await exportTo('unzip-check.zip', { sensitivities: [...everything] });
    const run = spawnSync('unzip', ['-t', report.path], { encoding: 'utf8' });
    expect(run.stdout).toContain('No errors detected');
    expect(run.stdout).toContain('2025-04-12-call-anna.wav');
  });

  it('leaves out confidential items by default, and translations when asked', async () => {
    const report = await exportTo('default.zip');
    expect(report.leftOutBySensitivity).toBe(1);
    const names = zipEntries(report.path).map((e) => e.name);
    expect(names.some((n) => n.includes(source.ids.confidential))).toBe(false);
    const noTranslations = await exportTo('no-translations.zip', { translations: false }, { type: 'ids', ids: [source.ids.verdictRu, source.ids.verdictEn] });
    expect(noTranslations.items).toBe(1);
    expect(noTranslations.leftOutTranslations).toBe(1);
    const withTranslations = await exportTo('with-translations.zip', {}, { type: 'ids', ids: [source.ids.verdictRu] });
    expect(withTranslations.items).toBe(2);
  });

  it('takes an audio message with its transcript, and selects by search, person and case', async () => {
    const audio = await exportTo('audio.zip', {}, { type: 'ids', ids: [source.ids.audio] });
    expect(audio.items).toBe(2);
    const bySearch = await exportTo('search.zip', { sensitivities: [...everything] }, { type: 'search', query: 'приговор' });
    expect(bySearch.items).toBeGreaterThanOrEqual(2);
    const byPerson = await exportTo('person.zip', { sensitivities: [...everything] }, { type: 'person', name: 'Miron Solovyov' });
    expect(byPerson.items).toBeGreaterThan(5);
    const cases = getDocument(source.archive, source.ids.verdictRu).cases;
    if (cases[0]) expect((await exportTo('case.zip', {}, { type: 'case', title: cases[0] })).items).toBeGreaterThan(0);
  });

  it('writes text only when asked: no original files, each item saying which stayed out', async () => {
    const report = await exportTo('text-only.zip', { originals: false });
    expect(report.originals).toBe(0);
    const entries = zipEntries(report.path);
    expect(entries.some((e) => e.name.includes('/original/'))).toBe(false);
    const metadata = ItemMetadata.parse(JSON.parse(new TextDecoder().decode(entries.find((e) => e.name.endsWith(`${source.ids.audio}/metadata.json`))?.data)));
    expect(metadata.files).toEqual([]);
    expect(metadata.omittedFiles).toMatchObject([{ fileName: '2025-04-12-call-anna.wav', reason: 'text-only' }]);
  });

  it('blacks out redacted spans with █ everywhere the text goes, leaves the original out and says so', async () => {
    const report = await exportTo('redacted.zip');
    expect(report.redacted).toMatchObject([{ id: source.ids.letterToWife, spans: 1, originalsLeftOut: [expect.any(String)] }]);
    expect(report.warnings.join(' ')).toMatch(/original files were left out/u);
    const entries = zipEntries(report.path);
    const text = new TextDecoder().decode(entries.find((e) => e.name.endsWith(`${source.ids.letterToWife}/text.txt`))?.data);
    expect(text).toContain('█'.repeat(source.redactedWord.length));
    expect(text).not.toContain(source.redactedWord);
    expect(entries.some((e) => e.name.includes(`${source.ids.letterToWife}/original/`))).toBe(false);
    // Nor in the viewer's copy of the text, nor in its index: the word is gone from the bundle.
    const anywhere = entries.filter((e) => e.name.includes(source.ids.letterToWife) || e.name.includes('/viewer/index/'));
    for (const e of anywhere) expect(new TextDecoder().decode(e.data).toLowerCase()).not.toContain('барсуч');
  });

  it('strips the chosen fields', async () => {
    const report = await exportTo('stripped.zip', { strip: ['notes', 'source'] });
    expect(report.stripped).toEqual(['notes', 'source']);
    for (const entry of zipEntries(report.path).filter((e) => e.name.endsWith('metadata.json'))) {
      const metadata = ItemMetadata.parse(JSON.parse(new TextDecoder().decode(entry.data)));
      expect([metadata.notes, metadata.source, metadata.stripped]).toEqual(['', '', ['notes', 'source']]);
    }
  });

  it('leaves nothing behind when it fails', async () => {
    const dir = tempDir();
    const path = join(dir, 'broken.zip');
    const failing = await testEnvironment({
      onProgress: (p) => {
        if (p.phase === 'writing' && p.done === 3) throw new Error('disk full');
      },
    });
    await expect(exportBundle(source.archive, { selection: { type: 'all' }, options: BundleOptions.parse({}), path }, failing)).rejects.toThrow('disk full');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('importing a bundle', () => {
  it('into an empty archive gives identical metadata, text, files, cues, links and translations', async () => {
    const report = await exportTo('round-trip.zip', { sensitivities: [...everything] });
    const target = emptyArchive();
    const imported = await importBundle(target, report.path);
    expect(imported.counts).toEqual({ add: 17, duplicate: 0, unchanged: 0, conflict: 0 });
    for (const id of Object.keys(imported.ids)) {
      if (id === source.ids.letterToWife) continue;
      expect(imported.ids[id]).toBe(id);
      expect(comparable(getDocument(target, id))).toEqual(comparable(getDocument(source.archive, id)));
    }
    // The redacted letter comes with its redactions applied and without its original.
    const letter = getDocument(target, source.ids.letterToWife);
    expect(letter.text).toContain('█');
    expect(letter.files).toEqual([]);
    expect(letter.title).toBe(getDocument(source.archive, source.ids.letterToWife).title);
    expect(getDocument(target, source.ids.audio).links).toMatchObject([{ id: source.ids.transcript, kind: 'transcript', direction: 'from' }]);
    // The originals are in the blob store, and the archive verifies.
    const { verifyArchive } = await import('../../src/core/verify.ts');
    expect((await verifyArchive(target)).ok).toBe(true);
  });

  it('records the bundle’s bag-info and the time in the audit log', async () => {
    const report = await exportTo('provenance.zip', { organization: 'Letters to Miron', description: 'For the lawyers' });
    const target = emptyArchive();
    const imported = await importBundle(target, report.path);
    const row = target.sql('SELECT action, at, details FROM audit_log WHERE seq = ?').get(imported.auditSeq) as { action: string; at: string; details: string };
    expect(row.action).toBe('bundle.import');
    const details = JSON.parse(row.details) as { sha256: string; importedAt: string; bagInfo: { label: string; value: string }[] };
    expect(details.sha256).toBe(report.sha256);
    expect(Date.parse(details.importedAt)).toBeLessThanOrEqual(Date.parse(row.at));
    expect(details.bagInfo).toEqual(expect.arrayContaining([{ label: 'Source-Organization', value: 'Letters to Miron' }, { label: 'External-Description', value: 'For the lawyers' }]));
  });

  it('shows what it would add without changing anything, and merges without duplicates or losses', async () => {
    const report = await exportTo('merge.zip');
    const target = emptyArchive();
    // One original already there (imported by hand, under another id).
    await importBuffers(target, [{ name: 'call.wav', bytes: readFileSync(fixture('audio/2025-04-12-call-anna.wav')) }], { workers: 0 });
    const before = snapshot(target);
    const plan = await inspectBundle(target, report.path);
    expect(snapshot(target)).toBe(before);
    expect(plan.counts).toEqual({ add: 15, duplicate: 1, unchanged: 0, conflict: 0 });
    expect(plan.items.find((i) => i.bundleId === source.ids.audio)?.action).toBe('duplicate');
    const first = await importBundle(target, report.path);
    expect(first.counts).toEqual(plan.counts);
    // The transcript still links to the recording that was already there.
    const existingAudio = plan.items.find((i) => i.bundleId === source.ids.audio)?.existingId ?? '';
    expect(getDocument(target, source.ids.transcript).links.map((l) => l.id)).toContain(existingAudio);
    // Again: nothing new.
    const again = await importBundle(target, report.path);
    expect(again.counts).toEqual({ add: 0, duplicate: 1, unchanged: 15, conflict: 0 });
  });

  it('keeps both when the same id comes with other content, and flags the conflict', async () => {
    const report = await exportTo('conflict.zip', {}, { type: 'ids', ids: [source.ids.verdictRu] });
    const target = emptyArchive();
    await importBundle(target, report.path);
    updateDocument(target, source.ids.verdictRu, { title: 'Приговор (исправленное название)' });
    const imported = await importBundle(target, report.path);
    expect(imported.counts).toMatchObject({ conflict: 1 });
    const newId = imported.ids[source.ids.verdictRu] ?? '';
    expect(newId).not.toBe(source.ids.verdictRu);
    const kept = getDocument(target, source.ids.verdictRu);
    const added = getDocument(target, newId);
    expect(kept.title).toBe('Приговор (исправленное название)');
    expect(added.title).toBe(getDocument(source.archive, source.ids.verdictRu).title);
    expect(added.tags).toContain('bundle-conflict');
    expect(added.links).toContainEqual(expect.objectContaining({ id: source.ids.verdictRu, kind: 'possible-duplicate' }));
  });

  it('leaves the archive exactly as it was when the merge fails half-way', async () => {
    const report = await exportTo('atomic.zip', { sensitivities: [...everything] });
    const target = emptyArchive();
    const before = snapshot(target);
    const audit = target.audit.bind(target);
    target.audit = (action, subject, details) => {
      if (action === 'bundle.import') throw new Error('the disk is full');
      audit(action, subject, details);
    };
    await expect(importBundle(target, report.path)).rejects.toThrow('the disk is full');
    target.audit = audit;
    expect(snapshot(target)).toBe(before);
  });
});

describe('encrypted bundles', () => {
  it('round-trip with the passphrase; a wrong or missing one is a clear error and changes nothing', async () => {
    const report = await exportTo('secret.zip.age', { encrypt: { passphrase: 'correct horse battery staple' } });
    expect(report.encrypted).toBe(true);
    expect(readFileSync(report.path).subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
    const target = emptyArchive();
    const before = snapshot(target);
    expect((await refusal(importBundle(target, report.path, { passphrase: 'wrong horse' }))).code).toBe('WRONG_PASSPHRASE');
    expect((await refusal(importBundle(target, report.path))).code).toBe('PASSPHRASE_REQUIRED');
    expect(snapshot(target)).toBe(before);
    const imported = await importBundle(target, report.path, { passphrase: 'correct horse battery staple' });
    expect(imported.encrypted).toBe(true);
    expect(comparable(getDocument(target, source.ids.verdictRu))).toEqual(comparable(getDocument(source.archive, source.ids.verdictRu)));
    // No decrypted copy stays behind.
    expect(readdirSync(join(target.root, 'tmp')).filter((n) => n.includes('bundle'))).toEqual([]);
  });

  it('opens with `age --decrypt` from Debian’s age package', async () => {
    const report = await exportTo('for-age.zip.age', { encrypt: { passphrase: 'correct horse battery staple' } }, { type: 'ids', ids: [source.ids.verdictRu] });
    const out = join(tempDir(), 'decrypted.zip');
    // age reads a passphrase from the terminal only: script(1) gives it one.
    const run = spawnSync('script', ['-qec', `age --decrypt -o '${out}' '${report.path}'`, '/dev/null'], { input: 'correct horse battery staple\n', encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const dir = tempDir();
    unzipTo(out, dir);
    expect(verifyBag(directoryBagReader(join(dir, 'for-age'))).ok).toBe(true);
  });
});

describe('hostile bundles are refused before the archive is touched', () => {
  let entries: { name: string; data: Uint8Array }[];
  let base: string;
  beforeAll(async () => {
    const report = await exportTo('honest.zip', {}, { type: 'ids', ids: [source.ids.verdictRu] });
    entries = zipEntries(report.path);
    base = entries[0]?.name.split('/')[0] ?? '';
  });

  async function refused(zip: Uint8Array, limits?: { maxUnpackedBytes?: number }): Promise<{ code: string; message: string; reason: unknown }> {
    const path = join(tempDir(), 'hostile.zip');
    writeFileSync(path, zip);
    const target = emptyArchive();
    const before = snapshot(target);
    const error = await refusal(importBundle(target, path, { limits }));
    expect(snapshot(target)).toBe(before);
    return { code: error.code, message: error.message, reason: (error.details as { reason?: unknown } | undefined)?.reason };
  }

  it('the honest bundle itself imports', async () => {
    const path = join(tempDir(), 'rewritten.zip');
    writeFileSync(path, craftZip(entries));
    expect((await importBundle(emptyArchive(), path)).counts.add).toBe(2);
  });

  it.each([
    ['climbs out with ..', '../../.bashrc'],
    ['is an absolute path', '/etc/cron.d/evil'],
  ])('refuses an entry that %s (zip slip)', async (_, name) => {
    const result = await refused(craftZip([...entries, { name, data: new TextEncoder().encode('evil') }]));
    expect(result).toMatchObject({ code: 'BUNDLE_UNSAFE', reason: 'unsafe-path' });
    expect(result.message).toMatch(/unsafe path/u);
  });

  it('refuses a symbolic link', async () => {
    expect(await refused(craftZip([...entries, { name: `${base}/data/link`, data: new TextEncoder().encode('/etc/passwd'), stored: true, symlink: true }]))).toMatchObject({
      code: 'BUNDLE_UNSAFE',
      reason: 'symlink',
    });
  });

  it('refuses an entry larger than it declares', async () => {
    const lying = entries.map((e) => (e.name.endsWith('text.txt') ? { ...e, declaredSize: 100 } : e));
    expect(await refused(craftZip(lying))).toMatchObject({ code: 'BUNDLE_UNSAFE', reason: 'size-mismatch' });
  });

  it('refuses an entry compressed more than 100:1 (a zip bomb)', async () => {
    const bomb = { name: `${base}/data/zeros.bin`, data: new Uint8Array(5 * 1024 * 1024) };
    const result = await refused(craftZip([...entries, bomb]));
    expect(result).toMatchObject({ code: 'BUNDLE_UNSAFE', reason: 'ratio-too-high' });
    expect(result.message).toMatch(/ratio/u);
  });

  it('refuses a bundle that unpacks past the configured limit', async () => {
    expect(await refused(craftZip(entries), { maxUnpackedBytes: 100 * 1024 })).toMatchObject({ code: 'BUNDLE_UNSAFE', reason: 'total-too-large' });
  });

  it('refuses two entries of the same name', async () => {
    const metadata = entries.find((e) => e.name.endsWith('metadata.json'));
    if (!metadata) throw new Error('no metadata.json');
    expect(await refused(craftZip([...entries, metadata]))).toMatchObject({ code: 'BUNDLE_UNSAFE', reason: 'duplicate-entry' });
  });

  it('refuses a payload that does not match its manifest', async () => {
    const changed = entries.map((e) => (e.name.endsWith('text.txt') ? { ...e, data: new TextEncoder().encode('Приговор отменён.') } : e));
    const result = await refused(craftZip(changed));
    expect(result.code).toBe('BUNDLE_INVALID');
    expect(result.message).toMatch(/does not match its sha256 checksum/u);
  });

  it('refuses a file the manifest does not list', async () => {
    const result = await refused(craftZip([...entries, { name: `${base}/data/extra.txt`, data: new TextEncoder().encode('smuggled') }]));
    expect(result).toMatchObject({ code: 'BUNDLE_INVALID' });
    expect(result.message).toMatch(/not in manifest-sha256\.txt/u);
  });

  it('refuses a bundle without bagit.txt', async () => {
    const result = await refused(craftZip(entries.filter((e) => !e.name.endsWith('/bagit.txt'))));
    expect(result).toMatchObject({ code: 'BUNDLE_INVALID', reason: 'no-bagit' });
  });

  it('refuses a file that is not a zip at all', async () => {
    expect(await refused(new TextEncoder().encode('not a zip, just text'))).toMatchObject({ code: 'BUNDLE_INVALID', reason: 'not-a-zip' });
    expect(existsSync(join(tempDir(), 'nothing.zip'))).toBe(false);
  });
});
