import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentWithText } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { ArchiveInfo, Highlight, SavedSearch, SearchResult, SearchSort } from '../../shared/reports.ts';
import type { DocumentSummary } from '../../shared/document.ts';
import { api } from './api.ts';
import { DocumentView } from './components/DocumentView.tsx';
import { FacetsPanel } from './components/FacetsPanel.tsx';
import { ImportReportPanel, type ImportState } from './components/ImportReportPanel.tsx';
import { IndexingNote } from './components/IndexingNote.tsx';
import { ResultList, type Row } from './components/ResultList.tsx';
import { SavedSearchList, SaveSearchForm } from './components/SavedSearches.tsx';
import { type QueryError, SearchBox } from './components/SearchBox.tsx';
import { findWords, matchedWords } from './highlight.ts';
import { uiLanguages } from './i18n.ts';
import { toggleFilter } from './query-text.ts';
import { importFiles } from './upload.ts';

const PAGE = 200;
/** Hits per page of search results; "Show more" fetches the next page, with no cap. */
const HITS_PAGE = 50;
const sorts: readonly SearchSort[] = ['relevance', 'date-desc', 'date-asc'];

type ShownResult = SearchResult & { query: string; sort: SearchSort };

/**
 * The open document and what to mark in it. Opened from a search, the backend says where the query
 * matches in the whole text (search.highlight, every form of every word); when it finds nothing
 * there, or fails, the words seen highlighted in the hit's snippet are marked instead.
 */
interface Selection {
  doc: DocumentWithText;
  /** The query the document was opened from, if any. */
  query: string | null;
  words: string[];
  ranges: Highlight[] | null;
}

/** Where a query matches in a document; null when there is no query or the backend could not say. */
const highlightIn = (id: string, query: string | null): Promise<Highlight[] | null> =>
  query ? api['search.highlight']({ id, query }).catch(() => null) : Promise.resolve(null);

interface OpenFrom {
  query?: string | null;
  words?: string[];
}

/** The character offset an INVALID_QUERY error points at, when it says. */
const offsetOf = (details: unknown): number | null => {
  const at = details && typeof details === 'object' && 'at' in details ? (details as { at: unknown }).at : null;
  return typeof at === 'number' && Number.isInteger(at) ? at : null;
};
const ACCEPT = [
  '.txt', '.text', '.md', '.markdown', '.html', '.htm', '.docx', '.odt', '.rtf', '.pdf',
  '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.vtt', '.srt', '.mp3', '.ogg', '.opus', '.m4a', '.wav', '.eml',
].join(',');

export function App() {
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<ArchiveInfo | null>(null);
  const [library, setLibrary] = useState<{ total: number; items: DocumentSummary[] }>({ total: 0, items: [] });
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<ShownResult | null>(null);
  const [sort, setSort] = useState<SearchSort>('relevance');
  const [queryError, setQueryError] = useState<QueryError | null>(null);
  const [searching, setSearching] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [saved, setSaved] = useState<SavedSearch[]>([]);
  /** Bumped by every new search: answers to older ones (hits, facets, more pages) are dropped. */
  const searchSeq = useRef(0);
  const [selected, setSelected] = useState<Selection | null>(null);
  /** Bumped by every document opened: a slower answer for an earlier click is dropped. */
  const openSeq = useRef(0);
  const [importState, setImportState] = useState<ImportState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const importAbort = useRef<AbortController | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  const fail = useCallback(
    (e: unknown) => setError(e instanceof KartotekaError ? t(`error.${e.code}`, { defaultValue: e.message }) : String(e)),
    [t],
  );

  const refresh = useCallback(async () => {
    const [nextInfo, nextLibrary, nextSaved] = await Promise.all([
      api['archive.info']({}),
      api['documents.list']({ offset: 0, limit: PAGE }),
      api['search.saved.list']({}),
    ]);
    setInfo(nextInfo);
    setLibrary(nextLibrary);
    setSaved(nextSaved);
  }, []);

  useEffect(() => {
    refresh().catch(fail);
  }, [refresh, fail]);

  const open = useCallback(
    (id: string, from: OpenFrom = {}) => {
      const seq = ++openSeq.current;
      const query = from.query?.trim() ? from.query : null;
      Promise.all([api['documents.get']({ id }), highlightIn(id, query)])
        .then(([doc, ranges]) => {
          if (seq === openSeq.current) setSelected({ doc, query, words: from.words ?? [], ranges });
        })
        .catch(fail);
    },
    [fail],
  );

  /** Runs a query: the hits first, then (in a second call) the facet counts, which cost more. */
  const runSearch = useCallback(
    (text: string, order: SearchSort) => {
      const seq = ++searchSeq.current;
      if (!text.trim()) {
        setResult(null);
        setQueryError(null);
        setSearching(false);
        return;
      }
      setSearching(true);
      api['search.query']({ query: text, offset: 0, limit: HITS_PAGE, sort: order, facets: false })
        .then(async (r) => {
          if (seq !== searchSeq.current) return;
          setResult({ ...r, facets: null, query: text, sort: order });
          setQueryError(null);
          setSearching(false);
          if (r.total === 0) return;
          // Facets are extra: if counting fails the hits stay, the panel says there is nothing to refine by.
          const counted = await api['search.query']({ query: text, offset: 0, limit: 1, sort: order, facets: true }).catch((e: unknown) => {
            if (seq === searchSeq.current) fail(e);
            return null;
          });
          if (seq !== searchSeq.current) return;
          const facets = counted?.facets ?? { kind: [], language: [], year: [], person: [], case: [], tag: [] };
          setResult((current) => (current && current.query === text && current.sort === order ? { ...current, facets } : current));
        })
        .catch((e: unknown) => {
          if (seq !== searchSeq.current) return;
          setSearching(false);
          // A query that does not parse: its message goes under the search box; the old results stay.
          if (e instanceof KartotekaError && e.code === 'INVALID_QUERY') setQueryError({ query: text, message: e.message, at: offsetOf(e.details) });
          else fail(e);
        });
    },
    [fail],
  );

  const showMore = (): void => {
    if (!result) return;
    const seq = searchSeq.current;
    setLoadingMore(true);
    api['search.query']({ query: result.query, offset: result.hits.length, limit: HITS_PAGE, sort: result.sort })
      .then((next) => {
        if (seq !== searchSeq.current) return;
        setResult((current) => {
          if (!current) return current;
          const seen = new Set(current.hits.map((h) => h.id));
          return { ...current, total: next.total, indexing: next.indexing, hits: [...current.hits, ...next.hits.filter((h) => !seen.has(h.id))] };
        });
      })
      .catch(fail)
      .finally(() => setLoadingMore(false));
  };

  const changeSort = (order: SearchSort): void => {
    setSort(order);
    if (result) runSearch(result.query, order);
  };

  const runSaved = (search: SavedSearch): void => {
    setQuery(search.query);
    setSort(search.sort);
    runSearch(search.query, search.sort);
  };

  const deleteSaved = (name: string): void => {
    api['search.saved.delete']({ name })
      .then(() => api['search.saved.list']({}))
      .then(setSaved)
      .catch(fail);
  };

  const toggleFacet = (filter: string): void => {
    if (!result) return;
    const next = toggleFilter(result.query, filter);
    setQuery(next);
    runSearch(next, result.sort);
  };

  const startImport = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      const controller = new AbortController();
      importAbort.current = controller;
      importFiles(files, (progress) => setImportState({ phase: 'running', progress }), controller.signal)
        .then(async (report) => {
          importAbort.current = null;
          setImportState({ phase: 'finished', report });
          await refresh();
          const first = report.imported[0] ?? report.possibleDuplicates[0];
          if (first) open(first.id);
        })
        .catch((e: unknown) => {
          importAbort.current = null;
          setImportState(null);
          fail(e);
        });
    },
    [refresh, open, fail],
  );

  const openSample = (): void => {
    api['archive.openSample']({})
      .then(async () => {
        setImportState(null);
        setSelected(null);
        searchSeq.current++;
        setResult(null);
        setQueryError(null);
        setQuery('');
        await refresh();
      })
      .catch(fail);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        searchInput.current?.focus();
      } else if (mod && event.key.toLowerCase() === 'o') {
        event.preventDefault();
        fileInput.current?.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rows: Row[] = result
    ? result.hits.map((item) => ({ type: 'hit', item }))
    : library.items.map((item) => ({ type: 'document', item }));

  const select = (row: Row): void => {
    if (row.type === 'hit') open(row.item.id, { query: result?.query ?? null, words: matchedWords(row.item.snippet, row.item.highlights) });
    else open(row.item.id);
  };

  const highlights: Highlight[] = !selected
    ? []
    : selected.ranges && selected.ranges.length > 0
      ? selected.ranges
      : findWords(selected.doc.text, selected.words);
  const empty = info !== null && info.documentCount === 0;
  // The sidebar holds saved searches and a result's facets; with neither there is nothing to show.
  const showSidebar = result !== null || saved.length > 0;

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if ([...e.dataTransfer.types].includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.relatedTarget) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        startImport([...e.dataTransfer.files]);
      }}
    >
      <header className="toolbar">
        <h1 className="brand">Kartoteka</h1>
        {info && (
          <span className="archive-name" title={info.path}>
            {info.isSample ? t('archive.sample') : info.name} · {t('archive.documents', { count: info.documentCount })}
          </span>
        )}
        <SearchBox
          query={query}
          inputRef={searchInput}
          error={queryError}
          onChange={(text) => {
            setQuery(text);
            if (!text) {
              searchSeq.current++;
              setResult(null);
              setQueryError(null);
            }
          }}
          onSearch={(text) => runSearch(text, sort)}
          onOpenDocument={(id) => open(id)}
        />
        <button type="button" onClick={() => fileInput.current?.click()}>
          {t('action.import')}
        </button>
        <button type="button" className="secondary" onClick={() => folderInput.current?.click()}>
          {t('action.importFolder')}
        </button>
        <input
          ref={(element) => {
            folderInput.current = element;
            // React has no prop for it: lets the picker choose a whole folder, sub-folders included.
            element?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          multiple
          className="visually-hidden"
          data-testid="folder-input"
          aria-label={t('action.importFolder')}
          tabIndex={-1}
          onChange={(e) => {
            startImport([...(e.target.files ?? [])].filter((f) => !f.name.startsWith('.')));
            e.target.value = '';
          }}
        />
        <input
          ref={fileInput}
          type="file"
          multiple
          accept={ACCEPT}
          className="visually-hidden"
          data-testid="file-input"
          aria-label={t('action.import')}
          tabIndex={-1}
          onChange={(e) => {
            startImport([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        {info && !info.isSample && (
          <button type="button" className="secondary" onClick={openSample}>
            {t('action.openSample')}
          </button>
        )}
        <label className="language">
          <span className="visually-hidden">{t('language.label')}</span>
          <select value={i18n.resolvedLanguage} onChange={(e) => void i18n.changeLanguage(e.target.value)} aria-label={t('language.label')}>
            {uiLanguages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </header>

      {error && (
        <div className="error-banner" role="alert">
          <span>{error}</span>
          <button type="button" className="secondary" onClick={() => setError(null)}>
            {t('action.close')}
          </button>
        </div>
      )}
      {importState && (
        <ImportReportPanel
          state={importState}
          onClose={() => setImportState(null)}
          onCancel={() => importAbort.current?.abort()}
          onOpen={(id) => open(id)}
        />
      )}

      <main className={`panes${showSidebar ? '' : ' no-sidebar'}`}>
        {showSidebar && (
          <aside className="sidebar" aria-label={t('sidebar.label')}>
            <SavedSearchList saved={saved} onRun={runSaved} onDelete={deleteSaved} />
            {result && result.total > 0 && <FacetsPanel facets={result.facets} query={result.query} onToggle={toggleFacet} />}
          </aside>
        )}
        <section className="list-pane" aria-labelledby="list-heading" aria-busy={searching}>
          <div className="pane-heading">
            <h2 id="list-heading">
              {result ? t('search.results', { count: result.total, query: result.query }) : t('library.heading', { count: library.total })}
            </h2>
            {result && (
              <div className="result-tools">
                <label className="sort">
                  <span>{t('sort.label')}</span>
                  <select value={result.sort} onChange={(e) => changeSort(e.target.value as SearchSort)}>
                    {sorts.map((s) => (
                      <option key={s} value={s}>
                        {t(`sort.${s}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <SaveSearchForm
                  key={`${result.query}\u0000${result.sort}`}
                  query={result.query}
                  sort={result.sort}
                  existing={saved}
                  onSaved={() => {
                    api['search.saved.list']({}).then(setSaved).catch(fail);
                  }}
                />
              </div>
            )}
            {result?.indexing && <IndexingNote key={`${result.query}\u0000${result.sort}`} indexing={result.indexing} onRerun={() => runSearch(result.query, result.sort)} />}
          </div>
          {result && result.total === 0 && (
            <div className="no-results">
              <p>{t('search.none')}</p>
              {result.suggestions.length > 0 && (
                <p>
                  {t('search.didYouMean')}{' '}
                  {result.suggestions.map((suggestion) => (
                    <button
                      key={suggestion}
                      type="button"
                      className="link"
                      onClick={() => {
                        setQuery(suggestion);
                        runSearch(suggestion, result.sort);
                      }}
                    >
                      {suggestion}
                    </button>
                  ))}
                </p>
              )}
            </div>
          )}
          {empty && !result ? (
            <div className="empty-state">
              <h3>{t('empty.heading')}</h3>
              <p>{t('empty.body')}</p>
              <div className="empty-actions">
                <button type="button" onClick={() => fileInput.current?.click()}>
                  {t('action.import')}
                </button>
                <button type="button" className="secondary" onClick={openSample}>
                  {t('action.openSample')}
                </button>
              </div>
            </div>
          ) : (
            <ResultList
              rows={rows}
              selectedId={selected?.doc.id ?? null}
              onSelect={select}
              onOpen={(id) => open(id, { query: result?.query ?? null })}
              label={result ? t('search.listLabel') : t('library.listLabel')}
            />
          )}
          {result && result.hits.length < result.total && (
            <div className="more-row">
              <button type="button" className="secondary more" onClick={showMore} disabled={loadingMore}>
                {loadingMore ? t('search.loadingMore') : t('search.more')}
              </button>
              <span className="shown">{t('search.shown', { shown: result.hits.length, total: result.total })}</span>
            </div>
          )}
          {!result && library.items.length < library.total && (
            <button
              type="button"
              className="secondary more"
              onClick={() => {
                api['documents.list']({ offset: library.items.length, limit: PAGE })
                  .then((next) => setLibrary({ total: next.total, items: [...library.items, ...next.items] }))
                  .catch(fail);
              }}
            >
              {t('library.more')}
            </button>
          )}
        </section>
        <section className="detail-pane" aria-label={t('document.pane')}>
          {selected ? (
            <DocumentView
              document={selected.doc}
              highlights={highlights}
              onOpen={(id) => open(id, { query: selected.query, words: selected.words })}
              onChange={(doc) => {
                // Read again (another encoding, repair undone): the text moved, so are its matches.
                const seq = ++openSeq.current;
                setSelected({ ...selected, doc, ranges: null });
                highlightIn(doc.id, selected.query)
                  .then((ranges) => {
                    if (seq === openSeq.current) setSelected((current) => (current && current.doc.id === doc.id ? { ...current, ranges } : current));
                  })
                  .catch(fail);
                refresh().catch(fail);
              }}
              onError={fail}
            />
          ) : (
            <p className="placeholder">{empty ? t('empty.dropHint') : t('document.choose')}</p>
          )}
        </section>
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('import.dropHere')}
        </div>
      )}
    </div>
  );
}
