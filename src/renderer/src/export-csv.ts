/**
 * CSV as RFC 4180 wants it: fields with a comma, a quotation mark or a line break in quotes, inner
 * quotation marks doubled, lines ended by CRLF. Saved as UTF-8 with a byte-order mark, so that
 * spreadsheet programs read Cyrillic as Cyrillic.
 */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would be a formula to a spreadsheet: an archive's text is data, never code.
  const safe = /^[=+\-@\t\r]/u.test(text) && !/^-?\d+(?:\.\d+)?$/u.test(text) ? `'${text}` : text;
  return /[",\r\n]/u.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const BOM = '\uFEFF';

/** Offers the text as a file download, named so. */
export function downloadCsv(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([BOM, text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.className = 'visually-hidden';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name from a query: its letters and digits, in any script, joined by dashes. */
export function fileNameFor(query: string, now = new Date()): string {
  const words = query.match(/[\p{L}\p{N}]+/gu)?.join('-').slice(0, 60) ?? '';
  const day = now.toISOString().slice(0, 10);
  return `kartoteka-${words || 'search'}-${day}.csv`;
}
