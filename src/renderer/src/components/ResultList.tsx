import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../shared/document.ts';
import type { SearchHit } from '../../../shared/reports.ts';
import { Marked } from './Marked.tsx';

export type Row = { type: 'document'; item: DocumentSummary } | { type: 'hit'; item: SearchHit };

interface Props {
  rows: readonly Row[];
  selectedId: string | null;
  onSelect: (row: Row) => void;
  label: string;
}

/** The library or the search results: a list a keyboard can walk with the arrow keys. */
export function ResultList({ rows, selectedId, onSelect, label }: Props) {
  const { t } = useTranslation();
  const move = (event: React.KeyboardEvent<HTMLUListElement>): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
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
        const meta = [t(`kind.${item.kind}`), item.language === 'und' ? null : item.language.toUpperCase()];
        if (row.type === 'document') meta.push(row.item.date, row.item.authors.join(', ') || null);
        else meta.push(row.item.file);
        return (
          <li key={item.id}>
            <button
              id={`row-${item.id}`}
              type="button"
              className={`row${selected ? ' selected' : ''}`}
              aria-current={selected ? 'true' : undefined}
              onClick={() => onSelect(row)}
            >
              <span className="row-title">{item.title}</span>
              <span className="row-meta">{meta.filter(Boolean).join(' · ')}</span>
              {row.type === 'hit' && (
                <span className="row-snippet" lang={row.item.language === 'und' ? undefined : row.item.language}>
                  <Marked text={row.item.snippet.replace(/\s+/gu, ' ')} highlights={collapseHighlights(row.item.snippet, row.item.highlights)} />
                </span>
              )}
            </button>
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
