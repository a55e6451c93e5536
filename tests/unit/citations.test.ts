import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { citationOf, searchCsv } from '../../src/core/citations.ts';
import { updateDocument } from '../../src/core/documents.ts';
import { importBuffers } from '../../src/core/import.ts';
import { addRedaction } from '../../src/core/redactions.ts';
import { KartotekaError } from '../../src/shared/errors.ts';
import { tempDir } from '../helpers.ts';
import { textPdf } from './pdf-fixtures.ts';

const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });

function thrown(run: () => unknown): KartotekaError {
  try {
    run();
  } catch (error) {
    if (error instanceof KartotekaError) return error;
    throw error;
  }
  throw new Error('expected a KartotekaError');
}

/** RFC 4180 rows of a CSV text (quoted fields with commas, quotes and line breaks). */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('citations and CSV for lawyers', () => {
  let archive: Archive;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    archive = Archive.create(join(tempDir('kartoteka-citations-'), 'archive'));
    const pdf = await textPdf([['Judgment', 'Page one.'], ['The court heard the appeal on page two.']]);
    const letters = Array.from({ length: 520 }, (_, i) => text(`letter-${i}.txt`, `Letter ${i}\n\nAbout the appeal, number ${i}.`));
    const report = await importBuffers(archive, [
      { name: 'ruling.pdf', bytes: pdf },
      text('statement.txt', 'Statement, "urgent"\n\nWe demand a fair appeal.\nSigned: Olga from 5 Northern Street.'),
      ...letters,
    ]);
    for (const item of report.imported) id[item.file] = item.id;
    updateDocument(archive, id['ruling.pdf'] ?? '', { title: 'Judgment of the Prioziorny court', date: '2024-01-23' });
    updateDocument(archive, id['statement.txt'] ?? '', { title: '=HYPERLINK("http://x", "click"), a statement', date: '2024-03', dateApproximate: true });
  });

  it('cites a document with its title, date, page and file', () => {
    expect(citationOf(archive, id['ruling.pdf'] ?? '', 2)).toEqual({
      text: 'Judgment of the Prioziorny court, 2024-01-23, p. 2 (ruling.pdf)',
      title: 'Judgment of the Prioziorny court',
      date: '2024-01-23',
      page: 2,
      fileName: 'ruling.pdf',
    });
    expect(citationOf(archive, id['ruling.pdf'] ?? '').text).toBe('Judgment of the Prioziorny court, 2024-01-23 (ruling.pdf)');
    expect(citationOf(archive, id['statement.txt'] ?? '').text).toBe('=HYPERLINK("http://x", "click"), a statement, c. 2024-03 (statement.txt)');
    expect(citationOf(archive, id['letter-1.txt'] ?? '').text).toBe('Letter 1, n.d. (letter-1.txt)');
  });

  it('refuses a page the document does not have', () => {
    expect(thrown(() => citationOf(archive, id['ruling.pdf'] ?? '', 3)).code).toBe('INVALID_REQUEST');
    expect(thrown(() => citationOf(archive, id['statement.txt'] ?? '', 1)).code).toBe('INVALID_REQUEST');
    expect(thrown(() => citationOf(archive, '0000000000000000')).code).toBe('NOT_FOUND');
  });

  it('writes every hit of a query as CSV that Excel opens: BOM, CRLF, quoting, no formulas', () => {
    const { csv, rows } = searchCsv(archive, 'appeal', 'date-desc');
    expect(csv.startsWith('\uFEFFid,title,kind,language,date,page,time,file,snippet\r\n')).toBe(true);
    expect(rows).toBe(522);
    const table = parseCsv(csv.slice(1));
    expect(table).toHaveLength(523);
    expect(table.slice(1).every((r) => r.length === 9)).toBe(true);
    const statement = table.find((r) => r[0] === id['statement.txt']);
    expect(statement?.[1]).toBe(`'=HYPERLINK("http://x", "click"), a statement`);
    expect(statement?.[4]).toBe('2024-03');
    const ruling = table.find((r) => r[0] === id['ruling.pdf']);
    expect(ruling?.slice(4, 8)).toEqual(['2024-01-23', '2', '', 'ruling.pdf']);
    expect(new Set(table.slice(1).map((r) => r[0])).size).toBe(522);
  });

  it('blacks out redacted text in snippets', () => {
    const statement = id['statement.txt'] ?? '';
    const body = 'Statement, "urgent"\n\nWe demand a fair appeal.\nSigned: Olga from 5 Northern Street.';
    addRedaction(archive, { documentId: statement, start: body.indexOf('Olga'), end: body.length - 1 });
    const { csv } = searchCsv(archive, 'demand');
    const row = parseCsv(csv.slice(1)).find((r) => r[0] === statement);
    expect(row?.[8]).toContain(`Signed: ${'█'.repeat('Olga from 5 Northern Street'.length)}.`);
    expect(csv).not.toContain('Olga');
  });

  it('gives just the header for a query that finds nothing', () => {
    expect(searchCsv(archive, 'nothinglikethis')).toEqual({ csv: '\uFEFFid,title,kind,language,date,page,time,file,snippet\r\n', rows: 0 });
  });
});
