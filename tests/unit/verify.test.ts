import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { importPaths } from '../../src/core/import.ts';
import { updateDocument, documentHistory } from '../../src/core/documents.ts';
import { verifyArchive } from '../../src/core/verify.ts';
import { fixture, runCli, steppingClock, tempDir } from '../helpers.ts';

async function archiveWithTwoDocuments(): Promise<{ archive: Archive; ids: string[]; shas: string[] }> {
  const archive = Archive.create(join(tempDir(), 'archive'), { clock: steppingClock() });
  const report = await importPaths(archive, [fixture('letter-utf8.txt'), fixture('statement-utf16le-bom.txt')]);
  return { archive, ids: report.imported.map((i) => i.id), shas: report.imported.map((i) => i.sha256) };
}

describe('the audit log', () => {
  it('records every change in a hash chain, with what changed', async () => {
    const { archive, ids } = await archiveWithTwoDocuments();
    const id = ids[0] ?? '';
    updateDocument(archive, id, { kind: 'letter', date: '2024-03', authors: ['Мирон Соловьёв'] });
    const history = documentHistory(archive, id);
    expect(history.map((h) => h.action)).toEqual(['document.import', 'document.update']);
    expect(history[1]?.details).toEqual({
      kind: { from: 'other', to: 'letter' },
      date: { from: null, to: '2024-03' },
      authors: { from: [], to: ['Мирон Соловьёв'] },
    });
    const rows = archive.db.prepare('SELECT seq, action, prev_hash, hash FROM audit_log ORDER BY seq').all() as { seq: number; action: string; prev_hash: string; hash: string }[];
    expect(rows.map((r) => r.action)).toEqual(['archive.create', 'document.import', 'document.import', 'import.finish', 'document.update']);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    archive.close();
  });

  it('does not log a change that changes nothing', async () => {
    const { archive, ids } = await archiveWithTwoDocuments();
    updateDocument(archive, ids[0] ?? '', { kind: 'other' });
    expect(documentHistory(archive, ids[0] ?? '')).toHaveLength(1);
    archive.close();
  });
});

describe('kartoteka verify', () => {
  it('passes on an untouched archive', async () => {
    const { archive } = await archiveWithTwoDocuments();
    const report = await verifyArchive(archive);
    expect(report).toMatchObject({ ok: true, blobsChecked: 2, auditEntriesChecked: 4, problems: [] });
    archive.close();
  });

  it('finds an original whose bytes were changed and one that was deleted', async () => {
    const { archive, shas } = await archiveWithTwoDocuments();
    const [changed = '', deleted = ''] = shas;
    chmodSync(archive.blobs.pathOf(changed), 0o644);
    writeFileSync(archive.blobs.pathOf(changed), 'tampered');
    rmSync(archive.blobs.pathOf(deleted));
    const report = await verifyArchive(archive);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.subject])).toEqual([
      ['blob-mismatch', changed],
      ['blob-missing', deleted],
    ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))));
    archive.close();
  });

  it('finds an audit entry that was edited and one that was removed', async () => {
    const { archive } = await archiveWithTwoDocuments();
    archive.db.prepare("UPDATE audit_log SET details = '{\"file\":\"other.txt\"}' WHERE seq = 2").run();
    let report = await verifyArchive(archive);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'audit-chain', subject: 'entry 2' })]);
    archive.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    report = await verifyArchive(archive);
    expect(report.problems.map((p) => p.subject)).toContain('entry 3');
    expect(report.problems.map((p) => p.message).join(' ')).toMatch(/missing|broken/);
    archive.close();
  });

  it('exits non-zero from the command line with a report naming the problem', async () => {
    const { archive, shas } = await archiveWithTwoDocuments();
    const dir = archive.root;
    archive.close();
    expect(runCli(['verify', '--archive', dir]).status).toBe(0);
    const target = join(dir, 'blobs', 'sha256', shas[0]?.slice(0, 2) ?? '', shas[0]?.slice(2, 4) ?? '', shas[0] ?? '');
    chmodSync(target, 0o644);
    writeFileSync(target, 'tampered');
    const run = runCli(['verify', '--archive', dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('blob-mismatch');
    expect(run.stdout).toContain(shas[0]);
    const json = runCli(['verify', '--archive', dir, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: [{ kind: 'blob-mismatch', subject: shas[0] }] });
  });
});
