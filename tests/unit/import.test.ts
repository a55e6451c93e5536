import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { getDocument } from '../../src/core/documents.ts';
import { importBuffers, importPaths } from '../../src/core/import.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import { fixture, runCli, tempDir } from '../helpers.ts';

const newArchive = (): Archive => Archive.create(join(tempDir(), 'archive'));
const blobCount = (archive: Archive): number =>
  (archive.db.prepare('SELECT count(*) AS c FROM blobs').get() as { c: number }).c;

describe('importing text files', () => {
  it('reads UTF-8, UTF-8 with BOM and CRLF, UTF-16LE and UTF-16BE with BOM', async () => {
    const archive = newArchive();
    const report = await importPaths(archive, [
      fixture('letter-utf8.txt'),
      fixture('letter-utf8-bom.md'),
      fixture('statement-utf16le-bom.txt'),
      fixture('statement-utf16be-bom.txt'),
    ]);
    expect(report.failed).toEqual([]);
    expect(report.imported).toHaveLength(4);
    const [ru, bom, uk, be] = report.imported.map((i) => getDocument(archive, i.id));
    expect(ru?.text).toContain('Соловьёв передаёт привет');
    expect(ru?.title).toBe('Письмо из ИК-7');
    expect(ru?.language).toBe('ru');
    expect(bom?.text.startsWith('# Письмо с BOM\n')).toBe(true);
    expect(bom?.text).not.toContain('\r');
    expect(bom?.title).toBe('Письмо с BOM');
    expect(uk?.text).toContain('Їжа, ґанок, єдність');
    expect(uk?.language).toBe('uk');
    expect(be?.text).toContain('refused the appeal');
    expect(be?.files[0]).toMatchObject({ fileName: 'statement-utf16be-bom.txt', mediaType: 'text/plain' });
    archive.close();
  });

  it('keeps the original bytes untouched in a read-only content-addressed blob', async () => {
    const archive = newArchive();
    const report = await importPaths(archive, [fixture('statement-utf16le-bom.txt')]);
    const { sha256 } = report.imported[0] ?? { sha256: '' };
    const blob = archive.blobs.pathOf(sha256);
    expect(blob).toContain(join('blobs', 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256));
    expect(readFileSync(blob).equals(readFileSync(fixture('statement-utf16le-bom.txt')))).toBe(true);
    expect(existsSync(blob) && (readFileSync(blob).length > 0)).toBe(true);
    archive.close();
  });

  it('stores the same bytes once and reports the second import as a duplicate of the first document', async () => {
    const archive = newArchive();
    const copy = join(tempDir(), 'renamed-copy.txt');
    copyFileSync(fixture('letter-utf8.txt'), copy);
    const first = await importPaths(archive, [fixture('letter-utf8.txt')]);
    const second = await importPaths(archive, [copy, fixture('letter-utf8.txt')]);
    const id = first.imported[0]?.id;
    expect(second.imported).toEqual([]);
    expect(second.duplicates).toEqual([
      { file: copy, id },
      { file: fixture('letter-utf8.txt'), id },
    ]);
    expect(blobCount(archive)).toBe(1);
    archive.close();
  });

  it('reports each bad file with a code and imports the rest of the batch', async () => {
    const archive = newArchive();
    const report = await importPaths(archive, [
      join(tempDir(), 'missing.txt'),
      fixture('empty.txt'),
      fixture('letter-utf8.txt'),
      fixture('scan.pdf'),
      fixture('picture-named.txt'),
      fixture('notes.xyz'),
      fixture('binary-utf16-nobom.txt'),
    ]);
    expect(report.imported.map((i) => i.file)).toEqual([fixture('letter-utf8.txt'), fixture('binary-utf16-nobom.txt')]);
    expect(report.failed.map((f) => [f.file.split('/').pop(), f.code])).toEqual([
      ['missing.txt', 'FILE_NOT_FOUND'],
      ['empty.txt', 'EMPTY_FILE'],
      ['scan.pdf', 'CORRUPT_FILE'],
      ['picture-named.txt', 'BINARY_FILE'],
      ['notes.xyz', 'UNSUPPORTED_FORMAT'],
    ]);
    for (const failure of report.failed) expect(failure.message.length).toBeGreaterThan(10);
    // Nothing of the failed files stays behind: two blobs, no temporary files.
    expect(blobCount(archive)).toBe(2);
    expect(readdirSync(join(archive.root, 'tmp')).filter((name) => name !== 'intents')).toEqual([]);
    // The intent log names no blob that is still waiting for its catalogue entry.
    for (const log of readdirSync(join(archive.root, 'tmp', 'intents'))) expect(readFileSync(join(archive.root, 'tmp', 'intents', log), 'utf8')).toBe('');
    archive.close();
  });

  it('imports folders recursively, skipping hidden files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'letters', '2024'), { recursive: true });
    copyFileSync(fixture('letter-utf8.txt'), join(dir, 'letters', '2024', 'a.txt'));
    copyFileSync(fixture('letter-utf8-bom.md'), join(dir, 'letters', 'b.md'));
    writeFileSync(join(dir, '.DS_Store'), 'junk');
    const archive = newArchive();
    const report = await importPaths(archive, [dir]);
    expect(report.imported.map((i) => i.file.slice(dir.length))).toEqual(['/letters/2024/a.txt', '/letters/b.md']);
    expect(report.failed).toEqual([]);
    archive.close();
  });

  it('rolls back a failed catalogue write and takes back the blob it wrote', async () => {
    const archive = newArchive();
    // A real failure inside the transaction: the catalogue refuses this one title.
    archive.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.title = 'Письмо из ИК-7'
      BEGIN SELECT RAISE(ABORT, 'disk said no'); END`);
    const auditBefore = (archive.db.prepare('SELECT count(*) AS c FROM audit_log').get() as { c: number }).c;
    const report = await importPaths(archive, [fixture('letter-utf8.txt'), fixture('statement-utf16le-bom.txt')]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ file: fixture('letter-utf8.txt'), code: 'STORAGE_FAILED' });
    expect(report.imported).toHaveLength(1);
    expect(blobCount(archive)).toBe(1);
    const blobFiles = readdirSync(join(archive.root, 'blobs', 'sha256'), { recursive: true }).filter((p) => String(p).length > 60);
    expect(blobFiles).toHaveLength(1);
    const actions = (archive.db.prepare('SELECT action FROM audit_log WHERE seq > ? ORDER BY seq').all(auditBefore) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['document.import', 'import.finish']);
    expect((await verifyArchive(archive)).ok).toBe(true);
    archive.close();
  });

  it('takes files from the UI by name only, never a path', async () => {
    const archive = newArchive();
    const report = await importBuffers(archive, [{ name: '../../etc/evil.txt', bytes: readFileSync(fixture('letter-utf8.txt')) }]);
    expect(report.imported[0]?.file).toBe('evil.txt');
    expect(getDocument(archive, report.imported[0]?.id ?? '').files[0]?.fileName).toBe('evil.txt');
    archive.close();
  });
});

describe('files and folders Kartoteka may not read', () => {
  it('reports an unreadable file and a folder without permission, and imports the rest', () => {
    const root = tempDir();
    chmodSync(root, 0o777);
    const archiveDir = join(root, 'archive');
    const init = runCli(['init', '--archive', archiveDir]);
    expect(init.status).toBe(0);
    chmodSync(archiveDir, 0o777);
    for (const sub of ['blobs', 'blobs/sha256', 'tmp']) chmodSync(join(archiveDir, sub), 0o777);
    for (const file of readdirSync(archiveDir)) if (file.startsWith('catalogue')) chmodSync(join(archiveDir, file), 0o666);
    const incoming = join(root, 'incoming');
    mkdirSync(join(incoming, 'locked'), { recursive: true });
    copyFileSync(fixture('letter-utf8.txt'), join(incoming, 'readable.txt'));
    copyFileSync(fixture('letter-utf8-bom.md'), join(incoming, 'secret.md'));
    copyFileSync(fixture('statement-utf16le-bom.txt'), join(incoming, 'locked', 'inside.txt'));
    chmodSync(incoming, 0o755);
    chmodSync(join(incoming, 'readable.txt'), 0o644);
    chmodSync(join(incoming, 'secret.md'), 0o000);
    chmodSync(join(incoming, 'locked'), 0o000);

    const run = runCli(['import', '--archive', archiveDir, '--json', incoming], { unprivileged: true });
    const report = JSON.parse(run.stdout) as { imported: { file: string }[]; failed: { file: string; code: string }[] };
    expect(run.status).toBe(1);
    expect(report.imported.map((i) => i.file)).toEqual([join(incoming, 'readable.txt')]);
    expect(report.failed).toEqual([
      expect.objectContaining({ file: join(incoming, 'locked'), code: 'PERMISSION_DENIED' }),
      expect.objectContaining({ file: join(incoming, 'secret.md'), code: 'PERMISSION_DENIED' }),
    ]);
  });
});
