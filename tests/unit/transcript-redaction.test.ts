import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { exportBundle } from '../../src/core/bundles/export.ts';
import { getDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { REDACTED, addRedaction, listRedactions, redactedText, removeRedaction } from '../../src/core/redactions.ts';
import { BundleOptions } from '../../src/shared/bundles.ts';
import type { DocumentWithText } from '../../src/shared/document.ts';
import { fixture, tempDir } from '../helpers.ts';
import { testEnvironment, zipEntries } from './bundle-fixtures.ts';

/**
 * The transcript view redacts words the way the text view does: a cue shows the stretch
 * [textStart, textEnd) of its document's text, so words picked in a cue are offsets of that text,
 * and redactions.add takes them as they are. These tests hold the core to that.
 */
describe('redacting words in a transcript', () => {
  let archive: Archive;
  let doc: DocumentWithText;

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-transcript-redaction-'), 'archive'));
    const name = '2025-04-12-call-anna.vtt';
    const report = await importBuffers(archive, [{ name, bytes: readFileSync(fixture(join('transcripts', name))) }]);
    doc = getDocument(archive, report.imported[0]?.id ?? '');
  });

  it('each cue is a stretch of the document text, so a word in a cue has the text’s offsets', () => {
    expect(doc.cues.length).toBeGreaterThan(2);
    for (const cue of doc.cues) {
      expect(cue.textStart).toBeGreaterThanOrEqual(0);
      expect(cue.textEnd).toBeLessThanOrEqual(doc.text.length);
      expect(cue.textEnd).toBeGreaterThan(cue.textStart);
    }
    const cue = doc.cues.find((c) => doc.text.slice(c.textStart, c.textEnd).includes('Аня'));
    expect(cue).toBeDefined();
  });

  it('blacks out a word picked in one cue and a stretch across two cues, in the bundle’s text too', async () => {
    const cue = doc.cues.find((c) => doc.text.slice(c.textStart, c.textEnd).includes('Аня'));
    if (!cue) throw new Error('no cue with the name');
    const at = doc.text.indexOf('Аня', cue.textStart);
    addRedaction(archive, { documentId: doc.id, start: at, end: at + 'Аня'.length, reason: 'the caller’s name' });
    // From the middle of one cue to the middle of the next, as a mouse selects across cues.
    const [c1, c2] = [doc.cues[1], doc.cues[2]];
    if (!c1 || !c2) throw new Error('too few cues');
    const from = c1.textStart + Math.floor((c1.textEnd - c1.textStart) / 2);
    const to = c2.textStart + Math.floor((c2.textEnd - c2.textStart) / 2);
    const spans = addRedaction(archive, { documentId: doc.id, start: from, end: to, reason: '' });
    expect(spans.length).toBeGreaterThanOrEqual(1);

    const shown = redactedText(doc.text, spans);
    expect(shown.length).toBe(doc.text.length);
    expect(shown.slice(at, at + 3)).toBe(REDACTED.repeat(3));
    for (let i = from; i < to; i++) if (!/[\n\r]/u.test(doc.text[i] ?? '')) expect(shown[i]).toBe(REDACTED);
    // Each cue still points at its own stretch of the (redacted) text.
    expect(shown.slice(c2.textEnd)).toBe(doc.text.slice(c2.textEnd));

    const path = join(tempDir(), 'call.zip');
    await exportBundle(archive, { selection: { type: 'all' }, options: BundleOptions.parse({}), path }, await testEnvironment());
    const entry = zipEntries(path).find((e) => e.name.endsWith(`items/${doc.id}/text.txt`));
    const bundled = new TextDecoder().decode(entry?.data);
    expect(bundled).toContain(REDACTED.repeat(3));
    expect(bundled).not.toContain('Аня');
    expect(bundled).toBe(shown);
  }, 120_000);

  it('takes a redaction away again', () => {
    const before = listRedactions(archive, doc.id);
    const first = before[0];
    if (!first) throw new Error('no redaction');
    expect(removeRedaction(archive, first.id)).toHaveLength(before.length - 1);
  });
});
