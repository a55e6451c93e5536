/** Partial dates (2024, 2024-03, 2024-03-15) placed on a time axis: the period they stand for. */

const DAY = 86_400_000;

/** [start, end) of the period a partial date names, in milliseconds (UTC). */
export function periodOf(date: string): [number, number] {
  const [y = 1970, m, d] = date.split('-').map(Number);
  if (m === undefined) return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
  if (d === undefined) return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1)];
  const start = Date.UTC(y, m - 1, d);
  return [start, start + DAY];
}

/** The middle of the period: where a partial date is drawn. */
export const momentOf = (date: string): number => {
  const [start, end] = periodOf(date);
  return (start + end) / 2;
};

/** Whether the date names a day, or only a month or a year. */
export const isExact = (date: string): boolean => /^\d{4}-\d{2}-\d{2}$/u.test(date);

/** A partial date as people read it in the interface language: "15 March 2024", "March 2024", "2024". */
export function formatPartialDate(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number);
  if (y === undefined || Number.isNaN(y)) return date;
  try {
    if (m === undefined) return String(y);
    const at = new Date(Date.UTC(y, m - 1, d ?? 1));
    return new Intl.DateTimeFormat(locale, d === undefined ? { year: 'numeric', month: 'long', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' }).format(at);
  } catch {
    return date;
  }
}
