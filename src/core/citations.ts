import type { Citation, ExportedFile } from '../shared/entities.ts';
import { KartotekaError } from '../shared/errors.ts';
import type { SearchHit, SearchSort } from '../shared/reports.ts';
import type { Archive } from './archive.ts';
import { getDocument } from './documents.ts';
import { REDACTED, listRedactions, redactedText } from './redactions.ts';
import { search } from './search/search.ts';

/** For lawyers: a citation to paste into a brief, and every hit of a search as a spreadsheet. */

/** "Title, 2024-02-13, p. 2 (ruling.pdf)": title, date ("c." before an approximate one, "n.d." without), page, file. */
export function citationOf(archive: Archive, id: string, page?: number | null): Citation {
  const doc = getDocument(archive, id);
  if (page !== undefined && page !== null) {
    if (doc.pages.length === 0) throw new KartotekaError('INVALID_REQUEST', `"${doc.title}" has no pages to cite: only PDF documents do.`);
    if (!doc.pages.some((p) => p.page === page)) {
      throw new KartotekaError('INVALID_REQUEST', `"${doc.title}" has pages 1 to ${doc.pages.length}; there is no page ${page}.`);
    }
  }
  const fileName = doc.files[0]?.fileName ?? null;
  const date = doc.date === null ? 'n.d.' : doc.dateApproximate ? `c. ${doc.date}` : doc.date;
  const parts = [doc.title, date, ...(page !== undefined && page !== null ? [`p. ${page}`] : [])];
  return {
    text: `${parts.join(', ')}${fileName ? ` (${fileName})` : ''}`,
    title: doc.title,
    date: doc.date,
    page: page ?? null,
    fileName,
  };
}

const CSV_COLUMNS = ['id', 'title', 'kind', 'language', 'date', 'page', 'time', 'file', 'snippet'] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. Text that a
 * spreadsheet would run as a formula (=, +, -, @ first: a document title can be anything) gets an
 * apostrophe before it, as OWASP advises for CSV injection.
 */
function csvField(value: string | number | null, text: boolean): string {
  let out = value === null ? '' : String(value);
  if (text && /^[=+\-@\t\r]/u.test(out)) out = `'${out}`;
  return /[",\r\n]/u.test(out) ? `"${out.replaceAll('"', '""')}"` : out;
}

/**
 * A snippet with the document's redactions blacked out: the snippet is the text from some offset with
 * every white space made a space, so it is found at the same offsets in the text so treated.
 */
function redactSnippet(archive: Archive, hit: SearchHit, cache: Map<string, { plain: string; redacted: string } | null>): string {
  let texts = cache.get(hit.id);
  if (texts === undefined) {
    const spans = listRedactions(archive, hit.id);
    if (spans.length === 0) texts = null;
    else {
      const { text } = archive.sql('SELECT text FROM documents WHERE id = ?').get(hit.id) as { text: string };
      texts = { plain: text.replace(/\s/gu, ' '), redacted: redactedText(text, spans).replace(/\s/gu, ' ') };
    }
    cache.set(hit.id, texts);
  }
  if (texts === null) return hit.snippet;
  const head = hit.snippet.startsWith('…') ? 1 : 0;
  const tail = hit.snippet.endsWith('…') && hit.snippet.length > head ? 1 : 0;
  const core = hit.snippet.slice(head, hit.snippet.length - tail);
  // The same words may stand in the text more than once: a character is blacked out if it is anywhere.
  const out = core.split('');
  let found = false;
  for (let at = texts.plain.indexOf(core); at >= 0; at = texts.plain.indexOf(core, at + 1)) {
    found = true;
    for (let i = 0; i < core.length; i++) if (texts.redacted[at + i] === REDACTED) out[i] = REDACTED;
  }
  // Not found cannot happen for a snippet of this text; if it did, nothing of it is let out.
  if (!found) return '';
  return hit.snippet.slice(0, head) + out.join('') + hit.snippet.slice(hit.snippet.length - tail);
}

const PAGE = 500;

/**
 * Every hit of a query (not one page) as CSV: UTF-8 with a byte-order mark so that Excel reads
 * Cyrillic right, CRLF line ends, one row per document. Redacted text is blacked out in snippets.
 */
export function searchCsv(archive: Archive, query: string, sort: SearchSort = 'relevance'): { csv: string; rows: number } {
  const lines = [CSV_COLUMNS.join(',')];
  const cache = new Map<string, { plain: string; redacted: string } | null>();
  let offset = 0;
  for (;;) {
    const result = search(archive, { query, offset, limit: PAGE, sort });
    for (const hit of result.hits) {
      lines.push(
        [
          csvField(hit.id, false),
          csvField(hit.title, true),
          csvField(hit.kind, false),
          csvField(hit.language, false),
          csvField(hit.date, false),
          csvField(hit.page, false),
          csvField(hit.time, false),
          csvField(hit.file, true),
          csvField(redactSnippet(archive, hit, cache), true),
        ].join(','),
      );
    }
    offset += result.hits.length;
    if (result.hits.length === 0 || offset >= result.total) break;
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

/** searchCsv as a file to save. */
export function searchCsvFile(archive: Archive, query: string, sort: SearchSort = 'relevance'): ExportedFile & { rows: number } {
  const { csv, rows } = searchCsv(archive, query, sort);
  return { fileName: 'search-results.csv', mediaType: 'text/csv; charset=utf-8', dataBase64: Buffer.from(csv, 'utf8').toString('base64'), rows };
}
