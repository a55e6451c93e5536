import { FolderInput } from './components/FolderInput.tsx';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentWithText } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { ImportRunSummary } from '../../shared/entities.ts';
import { type ArchiveInfo, type Facets, type Highlight, type IndexStatus, type SavedSearch, type SearchHit, type SearchResult, type SearchSort, initialImportProgress } from '../../shared/reports.ts';
import { api } from './api.ts';
import { citationOf, copyText } from './citation.ts';
import { DocumentView, type OpenedAt } from './components/DocumentView.tsx';
import { ShortcutsDialog, UnsavedDialog } from './components/Dialogs.tsx';
// Settings and archives (issue 5)
import { ArchiveMenu } from './components/ArchiveMenu.tsx';
import { LanguagePicker } from './components/LanguagePicker.tsx';
import { ImportReportPanel, type ImportState } from './components/ImportReportPanel.tsx';
import { IndexingNote } from './components/IndexingNote.tsx';
import { type ListItem, ResultList, type Row } from './components/ResultList.tsx';
import { SaveSearchForm } from './components/SavedSearches.tsx';
import { type QueryError, SearchBox } from './components/SearchBox.tsx';
import { type Overview, Sidebar } from './components/Sidebar.tsx';
import { csvText, downloadCsv, fileNameFor } from './export-csv.ts';
import { clock } from './format.ts';
import { findWords, matchedWords } from './highlight.ts';
import { PagedRows } from './paged.ts';
import { toggleFilter } from './query-text.ts';
import { importFiles, importPaths, type Progress } from './upload.ts';
import { useMenuCommand } from './menu-commands.ts';
import { BulkPanel } from './features/bulk/BulkPanel.tsx';
import { FeatureBackLink, FeatureHost } from './features/FeatureHost.tsx';
import { closeFeaturePage, nav } from './features/nav.ts';
// Bundles (issue 6)
import { BundleDialogs } from './features/bundles/BundleDialogs.tsx';
import { BundleMenu } from './features/bundles/BundleMenu.tsx';
import { ExportButton } from './features/bundles/ExportButton.tsx';

/** Rows asked for at a time as the list scrolls. */
const LIBRARY_PAGE = 200;
const HITS_PAGE = 100;
/** The largest page search.query gives: an export pages through all results with it. */
const EXPORT_PAGE = 500;
const sorts: readonly SearchSort[] = ['relevance', 'date-desc', 'date-asc'];
/** A query every document matches: the whole archive's counts by kind, person and case come with it. */
const EVERYTHING = '-lang:xx';

type ShownResult = Omit<SearchResult, 'hits'> & { query: string; sort: SearchSort; rows: PagedRows<ListItem> };

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
  /** The hit's page or moment, for the preview and the player. */
  openedAt: OpenedAt | null;
}

/** Where a query matches in a document; null when there is no query or the backend could not say. */
const highlightIn = (id: string, query: string | null): Promise<Highlight[] | null> =>
  query ? api['search.highlight']({ id, query }).catch(() => null) : Promise.resolve(null);

interface OpenFrom {
  query?: string | null;
  words?: string[];
  page?: number | null;
  time?: number | null;
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

/** Whether a key press goes to a text field (where "/" and "?" are just characters). */
const typingIn = (target: EventTarget | null): boolean =>
  (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type)) ||
  target instanceof HTMLTextAreaElement ||
  target instanceof HTMLSelectElement ||
  (target instanceof HTMLElement && target.isContentEditable);

const emptyOverview: Overview = { total: 0, kinds: [], people: [], cases: [], collections: [] };

const libraryRows = (first: { total: number; items: ListItem[] }, onError: (e: unknown) => void): PagedRows<ListItem> =>
  new PagedRows<ListItem>((offset, limit) => api['documents.list']({ offset, limit }), LIBRARY_PAGE, first, onError);

export function App() {
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<ArchiveInfo | null>(null);
  const [overview, setOverview] = useState<Overview>(emptyOverview);
  const [library, setLibrary] = useState<PagedRows<ListItem> | null>(null);
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<ShownResult | null>(null);
  const [sort, setSort] = useState<SearchSort>('relevance');
  const [queryError, setQueryError] = useState<QueryError | null>(null);
  const [searching, setSearching] = useState(false);
  const [saved, setSaved] = useState<SavedSearch[]>([]);
  /** The archive's latest imports (import.recent): kept in the archive, whoever ran them. */
  const [recent, setRecent] = useState<ImportRunSummary[]>([]);
  /** The search index's rebuild while one is under way (or just finished and not yet closed). */
  const [indexing, setIndexing] = useState<IndexStatus | null>(null);
  /** Bumped by every new search: answers to older ones (hits, facets, more pages) are dropped. */
  const searchSeq = useRef(0);
  const [selected, setSelected] = useState<Selection | null>(null);
  /** Bumped by every document opened: a slower answer for an earlier click is dropped. */
  const openSeq = useRef(0);
  /** A document is on its way to the detail pane: it says so (aria-busy) until it is drawn. */
  const [opening, setOpening] = useState(false);
  const [importState, setImportState] = useState<ImportState | null>(null);
  const [exporting, setExporting] = useState<{ done: number; total: number; controller: AbortController } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  /** Whether the metadata editor holds changes not saved; then leaving the document asks first. */
  const dirty = useRef(false);
  const [pending, setPending] = useState<(() => void) | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const importAbort = useRef<AbortController | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  const fail = useCallback(
    (e: unknown) => setError(e instanceof KartotekaError ? t(`error.${e.code}`, { defaultValue: e.message }) : String(e)),
    [t],
  );

  /** Runs an action that would leave the open document, asking first when its metadata has unsaved changes. */
  const guard = useCallback((action: () => void) => {
    if (dirty.current) setPending(() => action);
    else action();
  }, []);

  const loadOverview = useCallback(async (documentCount: number) => {
    if (documentCount === 0) {
      setOverview(emptyOverview);
      return;
    }
    const all = await api['search.query']({ query: EVERYTHING, offset: 0, limit: 1, facets: true });
    const facets = all.facets;
    setOverview({ total: documentCount, kinds: facets?.kind ?? [], people: facets?.person ?? [], cases: facets?.case ?? [], collections: [] });
  }, []);

  const refresh = useCallback(async () => {
    const [nextInfo, firstPage, nextSaved, nextRecent, nextIndex] = await Promise.all([
      api['archive.info']({}),
      api['documents.list']({ offset: 0, limit: LIBRARY_PAGE }),
      api['search.saved.list']({}),
      api['import.recent']({}),
      api['search.index.status']({}),
    ]);
    setInfo(nextInfo);
    if (!nextIndex.current) setIndexing(nextIndex);
    setSaved(nextSaved);
    setRecent(nextRecent);
    setLibrary((current) => {
      if (current && current.total > 0 && firstPage.total > 0) {
        // Keep the list where it is scrolled to; its rows are read again.
        current.reset(firstPage.total);
        return current;
      }
      return libraryRows(firstPage, fail);
    });
    await loadOverview(nextInfo.documentCount).catch(fail);
  }, [fail, loadOverview]);

  useEffect(() => {
    refresh().catch(fail);
  }, [refresh, fail]);

  const open = useCallback(
    (id: string, from: OpenFrom = {}) => {
      const go = (): void => {
        closeFeaturePage();
        const seq = ++openSeq.current;
        const text = from.query?.trim() ? (from.query ?? null) : null;
        const openedAt = (from.page ?? null) !== null || (from.time ?? null) !== null ? { page: from.page ?? null, time: from.time ?? null } : null;
        setOpening(true);
        Promise.all([api['documents.get']({ id }), highlightIn(id, text)])
          .then(([doc, ranges]) => {
            if (seq === openSeq.current) setSelected({ doc, query: text, words: from.words ?? [], ranges, openedAt });
          })
          .catch(fail)
          .finally(() => {
            if (seq === openSeq.current) setOpening(false);
          });
      };
      guard(go);
    },
    [fail, guard],
  );

  /** Runs a query: the hits first, then (in a second call) the facet counts, which cost more. */
  const runSearch = useCallback(
    (text: string, order: SearchSort) => {
      closeFeaturePage();
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
          const rows = new PagedRows<ListItem>(
            (offset, limit) =>
              api['search.query']({ query: text, offset, limit, sort: order }).then((page) => ({ total: page.total, items: page.hits })),
            HITS_PAGE,
            { total: r.total, items: r.hits },
            fail,
          );
          setResult({ total: r.total, suggestions: r.suggestions, indexing: r.indexing, facets: null, query: text, sort: order, rows });
          if (r.indexing) setIndexing(r.indexing);
          setQueryError(null);
          setSearching(false);
          if (r.total === 0) return;
          // Facets are extra: if counting fails the hits stay, the panel says there is nothing to refine by.
          const counted = await api['search.query']({ query: text, offset: 0, limit: 1, sort: order, facets: true }).catch((e: unknown) => {
            if (seq === searchSeq.current) fail(e);
            return null;
          });
          if (seq !== searchSeq.current) return;
          const facets: Facets = counted?.facets ?? { kind: [], language: [], year: [], person: [], case: [], tag: [] };
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

  const search = (text: string, order = sort): void => {
    setQuery(text);
    runSearch(text, order);
  };

  const showLibrary = (): void => {
    closeFeaturePage();
    searchSeq.current++;
    setQuery('');
    setResult(null);
    setQueryError(null);
  };

  const changeSort = (order: SearchSort): void => {
    setSort(order);
    if (result) runSearch(result.query, order);
  };

  const runSaved = (s: SavedSearch): void => {
    setSort(s.sort);
    search(s.query, s.sort);
  };

  const deleteSaved = (name: string): void => {
    api['search.saved.delete']({ name })
      .then(() => api['search.saved.list']({}))
      .then(setSaved)
      .catch(fail);
  };

  const toggleFacet = (filter: string): void => {
    if (!result) return;
    search(toggleFilter(result.query, filter), result.sort);
  };

  /** The search shown, counted again after documents came in, so that they are among its results; the page shown stays. */
  const shownResult = useRef<ShownResult | null>(null);
  shownResult.current = result;
  const recountSearch = useCallback(async () => {
    const shown = shownResult.current;
    if (!shown) return;
    const seq = searchSeq.current;
    const counted = await api['search.query']({ query: shown.query, offset: 0, limit: 1, sort: shown.sort });
    if (seq !== searchSeq.current) return;
    shown.rows.reset(counted.total);
    setResult((current) => (current === shown ? { ...current, total: counted.total } : current));
  }, []);

  /** Imports files picked or dropped in the window, or paths on disk the desktop menu's dialog chose. */
  const startImport = useCallback(
    (files: File[] | { paths: string[] }) => {
      if ((Array.isArray(files) ? files : files.paths).length === 0) return;
      const controller = new AbortController();
      importAbort.current = controller;
      const onProgress = (progress: Progress): void => setImportState({ phase: 'running', progress });
      // The last import's report goes at once: the new one has started.
      onProgress(initialImportProgress(Array.isArray(files) ? files.length : 0));
      (Array.isArray(files) ? importFiles(files, onProgress, controller.signal) : importPaths(files.paths, onProgress, controller.signal))
        .then(async (report) => {
          importAbort.current = null;
          setImportState({ phase: 'finished', report });
          // The first new document opens, unless another was opened meanwhile (the lists are read first).
          const opened = openSeq.current;
          await refresh();
          await recountSearch().catch(fail);
          const first = report.imported[0] ?? report.possibleDuplicates[0];
          if (first && openSeq.current === opened) open(first.id);
        })
        .catch((e: unknown) => {
          importAbort.current = null;
          setImportState(null);
          fail(e);
        });
    },
    [refresh, recountSearch, open, fail],
  );

  /** Another archive is open: nothing of the one before stays on screen (document, search, ticked rows, pages). */
  const afterSwitch = async (): Promise<void> => {
    setImportState(null);
    setIndexing(null);
    setSelected(null);
    showLibrary();
    setLibrary(null);
    nav.changed();
    await refresh();
  };

  const openSample = (): void => {
    guard(() => {
      dirty.current = false;
      api['archive.openSample']({}).then(afterSwitch).catch(fail);
    });
  };

  const copyCitation = useCallback(
    (citation: string) => {
      copyText(citation)
        .then(() => setToast(t('citation.copied', { citation })))
        .catch(fail);
    },
    [t, fail],
  );
  const copyHit = useCallback(
    (hit: SearchHit) => copyCitation(citationOf({ title: hit.title, date: hit.date, page: hit.page, time: hit.time, fileName: hit.file }, t)),
    [copyCitation, t],
  );

  // A message said in one language is not left standing in another.
  useEffect(() => {
    const clear = (): void => setToast(null);
    i18n.on('languageChanged', clear);
    return () => i18n.off('languageChanged', clear);
  }, [i18n]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(timer);
  }, [toast]);

  /** Every result of the search, page after page, as a CSV file. */
  const exportCsv = async (): Promise<void> => {
    if (!result || exporting) return;
    const controller = new AbortController();
    const { query: text, sort: order } = result;
    let total = result.total;
    setExporting({ done: 0, total, controller });
    try {
      const hits: SearchHit[] = [];
      const seen = new Set<string>();
      for (let offset = 0; offset < total && !controller.signal.aborted; offset += EXPORT_PAGE) {
        const page = await api['search.query']({ query: text, offset, limit: EXPORT_PAGE, sort: order });
        total = page.total;
        for (const hit of page.hits) {
          if (!seen.has(hit.id)) {
            seen.add(hit.id);
            hits.push(hit);
          }
        }
        if (page.hits.length === 0) break;
        setExporting({ done: hits.length, total, controller });
      }
      if (controller.signal.aborted) return;
      const header = ['title', 'kind', 'language', 'date', 'file', 'page', 'time', 'snippet', 'citation', 'id'].map((c) => t(`csv.${c}`));
      const rows = hits.map((h) => [
        h.title,
        t(`kind.${h.kind}`),
        h.language,
        h.date,
        h.file,
        h.page,
        h.time === null ? null : clock(h.time),
        h.snippet.replace(/\s+/gu, ' ').trim(),
        citationOf({ title: h.title, date: h.date, page: h.page, time: h.time, fileName: h.file }, t),
        h.id,
      ]);
      downloadCsv(fileNameFor(text), csvText(header, rows));
      setToast(t('csv.done', { count: hits.length }));
    } catch (e) {
      fail(e);
    } finally {
      setExporting(null);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (document.querySelector('dialog[open]')) return;
      if ((mod && !event.shiftKey && key === 'f') || (event.key === '/' && !mod && !typingIn(event.target))) {
        event.preventDefault();
        searchInput.current?.focus();
        searchInput.current?.select();
      } else if (mod && key === 'o') {
        event.preventDefault();
        (event.shiftKey ? folderInput : fileInput).current?.click();
      } else if (event.key === '?' && !mod && !typingIn(event.target)) {
        event.preventDefault();
        setShortcutsOpen(true);
      } else if (mod && key === 's') {
        // Saving is the metadata editor's (it listens too); the browser's "save page" never runs.
        event.preventDefault();
      }
    };
    const onUnload = (event: BeforeUnloadEvent): void => {
      if (dirty.current) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, []);

  // The desktop app's menus: the keys' actions; File > Import brings the paths its own dialog chose.
  useMenuCommand('focus-search', () => {
    searchInput.current?.focus();
    searchInput.current?.select();
  });
  useMenuCommand('shortcuts', () => setShortcutsOpen(true));
  useMenuCommand('import', (command) => startImport({ paths: command.paths }));

  const select = useCallback(
    (row: Row): void => {
      if (row.type === 'hit') {
        open(row.item.id, { query: result?.query ?? null, words: matchedWords(row.item.snippet, row.item.highlights), page: row.item.page, time: row.item.time });
      } else open(row.item.id);
    },
    [open, result?.query],
  );
  const openFromList = useCallback((id: string) => open(id, { query: result?.query ?? null }), [open, result?.query]);
  const onDirtyChange = useCallback((value: boolean) => {
    dirty.current = value;
  }, []);

  const highlights: Highlight[] = useMemo(
    () => (!selected ? [] : selected.ranges && selected.ranges.length > 0 ? selected.ranges : findWords(selected.doc.text, selected.words)),
    [selected],
  );
  const empty = info !== null && info.documentCount === 0;
  const rows = result ? result.rows : library;

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
        <div className="brand-block">
          <h1 className="brand">Kartoteka</h1>
          <ArchiveMenu
            info={info}
            busy={importState?.phase === 'running'}
            confirmLeave={(action) =>
              guard(() => {
                dirty.current = false;
                action();
              })
            }
            onSwitched={(opened, created) => {
              afterSwitch()
                .then(() => setToast(created ? t('archives.created', { path: opened.path }) : t('archives.opened', { name: opened.isSample ? t('archive.sample') : opened.name })))
                .catch(fail);
            }}
            onOpenSample={openSample}
            onIndexing={setIndexing}
            onError={fail}
          />
        </div>
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
        <button type="button" onClick={() => fileInput.current?.click()} title={t('shortcuts.importFiles')}>
          {t('action.import')}
        </button>
        <button type="button" className="secondary" onClick={() => folderInput.current?.click()} title={t('shortcuts.importFolder')}>
          {t('action.importFolder')}
        </button>
        <FolderInput
          inputRef={folderInput}
          multiple
          data-testid="folder-input"
          aria-label={t('action.importFolder')}
          onFiles={(files) => startImport(files.filter((f) => !f.name.startsWith('.')))}
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
        <button type="button" className="secondary icon-button" aria-label={t('shortcuts.title')} title={t('shortcuts.title')} aria-haspopup="dialog" onClick={() => setShortcutsOpen(true)}>
          ⌨
        </button>
        <BundleMenu />
        <LanguagePicker onError={fail} />
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

      <main className="panes">
        <Sidebar
          overview={{ ...overview, total: info?.documentCount ?? overview.total }}
          activeQuery={result ? result.query : null}
          saved={saved}
          recent={recent}
          facets={result && result.total > 0 ? { facets: result.facets, query: result.query } : null}
          onLibrary={showLibrary}
          onQuery={(q) => search(q)}
          onRunSaved={runSaved}
          onDeleteSaved={deleteSaved}
          onToggleFacet={toggleFacet}
          onOpen={(id) => open(id)}
        />
        <section className="list-pane" aria-labelledby="list-heading" aria-busy={searching}>
          <div className="pane-heading">
            <h2 id="list-heading">
              {result ? t('search.results', { count: result.total, query: result.query }) : t('library.heading', { count: info?.documentCount ?? library?.total ?? 0 })}
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
                {result.total > 0 &&
                  (exporting ? (
                    <span className="export-progress" role="status">
                      {t('csv.progress', { done: exporting.done, total: exporting.total })}{' '}
                      <button type="button" className="link" onClick={() => exporting.controller.abort()}>
                        {t('action.cancel')}
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="secondary small" onClick={() => void exportCsv()}>
                      {t('csv.export')}
                    </button>
                  ))}
                {result.total > 0 && (
                  <ExportButton target={{ selection: { type: 'search', query: result.query }, count: result.total }} label={t('bundles.open.exportResults', { count: result.total })} />
                )}
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
            {indexing && (
              <IndexingNote
                status={indexing}
                onStatus={setIndexing}
                onRerun={
                  result
                    ? () => {
                        setIndexing(null);
                        runSearch(result.query, result.sort);
                      }
                    : null
                }
                onClose={() => setIndexing(null)}
                onError={fail}
              />
            )}
          </div>
          <BulkPanel
            rows={rows}
            onChanged={(ids) => {
              result?.rows.reset();
              refresh().catch(fail);
              if (selected && ids.includes(selected.doc.id)) open(selected.doc.id, { query: selected.query, words: selected.words });
            }}
            onError={fail}
          />
          {result && result.total === 0 && (
            <div className="no-results">
              <p>{t('search.none')}</p>
              {result.suggestions.length > 0 && (
                <p>
                  {t('search.didYouMean')}{' '}
                  {result.suggestions.map((suggestion) => (
                    <button key={suggestion} type="button" className="link" onClick={() => search(suggestion, result.sort)}>
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
            rows &&
            rows.total > 0 && (
              <ResultList
                type={result ? 'hit' : 'document'}
                rows={rows}
                selectedId={selected?.doc.id ?? null}
                onSelect={select}
                onOpen={openFromList}
                onCopyCitation={copyHit}
                label={result ? t('search.listLabel') : t('library.listLabel')}
              />
            )
          )}
        </section>
        <section className="detail-pane" aria-label={t('document.pane')} aria-busy={opening}>
          <FeatureBackLink documentId={selected?.doc.id ?? null} />
          {selected ? (
            <DocumentView
              key={selected.doc.id}
              document={selected.doc}
              highlights={highlights}
              query={selected.query}
              openedAt={selected.openedAt}
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
              onSaved={(doc) => {
                dirty.current = false;
                setSelected((current) => (current && current.doc.id === doc.id ? { ...current, doc } : current));
                setToast(t('editor.saved'));
                result?.rows.reset();
                refresh().catch(fail);
              }}
              onDirtyChange={onDirtyChange}
              onCopy={copyCitation}
              onError={fail}
            />
          ) : (
            <p className="placeholder">{empty ? t('empty.dropHint') : t('document.choose')}</p>
          )}
        </section>
        <FeatureHost
          onOpen={(id) => open(id)}
          onSearch={(q) => search(q)}
          onArchiveChanged={() => {
            result?.rows.reset();
            refresh().catch(fail);
          }}
          onError={fail}
        />
      </main>
      <div className="toast" role="status" aria-live="polite">
        {toast}
      </div>
      {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
      <BundleDialogs
        search={result ? { query: result.query, total: result.total } : null}
        onOpenDocument={(id) => open(id)}
        onArchiveChanged={() => {
          result?.rows.reset();
          refresh().catch(fail);
        }}
      />
      {pending && (
        <UnsavedDialog
          onKeep={() => setPending(null)}
          onDiscard={() => {
            const action = pending;
            dirty.current = false;
            setPending(null);
            action();
          }}
        />
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('import.dropHere')}
        </div>
      )}
    </div>
  );
}
