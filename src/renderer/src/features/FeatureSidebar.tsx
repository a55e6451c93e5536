import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseList, Collection, Person } from '../../../shared/entities.ts';
import { api } from '../api.ts';
import { nav, useNav } from './nav.ts';
import { errorText } from './shared/util.ts';
import { filterOf } from '../query-text.ts';
import './features.css';
import { formatCount } from '../format.ts';

/** A name documents give as an author or recipient, and how many documents do. */
export interface NamedCount {
  value: string;
  count: number;
}

/** People listed before "Show all"; the filter finds the others. */
const FEW = 8;
const FILTER_DELAY_MS = 150;

function SectionHead({ id, heading, newLabel, onNew, expanded }: { id: string; heading: string; newLabel: string; onNew: () => void; expanded?: boolean }) {
  return (
    <div className="ft-side-head">
      <h2 id={id} className="sidebar-heading">
        {heading}
      </h2>
      <button type="button" className="ft-side-new" aria-label={newLabel} title={newLabel} aria-expanded={expanded} onClick={onNew}>
        +
      </button>
    </div>
  );
}

/**
 * Names (or case titles) documents use that have no record yet, with how many documents use each:
 * a click searches for those documents, + makes a record of it. The first few, then "Show all".
 */
function Unrecorded({
  id,
  heading,
  items,
  searchLabel,
  createLabel,
  onSearch,
  onCreate,
}: {
  id: string;
  heading: string;
  items: readonly { label: string; count: number }[];
  searchLabel: (label: string) => string;
  createLabel: (label: string) => string;
  onSearch: ((label: string) => void) | undefined;
  onCreate: (label: string) => void;
}) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  if (items.length === 0) return null;
  const shown = all ? items : items.slice(0, FEW);
  return (
    <div className="ft-unrecorded">
      <h3 id={id} className="ft-side-subheading">
        {heading}
      </h3>
      <ul aria-labelledby={id}>
        {shown.map((item) => (
          <li key={item.label} className="ft-unrecorded-item">
            {onSearch ? (
              <button type="button" className="nav-item" title={searchLabel(item.label)} onClick={() => onSearch(item.label)}>
                <span className="facet-value">{item.label}</span>
                <span className="facet-count">{formatCount(item.count)}</span>
              </button>
            ) : (
              <span className="nav-item">
                <span className="facet-value">{item.label}</span>
                <span className="facet-count">{formatCount(item.count)}</span>
              </span>
            )}
            <button type="button" className="ft-side-create" aria-label={createLabel(item.label)} title={createLabel(item.label)} onClick={() => onCreate(item.label)}>
              +
            </button>
          </li>
        ))}
      </ul>
      {items.length > FEW && (
        <button type="button" className="link facet-more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('facets.fewer') : t('facets.all', { count: items.length })}
        </button>
      )}
    </div>
  );
}

/** People with a record: filtered by the start of any word of a name or variant, in any script. */
function PeopleSection({ refreshKey, named, onQuery, onError }: { refreshKey: unknown; named: readonly NamedCount[]; onQuery: ((query: string) => void) | undefined; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const { page, version } = useNav();
  const inputId = useId();
  const [prefix, setPrefix] = useState('');
  const [people, setPeople] = useState<{ total: number; items: Person[] }>({ total: 0, items: [] });
  const [all, setAll] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(
      () => {
        api['people.list']({ prefix: prefix.trim(), offset: 0, limit: 200 })
          .then((found) => {
            if (mine === seq.current) setPeople(found);
          })
          .catch(onError);
      },
      prefix === '' ? 0 : FILTER_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [prefix, version, refreshKey, onError]);

  const shown = all || prefix.trim() !== '' ? people.items : people.items.slice(0, FEW);
  // Names the documents use that are no person's name or variant yet: each can become a record.
  const known = new Set(people.items.flatMap((p) => [p.name, ...p.variants]).map((n) => n.toLocaleLowerCase()));
  const unrecorded = prefix.trim() === '' && people.total <= people.items.length ? named.filter((n) => !known.has(n.value.toLocaleLowerCase())) : [];
  const createNamed = (name: string): void => {
    api['people.save']({ id: null, name })
      .then((saved) => {
        nav.changed();
        nav.open({ type: 'person', id: saved.id });
      })
      .catch(onError);
  };
  return (
    <section className="nav-group ft-side" aria-labelledby="ft-people-heading">
      <SectionHead id="ft-people-heading" heading={t('sidebar.people')} newLabel={t('people.new')} onNew={() => nav.open({ type: 'person', id: null })} />
      {(people.total > FEW || prefix !== '') && (
        <div className="ft-side-filter">
          <label htmlFor={inputId} className="visually-hidden">
            {t('people.filter')}
          </label>
          <input id={inputId} type="search" value={prefix} placeholder={t('people.filterPlaceholder')} autoComplete="off" spellCheck={false} onChange={(e) => setPrefix(e.target.value)} />
        </div>
      )}
      {people.total === 0 && prefix === '' ? (
        <p className="sidebar-note">{t('people.noneYet')}</p>
      ) : people.items.length === 0 ? (
        <p className="sidebar-note">{t('people.noMatch')}</p>
      ) : (
        <ul aria-label={t('people.listLabel')}>
          {shown.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="nav-item"
                aria-current={page?.type === 'person' && page.id === person.id ? 'page' : undefined}
                title={[...person.variants, ...person.roles.map((r) => t(`people.role.${r}`))].join(' · ') || undefined}
                onClick={() => nav.open({ type: 'person', id: person.id })}
              >
                <span className="facet-value">{person.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {prefix.trim() === '' && people.items.length > FEW && (
        <button type="button" className="link facet-more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('facets.fewer') : t('facets.all', { count: people.total })}
        </button>
      )}
      <Unrecorded
        id="ft-named-heading"
        heading={t('people.named')}
        items={unrecorded.map((n) => ({ label: n.value, count: n.count }))}
        searchLabel={(label) => t('people.searchNamed', { name: label })}
        createLabel={(label) => t('people.createFor', { name: label })}
        onSearch={onQuery ? (label) => onQuery(filterOf('person', label)) : undefined}
        onCreate={createNamed}
      />
    </section>
  );
}

/** Case records, and the case titles documents use that have no record yet, each with Create. */
function CasesSection({ refreshKey, onQuery, onError }: { refreshKey: unknown; onQuery: ((query: string) => void) | undefined; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const { page, version } = useNav();
  const [cases, setCases] = useState<CaseList>({ items: [], unrecorded: [] });
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api['cases.list']({}).then(setCases).catch(onError);
  }, [version, refreshKey, onError]);

  const create = (title: string): void => {
    setProblem(null);
    api['cases.save']({ id: null, title })
      .then((saved) => {
        nav.changed();
        nav.open({ type: 'case', id: saved.id });
      })
      .catch((e: unknown) => setProblem(errorText(t, e, 'cases.conflict')));
  };

  return (
    <section className="nav-group ft-side" aria-labelledby="ft-cases-heading">
      <SectionHead id="ft-cases-heading" heading={t('sidebar.cases')} newLabel={t('cases.new')} onNew={() => nav.open({ type: 'case', id: null })} />
      {cases.items.length === 0 && cases.unrecorded.length === 0 && <p className="sidebar-note">{t('cases.noneYet')}</p>}
      {cases.items.length > 0 && (
        <ul aria-label={t('cases.listLabel')}>
          {cases.items.map((item) => (
            <li key={item.id}>
              <button type="button" className="nav-item" aria-current={page?.type === 'case' && page.id === item.id ? 'page' : undefined} onClick={() => nav.open({ type: 'case', id: item.id })}>
                <span className="facet-value">{item.title}</span>
                <span className="facet-count">{formatCount(item.documentCount)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <Unrecorded
        id="ft-unrecorded-heading"
        heading={t('cases.unrecorded')}
        items={cases.unrecorded.map((c) => ({ label: c.title, count: c.documentCount }))}
        searchLabel={(label) => t('cases.searchNamed', { title: label })}
        createLabel={(label) => t('cases.createFor', { title: label })}
        onSearch={onQuery ? (label) => onQuery(filterOf('case', label)) : undefined}
        onCreate={create}
      />
      {problem && (
        <p className="sidebar-note ft-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** Collections: hand-picked sets of documents (for a lawyer, a campaign); + makes one. */
function CollectionsSection({ refreshKey, onError }: { refreshKey: unknown; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const { page, version } = useNav();
  const inputId = useId();
  const [collections, setCollections] = useState<Collection[]>([]);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    api['collections.list']({}).then(setCollections).catch(onError);
  }, [version, refreshKey, onError]);
  useEffect(() => {
    if (creating) input.current?.focus();
  }, [creating]);

  const create = (): void => {
    if (name.trim() === '') {
      setProblem(t('collections.nameRequired'));
      return;
    }
    api['collections.save']({ id: null, name: name.trim() })
      .then((saved) => {
        setCreating(false);
        setName('');
        setProblem(null);
        nav.changed();
        nav.open({ type: 'collection', id: saved.id });
      })
      .catch((e: unknown) => setProblem(errorText(t, e, 'collections.conflict')));
  };

  return (
    <section className="nav-group ft-side" aria-labelledby="ft-collections-heading">
      <SectionHead id="ft-collections-heading" heading={t('sidebar.collections')} newLabel={t('collections.new')} expanded={creating} onNew={() => setCreating(!creating)} />
      {creating && (
        <form
          className="ft-side-form"
          onSubmit={(e) => {
            e.preventDefault();
            create();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setCreating(false);
              setProblem(null);
            }
          }}
        >
          <label htmlFor={inputId} className="visually-hidden">
            {t('collections.name')}
          </label>
          <input
            id={inputId}
            ref={input}
            type="text"
            value={name}
            placeholder={t('collections.namePlaceholder')}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${inputId}-error` : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="small">
            {t('collections.create')}
          </button>
        </form>
      )}
      {problem && (
        <p id={`${inputId}-error`} className="sidebar-note ft-error" role="alert">
          {problem}
        </p>
      )}
      {collections.length === 0 && !creating && <p className="sidebar-note">{t('collections.noneYet')}</p>}
      {collections.length > 0 && (
        <ul aria-label={t('collections.listLabel')}>
          {collections.map((c) => (
            <li key={c.id}>
              <button type="button" className="nav-item" aria-current={page?.type === 'collection' && page.id === c.id ? 'page' : undefined} onClick={() => nav.open({ type: 'collection', id: c.id })}>
                <span className="facet-value">{c.name}</span>
                <span className="facet-count">{formatCount(c.documentCount)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "Possible duplicates" and how many, when there are any: opens their review. */
function DuplicatesEntry({ refreshKey, onError }: { refreshKey: unknown; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const { page, version } = useNav();
  const [total, setTotal] = useState(0);
  useEffect(() => {
    api['duplicates.list']({ offset: 0, limit: 1 })
      .then((found) => setTotal(found.total))
      .catch(onError);
  }, [version, refreshKey, onError]);
  if (total === 0 && page?.type !== 'duplicates') return null;
  return (
    <section className="nav-group ft-side" aria-label={t('duplicates.heading')}>
      <button type="button" className="nav-item" aria-current={page?.type === 'duplicates' ? 'page' : undefined} onClick={() => nav.open({ type: 'duplicates' })}>
        <span className="facet-value">{t('duplicates.heading')}</span>
        <span className="facet-count">{formatCount(total)}</span>
      </button>
    </section>
  );
}

/**
 * The sidebar's People, Cases and Collections (issue 5): records kept in the archive, each opening
 * its page. `refreshKey` changes when the app has read the archive again (another archive opened).
 */
export function FeatureSidebar({
  refreshKey,
  named = [],
  onQuery,
  onError,
}: {
  refreshKey: unknown;
  /** Authors and recipients named in documents (the archive's counts), offered to become records. */
  named?: readonly NamedCount[];
  /** Runs a search (a name's person: filter). */
  onQuery?: (query: string) => void;
  onError?: (e: unknown) => void;
}) {
  const quiet = useRef(onError ?? ((): void => undefined)).current;
  return (
    <>
      <PeopleSection refreshKey={refreshKey} named={named} onQuery={onQuery} onError={quiet} />
      <CasesSection refreshKey={refreshKey} onQuery={onQuery} onError={quiet} />
      <CollectionsSection refreshKey={refreshKey} onError={quiet} />
      <DuplicatesEntry refreshKey={refreshKey} onError={quiet} />
    </>
  );
}
