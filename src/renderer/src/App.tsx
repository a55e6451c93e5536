import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentWithText } from '../../shared/document.ts';
import { KartotekaError } from '../../shared/errors.ts';
import type { ArchiveInfo, Highlight, SearchResult } from '../../shared/reports.ts';
import type { DocumentSummary } from '../../shared/document.ts';
import { api } from './api.ts';
import { DocumentView } from './components/DocumentView.tsx';
import { ImportReportPanel, type ImportState } from './components/ImportReportPanel.tsx';
import { ResultList, type Row } from './components/ResultList.tsx';
import { findWords, matchedWords } from './highlight.ts';
import { uiLanguages } from './i18n.ts';
import { importFiles } from './upload.ts';

const PAGE = 200;
const ACCEPT = [
  '.txt', '.text', '.md', '.markdown', '.html', '.htm', '.docx', '.odt', '.rtf', '.pdf',
  '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.vtt', '.srt', '.mp3', '.ogg', '.opus', '.m4a', '.wav', '.eml',
].join(',');

export function App() {
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<ArchiveInfo | null>(null);
  const [library, setLibrary] = useState<{ total: number; items: DocumentSummary[] }>({ total: 0, items: [] });
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<(SearchResult & { query: string }) | null>(null);
  const [selected, setSelected] = useState<{ doc: DocumentWithText; words: string[] } | null>(null);
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
    const [nextInfo, nextLibrary] = await Promise.all([api['archive.info']({}), api['documents.list']({ offset: 0, limit: PAGE })]);
    setInfo(nextInfo);
    setLibrary(nextLibrary);
  }, []);

  useEffect(() => {
    refresh().catch(fail);
  }, [refresh, fail]);

  const open = useCallback(
    (id: string, words: string[] = []) => {
      api['documents.get']({ id })
        .then((doc) => setSelected({ doc, words }))
        .catch(fail);
    },
    [fail],
  );

  const runSearch = useCallback(
    (text: string) => {
      if (!text.trim()) {
        setResult(null);
        return;
      }
      api['search.query']({ query: text, limit: 100 })
        .then((r) => setResult({ ...r, query: text }))
        .catch(fail);
    },
    [fail],
  );

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
        setResult(null);
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
    open(row.item.id, row.type === 'hit' ? matchedWords(row.item.snippet, row.item.highlights) : []);
  };

  const highlights: Highlight[] = selected ? findWords(selected.doc.text, selected.words) : [];
  const empty = info !== null && info.documentCount === 0;

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
        <form
          className="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            runSearch(query);
          }}
        >
          <label htmlFor="search-input" className="visually-hidden">
            {t('search.label')}
          </label>
          <input
            id="search-input"
            ref={searchInput}
            type="search"
            value={query}
            placeholder={t('search.placeholder')}
            onChange={(e) => {
              setQuery(e.target.value);
              if (!e.target.value) setResult(null);
            }}
          />
          <button type="submit">{t('search.submit')}</button>
        </form>
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

      <main className="panes">
        <section className="list-pane" aria-labelledby="list-heading">
          <h2 id="list-heading" className="pane-heading">
            {result ? t('search.results', { count: result.total, query: result.query }) : t('library.heading', { count: library.total })}
          </h2>
          {result && result.total === 0 && (
            <div className="no-results">
              <p>{t('search.none')}</p>
              {result.suggestions.length > 0 && (
                <p>
                  {t('search.didYouMean')}{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      const suggestion = result.suggestions.join(' ');
                      setQuery(suggestion);
                      runSearch(suggestion);
                    }}
                  >
                    {result.suggestions.join(' ')}
                  </button>
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
              label={result ? t('search.listLabel') : t('library.listLabel')}
            />
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
              onOpen={(id) => open(id, selected.words)}
              onChange={(doc) => {
                setSelected({ doc, words: selected.words });
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
