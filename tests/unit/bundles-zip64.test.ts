import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { BAGIT_TXT, bagSize, formatBagInfo, formatManifest, payloadOxum } from '../../src/core/bundles/bagit.ts';
import { BUNDLE_FORMAT_VERSION, CATALOGUE_SCHEMA, CATALOGUE_SCHEMA_VERSION, type Catalogue } from '../../src/core/bundles/format.ts';
import { inspectBundle } from '../../src/core/bundles/import.ts';
import { ZipWriter } from '../../src/core/bundles/zip-writer.ts';
import { sha256Hex } from '../../src/core/hash.ts';
import { openZipFile } from '../../src/core/importers/zip-guard.ts';
import { steppingClock, tempDir } from '../helpers.ts';

/** Past the 16-bit entry count of a plain zip's end record: only Zip64 can say how many there are. */
const FILES = 70_000;
const encoder = new TextEncoder();

/**
 * A bag of more than 65,535 files (tiny ones): our zip writer must write the Zip64 end records,
 * and the import's guarded reader must find every entry through them and verify the whole bag.
 */
describe('a bundle of more than 65,535 entries (Zip64)', () => {
  it('is written by the zip writer, and read and verified entry by entry by the import', async () => {
    const dir = tempDir();
    const path = join(dir, 'many.zip');
    const handle = await open(path, 'w');
    const zip = new ZipWriter({ write: async (bytes) => void (await handle.write(bytes)) }, new Date('2026-01-15T10:00:00Z'));
    const base = 'many/';
    await zip.addFile(`${base}bagit.txt`, encoder.encode(BAGIT_TXT), false);
    const manifest: { path: string; checksum: string }[] = [];
    let payloadBytes = 0;
    const payload = async (relative: string, data: Uint8Array): Promise<void> => {
      await zip.addFile(`${base}data/${relative}`, data, false);
      manifest.push({ path: `data/${relative}`, checksum: sha256Hex(data) });
      payloadBytes += data.length;
    };
    for (let n = 0; n < FILES; n++) await payload(`notes/${String(n).padStart(5, '0')}.txt`, encoder.encode(`${n}\n`));
    const catalogue: Catalogue = { schema: CATALOGUE_SCHEMA, schemaVersion: CATALOGUE_SCHEMA_VERSION, createdAt: '2026-01-15T10:00:00.000Z', producer: 'test', description: 'many', items: [] };
    await payload('catalogue.json', encoder.encode(JSON.stringify(catalogue)));
    const bagInfo = formatBagInfo([
      { label: 'Source-Organization', value: 'Test' },
      { label: 'Bagging-Date', value: '2026-01-15' },
      { label: 'Payload-Oxum', value: payloadOxum(payloadBytes, manifest.length) },
      { label: 'Bag-Size', value: bagSize(payloadBytes) },
      { label: 'Kartoteka-Bundle-Format', value: String(BUNDLE_FORMAT_VERSION) },
    ]);
    const manifestText = formatManifest(manifest);
    await zip.addFile(`${base}bag-info.txt`, encoder.encode(bagInfo));
    await zip.addFile(`${base}manifest-sha256.txt`, encoder.encode(manifestText));
    await zip.addFile(
      `${base}tagmanifest-sha256.txt`,
      encoder.encode(
        formatManifest([
          { path: 'bagit.txt', checksum: sha256Hex(encoder.encode(BAGIT_TXT)) },
          { path: 'bag-info.txt', checksum: sha256Hex(encoder.encode(bagInfo)) },
          { path: 'manifest-sha256.txt', checksum: sha256Hex(encoder.encode(manifestText)) },
        ]),
      ),
    );
    await zip.finish();
    await handle.close();

    // The plain end record says 0xFFFF entries; the Zip64 one before it holds the real count.
    const bytes = readFileSync(path);
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    expect(bytes.readUInt16LE(end + 10)).toBe(0xffff);
    expect(bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0);
    expect(bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBeGreaterThan(0);

    const reader = openZipFile(path, { maxUnpackedBytes: 1024 ** 3, maxCompressionRatio: 100 });
    try {
      expect(reader.entries.filter((e) => !e.directory)).toHaveLength(FILES + 5);
      expect(new TextDecoder().decode(reader.read(`${base}data/notes/69999.txt`))).toBe('69999\n');
      expect(new TextDecoder().decode(reader.read(`${base}data/notes/00000.txt`))).toBe('0\n');
    } finally {
      reader.close();
    }

    // The import opens it the way it opens any bundle: every checksum verified, nothing to add.
    const archive = Archive.create(join(dir, 'archive'), { clock: steppingClock() });
    try {
      const inspection = await inspectBundle(archive, path);
      expect(inspection.payloadFiles).toBe(FILES + 1);
      expect(inspection.items).toEqual([]);
      expect(inspection.counts).toEqual({ add: 0, duplicate: 0, unchanged: 0, conflict: 0 });
    } finally {
      archive.close();
    }
  }, 120_000);
});
