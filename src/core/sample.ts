import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DocumentMetadata } from '../shared/document.ts';
import { KartotekaError } from '../shared/errors.ts';
import { Archive, type ArchiveOptions } from './archive.ts';
import { runImport } from './ingest/pipeline.ts';

const SampleManifest = z.object({
  schemaVersion: z.literal(1),
  documents: z.array(
    DocumentMetadata.omit({ translationOf: true }).extend({
      key: z.string(),
      file: z.string(),
      translationOf: z.string().nullable(),
    }),
  ),
});

/**
 * Builds the sample archive from resources/sample (documents written for the project about
 * fictional people), or opens it when it was built before.
 */
export async function openSampleArchive(targetDir: string, sourceDir: string, options: ArchiveOptions = {}): Promise<Archive> {
  if (Archive.isArchive(targetDir)) return Archive.open(targetDir, options);
  const parsed = SampleManifest.safeParse(JSON.parse(await readFile(join(sourceDir, 'manifest.json'), 'utf8')));
  if (!parsed.success) throw new KartotekaError('INTERNAL', `The sample manifest is invalid: ${parsed.error.message}`);
  const archive = Archive.create(targetDir, options);
  const ids = new Map<string, string>();
  // One at a time, in manifest order: a translation needs its original's id.
  for (const { key, file, translationOf, ...metadata } of parsed.data.documents) {
    const report = await runImport(
      archive,
      {
        files: [
          {
            name: file.slice(file.lastIndexOf('/') + 1),
            file,
            bytes: await readFile(join(sourceDir, file)),
            metadata: { ...metadata, translationOf: translationOf === null ? null : (ids.get(translationOf) ?? null) },
          },
        ],
      },
      { workers: 0 },
    );
    const id = report.imported[0]?.id ?? report.possibleDuplicates[0]?.id;
    if (!id) {
      archive.close();
      throw new KartotekaError('INTERNAL', `The sample archive could not be built: ${report.failed.map((f) => `${f.file}: ${f.message}`).join('; ')}`);
    }
    ids.set(key, id);
  }
  archive.transaction(() => {
    archive.db.prepare("INSERT INTO meta (key, value) VALUES ('sample', '1')").run();
    archive.audit('archive.sample', null, { documents: ids.size });
  });
  return archive;
}

export function isSampleArchive(archive: Archive): boolean {
  return archive.db.prepare("SELECT 1 AS x FROM meta WHERE key = 'sample'").get() !== undefined;
}
