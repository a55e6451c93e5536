import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createService, dispatch } from '../../src/core/api.ts';
import { Archive } from '../../src/core/archive.ts';
import { documentHistory, getDocument } from '../../src/core/documents.ts';
import { dismissPossibleDuplicate, listPossibleDuplicates } from '../../src/core/duplicates.ts';
import { importBuffers } from '../../src/core/import.ts';
import { ArchiveSession } from '../../src/core/session.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { sampleSourceDir, tempDir } from '../helpers.ts';

const file = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });
const LETTER = 'Письмо из колонии\n\nДорогая мама, посылку получил.';

describe('reviewing possible duplicates', () => {
  let archive: Archive;
  let first = '';
  let twin = '';
  let third = '';

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-duplicates-'), 'archive'));
    const a = await importBuffers(archive, [file('letter.txt', LETTER), file('other.txt', 'Совсем другое письмо.')]);
    first = a.imported[0]?.id ?? '';
    // The same letter as Markdown, then once more: different bytes, the same text.
    const b = await importBuffers(archive, [file('letter.md', `${LETTER}\n`)]);
    twin = b.possibleDuplicates[0]?.id ?? '';
    const c = await importBuffers(archive, [file('letter copy.md', `${LETTER}\n\n`)]);
    third = c.possibleDuplicates[0]?.id ?? '';
  });

  it('lists each document whose text equals an earlier one, beside it, newest first', () => {
    expect(twin).not.toBe('');
    expect(third).not.toBe('');
    const { total, items } = listPossibleDuplicates(archive);
    expect(total).toBe(2);
    expect(items.map((p) => [p.document.fileName, p.duplicateOf.id])).toEqual([
      ['letter copy.md', first],
      ['letter.md', first],
    ]);
    expect(items[1]?.document.id).toBe(twin);
    expect(listPossibleDuplicates(archive, 1, 1).items.map((p) => p.document.id)).toEqual([twin]);
  });

  it('takes a pair off the list when they are different documents, keeping both, and says so in the audit log', () => {
    // Named from either end, as the document view of either may.
    expect(dismissPossibleDuplicate(archive, first, twin)).toEqual({ total: 1 });
    expect(listPossibleDuplicates(archive).items.map((p) => p.document.id)).toEqual([third]);
    expect(getDocument(archive, twin).links.filter((l) => l.kind === 'possible-duplicate')).toEqual([]);
    expect(getDocument(archive, first).title).toBe('Письмо из колонии');
    expect(documentHistory(archive, twin).map((e) => e.action)).toContain('duplicate.dismiss');
    expect(() => dismissPossibleDuplicate(archive, twin, first)).toThrow(KartotekaError);
  });

  it('answers through the contract', async () => {
    const service = createService(new ArchiveSession(archive, { sampleArchiveDir: join(tempDir(), 's'), sampleSourceDir }));
    const listed = await dispatch(service, 'duplicates.list', {});
    expect(listed.ok && (listed.value as { total: number }).total).toBe(1);
    const dismissed = await dispatch(service, 'duplicates.dismiss', { documentId: third, duplicateOf: first });
    expect(dismissed).toEqual({ ok: true, value: { total: 0 } });
    const again = await dispatch(service, 'duplicates.dismiss', { documentId: third, duplicateOf: first });
    expect(again.ok ? null : again.error.code).toBe('NOT_FOUND');
  });
});
