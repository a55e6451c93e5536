import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../shared/document.ts';
import type { SearchHit } from '../../../shared/reports.ts';
import { clock, languageName } from '../format.ts';
import type { PagedRows } from '../paged.ts';
import { Marked } from './Marked.tsx';
import { RowCheck } from '../features/bulk/RowCheck.tsx';

export type Row = { type: 'document'; item: DocumentSummary } | { type: 'hit'; item: SearchHit };
export type ListItem = DocumentSummary | SearchHit;

interface Props {
  type: Row['type'];
  rows: PagedRows<ListItem>;
  selectedId: string | null;
  /** Opens a row's document in the detail pane (click, Enter). */
  onSelect: (row: Row) => void;
  /** Opens another document (the original of a translation, another language of it). */
  onOpen: (id: string) => void;
  onCopyCitation: (hit: SearchHit) => void;
  label: string;
}

/** Rows are of one height per list, in rem, so that any row's place is known without rendering it. */
const ROW_REM = { document: 4, hit: 8.3 } as const;
/** Rows rendered above and below the visible ones, so a quick scroll shows no gap. */
const OVERSCAN = 6;
/**
 * Missing rows are asked for once the list has rested this long, and at least this often while it
 * keeps moving: a drag of the scroll bar across 100,000 rows asks for where it stops, not for every
 * page it passed over (each answered in turn, before the one wanted).
 */
const SETTLE_MS = 80;
const MAX_WAIT_MS = 300;

const rootFontSize = (): number => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/** A hit's links to its original and to the other languages it exists in. */
function HitLinks({ hit, onOpen, tabIndex }: { hit: SearchHit; onOpen: (id: string) => void; tabIndex: number }) {
  const { t, i18n } = useTranslation();
  if (!hit.translationOf && hit.otherLanguages.length === 0) return null;
  return (
    <div className="row-links">
      {hit.translationOf && (
        // One button, label and title, so a long title is cut under the label instead of jumping a line.
        <button type="button" className="link row-translation" title={hit.translationOf.title} tabIndex={tabIndex} onClick={() => onOpen(hit.translationOf?.id ?? '')}>
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
                tabIndex={tabIndex}
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

interface RowProps {
  index: number;
  total: number;
  type: Row['type'];
  item: ListItem | undefined;
  height: number;
  selected: boolean;
  active: boolean;
  onSelect: Props['onSelect'];
  onOpen: Props['onOpen'];
  onCopyCitation: Props['onCopyCitation'];
  onFocusRow: (index: number) => void;
}

const ListRow = memo(function ListRow({ index, total, type, item, height, selected, active, onSelect, onOpen, onCopyCitation, onFocusRow }: RowProps) {
  const { t } = useTranslation();
  const style = { top: index * height, height };
  const position = { 'aria-setsize': total, 'aria-posinset': index + 1 };
  if (!item) {
    return (
      <li className="row-item placeholder" style={style} {...position}>
        <button type="button" className="row" data-index={index} tabIndex={active ? 0 : -1} aria-disabled="true" onFocus={() => onFocusRow(index)}>
          <span className="row-title">{t('list.loading')}</span>
        </button>
      </li>
    );
  }
  const row = { type, item } as Row;
  const meta = [t(`kind.${item.kind}`), item.language === 'und' ? null : item.language.toUpperCase(), item.date];
  if (row.type === 'document') meta.push(row.item.authors.join(', ') || null, row.item.fileName);
  else {
    if (row.item.page !== null) meta.push(t('search.page', { page: row.item.page }));
    if (row.item.time !== null) meta.push(t('search.time', { time: clock(row.item.time) }));
    meta.push(row.item.file);
  }
  return (
    <li className={`row-item${selected ? ' selected' : ''}${row.type === 'hit' ? ' hit' : ''}`} style={style} {...position}>
      <button
        type="button"
        className="row"
        data-index={index}
        tabIndex={active ? 0 : -1}
        aria-current={selected ? 'true' : undefined}
        onFocus={() => onFocusRow(index)}
        onClick={(e) => {
          // A row clicked at the list's edge comes wholly into view, its snippet with it.
          e.currentTarget.closest('li')?.scrollIntoView({ block: 'nearest' });
          onSelect(row);
        }}
      >
        <span className="row-title" title={item.title}>
          {item.title}
        </span>
        <span className="row-meta">{meta.filter(Boolean).join(' · ')}</span>
        {row.type === 'hit' && (
          <span className="row-snippet" lang={row.item.language === 'und' ? undefined : row.item.language}>
            <Marked text={row.item.snippet.replace(/\s+/gu, ' ')} highlights={collapseHighlights(row.item.snippet, row.item.highlights)} />
          </span>
        )}
      </button>
      <RowCheck index={index} item={item} active={active} />
      {row.type === 'hit' && (
        <>
          <HitLinks hit={row.item} onOpen={onOpen} tabIndex={active ? 0 : -1} />
          <button
            type="button"
            className="secondary small row-copy"
            tabIndex={active ? 0 : -1}
            aria-label={t('citation.copyHit', { title: item.title })}
            title={t('citation.copy')}
            onClick={() => onCopyCitation(row.item)}
          >
            {t('citation.copyShort')}
          </button>
        </>
      )}
    </li>
  );
});

/**
 * The library or the search results, virtualised: however many rows there are (100,000), only the
 * few dozen in view are in the page, and their data is fetched a page at a time as they come into
 * view. One row at a time takes Tab (the one last focused); the arrow keys, Page Up/Down, Home and
 * End move between rows, Enter opens one. Screen readers hear each row's place in the whole list.
 */
export function ResultList({ type, rows, selectedId, onSelect, onOpen, onCopyCitation, label }: Props) {
  const version = useSyncExternalStore(
    useCallback((listener: () => void) => rows.subscribe(listener), [rows]),
    () => rows.version,
  );
  const scroller = useRef<HTMLDivElement>(null);
  const [rem, setRem] = useState(16);
  const [view, setView] = useState({ top: 0, height: 600 });
  const [active, setActive] = useState(0);
  /** The row a key moved to, focused once it is drawn. */
  const focusPending = useRef<number | null>(null);
  const height = Math.round(ROW_REM[type] * rem);
  const total = rows.total;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = (): void => {
      setRem(rootFontSize());
      setView({ top: element.scrollTop, height: element.clientHeight });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // A new list (another search, the library again) starts at its top.
  useLayoutEffect(() => {
    setActive(0);
    focusPending.current = null;
    if (scroller.current) scroller.current.scrollTop = 0;
    setView((v) => ({ ...v, top: 0 }));
  }, [rows]);

  const first = Math.max(0, Math.floor(view.top / height) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((view.top + view.height) / height) + OVERSCAN);

  const waitingSince = useRef<number | null>(null);
  const lastAsked = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    const now = performance.now();
    // After a quiet spell (a new list, a key, a click) the rows are asked for at once; while the
    // list keeps moving (a drag of the scroll bar), when it rests or every MAX_WAIT_MS.
    if (waitingSince.current === null && now - lastAsked.current > MAX_WAIT_MS) {
      lastAsked.current = now;
      rows.ensure(first, last);
      return;
    }
    waitingSince.current ??= now;
    const wait = Math.max(0, Math.min(SETTLE_MS, waitingSince.current + MAX_WAIT_MS - now));
    const timer = setTimeout(() => {
      waitingSince.current = null;
      lastAsked.current = performance.now();
      rows.ensure(first, last);
    }, wait);
    return () => clearTimeout(timer);
  }, [rows, first, last, version]);

  const activeIndex = Math.min(active, Math.max(0, total - 1));

  useEffect(() => {
    // The row itself, not this render's active one: a render drawn before the key's (its effects
    // run late on a busy machine) must neither take the focus elsewhere nor use up the request.
    const index = focusPending.current;
    if (index === null) return;
    const row = scroller.current?.querySelector<HTMLElement>(`.row[data-index="${index}"]`);
    if (!row) return;
    focusPending.current = null;
    row.focus({ preventScroll: true });
  });

  const moveTo = (index: number): void => {
    const element = scroller.current;
    if (!element || total === 0) return;
    const to = Math.min(total - 1, Math.max(0, index));
    const top = to * height;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + height > element.scrollTop + element.clientHeight) element.scrollTop = top + height - element.clientHeight;
    setView({ top: element.scrollTop, height: element.clientHeight });
    focusPending.current = to;
    setActive(to);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLUListElement>): void => {
    if (!(event.target instanceof HTMLElement) || !event.target.classList.contains('row')) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? height) / height) - 1);
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    // From the row that has the focus, whatever the state says: rows re-render as their pages arrive.
    const from = Number(event.target.dataset['index'] ?? activeIndex);
    if (event.key in steps) moveTo(from + (steps[event.key] ?? 0));
    else if (event.key === 'Home') moveTo(0);
    else if (event.key === 'End') moveTo(total - 1);
    else return;
    event.preventDefault();
  };

  const onFocusRow = useCallback((index: number) => setActive(index), []);

  const indices: number[] = [];
  for (let i = first; i <= last; i++) indices.push(i);
  // The focused row stays in the page even when scrolled far away, so focus is never lost.
  if (total > 0 && (activeIndex < first || activeIndex > last)) indices.push(activeIndex);

  return (
    <div
      ref={scroller}
      className="list-scroll"
      onScroll={(e) => {
        const element = e.currentTarget;
        setView({ top: element.scrollTop, height: element.clientHeight });
      }}
    >
      <ul className="result-list" role="list" aria-label={label} onKeyDown={onKeyDown} style={{ height: total * height }}>
        {indices.map((index) => {
          const item = rows.get(index);
          return (
            <ListRow
              key={index}
              index={index}
              total={total}
              type={type}
              item={item}
              height={height}
              selected={item !== undefined && item.id === selectedId}
              active={index === activeIndex}
              onSelect={onSelect}
              onOpen={onOpen}
              onCopyCitation={onCopyCitation}
              onFocusRow={onFocusRow}
            />
          );
        })}
      </ul>
    </div>
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
