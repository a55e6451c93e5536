import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Facets, FacetCount, ImportReport, SavedSearch } from '../../../shared/reports.ts';
import type { z } from 'zod';
import { filterOf } from '../query-text.ts';
import { FacetsPanel } from './FacetsPanel.tsx';
import { SavedSearchList } from './SavedSearches.tsx';
import { FeatureSidebar } from '../features/FeatureSidebar.tsx';

type Count = z.infer<typeof FacetCount>;

/** One import batch seen in this session (the sidebar's "Recent imports"). */
export interface RecentImport {
  at: string;
  /** The archive it went into (archive.info's path). */
  archive: string;
  report: ImportReport;
}

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
  recent: readonly RecentImport[];
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
              <span className="facet-count">{item.count.toLocaleString()}</span>
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

function RecentImports({ recent, onOpen }: { recent: readonly RecentImport[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  if (recent.length === 0) return null;
  return (
    <section className="nav-group recent-imports" aria-labelledby="recent-heading">
      <h2 id="recent-heading" className="sidebar-heading">
        {t('sidebar.recentImports')}
      </h2>
      <ul>
        {recent.map((batch) => {
          const opened = [...batch.report.imported, ...batch.report.possibleDuplicates];
          const time = new Date(batch.at).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });
          return (
            <li key={batch.at}>
              <details className="recent-batch">
                <summary>
                  <span className="recent-time">{time}</span> {t('sidebar.importSummary', { count: opened.length })}
                  {batch.report.failed.length > 0 && <span className="failed-count"> · {t('import.failed', { count: batch.report.failed.length })}</span>}
                </summary>
                <ul>
                  {opened.slice(0, 50).map((item) => (
                    <li key={item.id}>
                      <button type="button" className="link recent-file" title={item.file} onClick={() => onOpen(item.id)}>
                        {item.file.split(/[\\/]/u).pop()}
                      </button>
                    </li>
                  ))}
                  {opened.length > 50 && <li className="sidebar-note">{t('sidebar.andMore', { count: opened.length - 50 })}</li>}
                </ul>
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
          <span className="facet-count">{overview.total.toLocaleString()}</span>
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
