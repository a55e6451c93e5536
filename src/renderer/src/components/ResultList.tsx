import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../shared/document.ts';
import type { SearchHit } from '../../../shared/reports.ts';
import { clock, languageName } from '../format.ts';
import { Marked } from './Marked.tsx';

export type Row = { type: 'document'; item: DocumentSummary } | { type: 'hit'; item: SearchHit };

interface Props {
  rows: readonly Row[];
  selectedId: string | null;
  onSelect: (row: Row) => void;
  /** Opens another document (the original of a translation, another language of it). */
  onOpen: (id: string) => void;
  label: string;
}

/** A hit's links to its original and to the other languages it exists in. */
function HitLinks({ hit, onOpen }: { hit: SearchHit; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  if (!hit.translationOf && hit.otherLanguages.length === 0) return null;
  return (
    <div className="row-links">
      {hit.translationOf && (
        // One button, label and title, so a long title wraps under the label instead of jumping a line.
        <button type="button" className="link row-translation" onClick={() => onOpen(hit.translationOf?.id ?? '')}>
          <span className="row-links-label">{t('search.translationOf')}</span>{' '}
          <span className="row-translation-title" lang={hit.translationOf.language}>
            {hit.translationOf.title}
          </span>
        </button>
      )}
      {hit.otherLanguages.length > 0 && (
        <span className="row-languages">
          <span className="row-links-label">{t('search.otherLanguages')}</span>
          {hit.otherLanguages.map((other) => {
            const name = languageName(other.language, i18n.language);
            return (
              <button
                key={other.id}
                type="button"
                className="link language-link"
                aria-label={t('search.openLanguage', { language: name })}
                title={t('search.openLanguage', { language: name })}
                onClick={() => onOpen(other.id)}
              >
                {other.language.toUpperCase()}
              </button>
            );
          })}
        </span>
      )}
    </div>
  );
}

/** The library or the search results: a list a keyboard can walk with the arrow keys. */
export function ResultList({ rows, selectedId, onSelect, onOpen, label }: Props) {
  const { t } = useTranslation();
  const move = (event: React.KeyboardEvent<HTMLUListElement>): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    if (!(event.target instanceof HTMLElement) || !event.target.classList.contains('row')) return;
    event.preventDefault();
    const index = rows.findIndex((r) => r.item.id === selectedId);
    const next = rows[Math.min(rows.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      onSelect(next);
      document.getElementById(`row-${next.item.id}`)?.focus();
    }
  };
  return (
    <ul className="result-list" aria-label={label} onKeyDown={move}>
      {rows.map((row) => {
        const { item } = row;
        const selected = item.id === selectedId;
        const meta = [t(`kind.${item.kind}`), item.language === 'und' ? null : item.language.toUpperCase(), item.date];
        if (row.type === 'document') meta.push(row.item.authors.join(', ') || null);
        else {
          if (row.item.page !== null) meta.push(t('search.page', { page: row.item.page }));
          if (row.item.time !== null) meta.push(t('search.time', { time: clock(row.item.time) }));
          meta.push(row.item.file);
        }
        return (
          <li key={item.id} className={`row-item${selected ? ' selected' : ''}`}>
            <button id={`row-${item.id}`} type="button" className="row" aria-current={selected ? 'true' : undefined} onClick={() => onSelect(row)}>
              <span className="row-title">{item.title}</span>
              <span className="row-meta">{meta.filter(Boolean).join(' · ')}</span>
              {row.type === 'hit' && (
                <span className="row-snippet" lang={row.item.language === 'und' ? undefined : row.item.language}>
                  <Marked text={row.item.snippet.replace(/\s+/gu, ' ')} highlights={collapseHighlights(row.item.snippet, row.item.highlights)} />
                </span>
              )}
            </button>
            {row.type === 'hit' && <HitLinks hit={row.item} onOpen={onOpen} />}
          </li>
        );
      })}
    </ul>
  );
}

/** Highlight offsets re-mapped after runs of whitespace in the snippet are collapsed to one space. */
function collapseHighlights(snippet: string, highlights: readonly (readonly [number, number])[]): [number, number][] {
  const map: number[] = [];
  let out = 0;
  let inSpace = false;
  for (let i = 0; i <= snippet.length; i++) {
    map.push(out);
    const ch = snippet[i];
    if (ch === undefined) break;
    const space = /\s/u.test(ch);
    if (!space || !inSpace) out++;
    inSpace = space;
  }
  return highlights.map(([s, e]) => [map[s] ?? 0, map[e] ?? 0]);
}
