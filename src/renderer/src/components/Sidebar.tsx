import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportRunSummary } from '../../../shared/entities.ts';
import type { Facets, FacetCount, SavedSearch } from '../../../shared/reports.ts';
import type { z } from 'zod';
import { filterOf } from '../query-text.ts';
import { FacetsPanel } from './FacetsPanel.tsx';
import { SavedSearchList } from './SavedSearches.tsx';
import { FeatureSidebar } from '../features/FeatureSidebar.tsx';
import { formatCount } from '../format.ts';

type Count = z.infer<typeof FacetCount>;

/**
 * What the archive holds at a glance. People, cases and collections are drawn only when there is
 * something to list: for now people and cases come from the counts over the whole archive (the
 * authors and recipients, the cases of documents); collections have no source yet.
 */
export interface Overview {
  total: number;
  kinds: Count[];
  people: Count[];
  cases: Count[];
  /** Filled by the collections API once there is one (issue 5); until then always empty. */
  collections: { id: string; name: string; count: number }[];
}

interface Props {
  overview: Overview;
  /** The query shown in the list, to mark the matching entry. */
  activeQuery: string | null;
  saved: readonly SavedSearch[];
  /** The archive's latest imports (import.recent). */
  recent: readonly ImportRunSummary[];
  facets: { facets: Facets | null; query: string } | null;
  onLibrary: () => void;
  onQuery: (query: string) => void;
  onRunSaved: (search: SavedSearch) => void;
  onDeleteSaved: (name: string) => void;
  onToggleFacet: (filter: string) => void;
  onOpen: (id: string) => void;
}

/** Entries shown per group before "Show all". */
const FEW = 8;

function Group({ id, heading, items, activeQuery, onQuery }: { id: string; heading: string; items: { label: string; count: number; query: string }[]; activeQuery: string | null; onQuery: (query: string) => void }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  if (items.length === 0) return null;
  const shown = all ? items : items.slice(0, FEW);
  return (
    <section className="nav-group" aria-labelledby={id}>
      <h2 id={id} className="sidebar-heading">
        {heading}
      </h2>
      <ul>
        {shown.map((item) => (
          <li key={item.query}>
            <button type="button" className="nav-item" aria-current={activeQuery === item.query ? 'true' : undefined} onClick={() => onQuery(item.query)}>
              <span className="facet-value">{item.label}</span>
              <span className="facet-count">{formatCount(item.count)}</span>
            </button>
          </li>
        ))}
      </ul>
      {items.length > FEW && (
        <button type="button" className="link facet-more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('facets.fewer') : t('facets.all', { count: items.length })}
        </button>
      )}
    </section>
  );
}

/** When an import started: the time today, the date and time before. */
function startedAt(iso: string, locale: string): string {
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return today
    ? at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

const fileNameOf = (path: string): string => path.split(/[\\/]/u).pop() || path;

/**
 * Why a file failed, for a person: in English the importer's own words (they name what is wrong
 * with this file); in another language what the code means, the importer's words in the tooltip.
 */
function failureText(t: TFunction, language: string, failure: ImportRunSummary['failed'][number]): string {
  if (language.startsWith('en') && failure.message) return failure.message;
  return t(`sidebar.failure.${failure.code}`, { defaultValue: t(`error.${failure.code}`, { defaultValue: failure.message }) });
}

/**
 * The archive's latest imports, from the archive itself (so they outlive the window, and include
 * imports from the command line): when, how many files came in, what failed, and the documents.
 */
function RecentImports({ recent, onOpen }: { recent: readonly ImportRunSummary[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  // An interrupted run has no counts (they are written at its end), but what it kept of its files.
  const shown = recent.filter((run) => run.counts.imported + run.counts.possibleDuplicates + run.counts.duplicates + run.counts.failed > 0 || run.failed.length > 0 || run.status === 'running');
  if (shown.length === 0) return null;
  return (
    <section className="nav-group recent-imports" aria-labelledby="recent-heading">
      <h2 id="recent-heading" className="sidebar-heading">
        {t('sidebar.recentImports')}
      </h2>
      <ul>
        {shown.map((run) => {
          const brought = run.counts.imported + run.counts.possibleDuplicates;
          const failed = Math.max(run.counts.failed, run.failed.length);
          const twins = new Map(run.possibleDuplicates.map((d) => [d.id, d]));
          // Folders and files named by path (the desktop app, the command line); an upload's roots are its files, listed below anyway.
          const from = run.roots.filter((root) => /[\\/]/u.test(root)).map((root) => root.split(/[\\/]/u).filter(Boolean).pop() ?? root);
          return (
            <li key={run.id}>
              <details className="recent-batch">
                <summary title={run.roots.join('\n')}>
                  <span className="recent-time">{startedAt(run.startedAt, i18n.language)}</span> {t('sidebar.importSummary', { count: brought })}
                  {run.counts.duplicates > 0 && <span> · {t('import.duplicates', { count: run.counts.duplicates })}</span>}
                  {failed > 0 && <span className="failed-count"> · {t('import.failed', { count: failed })}</span>}
                  {run.status !== 'finished' && <span className="sidebar-note"> · {t(`sidebar.importStatus.${run.status}`)}</span>}
                </summary>
                {from.length > 0 && <p className="sidebar-note recent-from">{t('sidebar.importFrom', { names: `${from.slice(0, 3).join(', ')}${from.length > 3 ? ` +${from.length - 3}` : ''}` })}</p>}
                <ul>
                  {run.documents.map((item) => {
                    const twin = twins.get(item.id);
                    return (
                      <li key={item.id}>
                        <button type="button" className="link recent-file" title={item.title} onClick={() => onOpen(item.id)}>
                          {item.file.split(/[\\/]/u).pop() || item.title}
                        </button>
                        {twin && (
                          <span className="sidebar-note recent-twin">
                            {' '}
                            {t('import.sameTextAs')}{' '}
                            <button type="button" className="link recent-file" onClick={() => onOpen(twin.duplicateOf)}>
                              {twin.duplicateOfTitle ?? t('import.existingDocument')}
                            </button>
                          </span>
                        )}
                      </li>
                    );
                  })}
                  {brought > run.documents.length && <li className="sidebar-note">{t('sidebar.andMore', { count: brought - run.documents.length })}</li>}
                </ul>
                {run.failed.length > 0 && (
                  <>
                    <h3 className="recent-subheading">{t('sidebar.failedFiles')}</h3>
                    <ul className="recent-failures">
                      {run.failed.map((failure, i) => (
                        <li key={`${i}-${failure.file}`} className="recent-failure">
                          <span className="recent-failure-file" title={failure.file}>
                            {fileNameOf(failure.file)}
                          </span>{' '}
                          <code className="recent-failure-code">{failure.code}</code>
                          <span className="recent-failure-why" title={failure.message}>
                            {failureText(t, i18n.language, failure)}
                          </span>
                        </li>
                      ))}
                      {failed > run.failed.length && <li className="sidebar-note">{t('sidebar.andMore', { count: failed - run.failed.length })}</li>}
                    </ul>
                  </>
                )}
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The sidebar: the library, its kinds (and people, cases), saved searches, recent imports, a search's facets. */
export function Sidebar({ overview, activeQuery, saved, recent, facets, onLibrary, onQuery, onRunSaved, onDeleteSaved, onToggleFacet, onOpen }: Props) {
  const { t } = useTranslation();
  return (
    <aside className="sidebar" aria-label={t('sidebar.label')}>
      <section className="nav-group library-group" aria-label={t('sidebar.library')}>
        <button type="button" className="nav-item library-item" aria-current={activeQuery === null ? 'true' : undefined} onClick={onLibrary}>
          <span className="facet-value">{t('sidebar.library')}</span>
          <span className="facet-count">{formatCount(overview.total)}</span>
        </button>
      </section>
      <Group
        id="kinds-heading"
        heading={t('sidebar.kinds')}
        items={overview.kinds.map((k) => ({ label: t(`kind.${k.value}`, { defaultValue: k.value }), count: k.count, query: filterOf('kind', k.value) }))}
        activeQuery={activeQuery}
        onQuery={onQuery}
      />
      {/* People, cases and collections (issue 5): records with their pages; names and cases documents use without a record are offered there. */}
      <FeatureSidebar refreshKey={overview.cases} named={overview.people} onQuery={onQuery} />
      {/* Collections: drawn once the collections API gives some (issue 5). */}
      {overview.collections.length > 0 && (
        <section className="nav-group" aria-labelledby="collections-heading">
          <h2 id="collections-heading" className="sidebar-heading">
            {t('sidebar.collections')}
          </h2>
          <ul>
            {overview.collections.map((c) => (
              <li key={c.id}>
                <span className="nav-item">
                  <span className="facet-value">{c.name}</span>
                  <span className="facet-count">{c.count}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <SavedSearchList saved={saved} onRun={onRunSaved} onDelete={onDeleteSaved} />
      <RecentImports recent={recent} onOpen={onOpen} />
      {facets && <FacetsPanel facets={facets.facets} query={facets.query} onToggle={onToggleFacet} />}
    </aside>
  );
}
