import type { TFunction } from 'i18next';
import { clock } from './format.ts';

export interface Citable {
  title: string;
  date: string | null;
  dateApproximate?: boolean;
  /** The PDF page the passage is on. */
  page?: number | null;
  /** The moment of a recording, in seconds. */
  time?: number | null;
  fileName?: string | null;
}

/**
 * A short reference a lawyer pastes into a brief: “Title”, date, page (or moment), [file name].
 * The quotation marks and abbreviations follow the interface language.
 */
export function citationOf(item: Citable, t: TFunction): string {
  const parts = [t('citation.title', { title: item.title.trim() })];
  if (item.date) parts.push(item.dateApproximate ? t('citation.approximate', { date: item.date }) : item.date);
  if (item.page !== undefined && item.page !== null) parts.push(t('search.page', { page: item.page }));
  if (item.time !== undefined && item.time !== null) parts.push(t('search.time', { time: clock(item.time) }));
  const text = parts.join(', ');
  return item.fileName ? `${text} [${item.fileName}]` : text;
}

/** Puts text on the clipboard; where the Clipboard API is refused, the older copy command. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Not focused, not permitted (a locked-down Electron session): fall back below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.append(area);
  area.select();
  const done = document.execCommand('copy');
  area.remove();
  focused?.focus();
  if (!done) throw new Error('The clipboard is not available.');
}
