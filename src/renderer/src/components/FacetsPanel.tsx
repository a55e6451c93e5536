import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Facets } from '../../../shared/reports.ts';
import { capitalised } from '../features/shared/util.ts';
import { languageName } from '../format.ts';
import { filterOf, hasFilter } from '../query-text.ts';

const groups = ['kind', 'language', 'year', 'person', 'case', 'tag'] as const;
type Group = (typeof groups)[number];

/** Values shown per group before "Show all". */
const FEW = 6;

interface Props {
  /** null while the counts are still coming. */
  facets: Facets | null;
  query: string;
  onToggle: (filter: string) => void;
}

/** Counts of the matches by kind, language, year, person, case and tag; a value toggles its filter. */
export function FacetsPanel({ facets, query, onToggle }: Props) {
  const { t, i18n } = useTranslation();
  const [expanded, setExpanded] = useState<Set<Group>>(new Set());

  const label = (group: Group, value: string): string => {
    if (group === 'kind') return t(`kind.${value}`, { defaultValue: value });
    if (group === 'language') {
      if (value === 'und') return t('facets.unknownLanguage');
      return capitalised(languageName(value, i18n.language), i18n.language);
    }
    return value;
  };

  return (
    <section className="facets" aria-labelledby="facets-heading" aria-busy={facets === null}>
      <h2 id="facets-heading" className="sidebar-heading">
        {t('facets.heading')}
      </h2>
      {facets === null ? (
        <p className="sidebar-note">{t('facets.loading')}</p>
      ) : groups.every((g) => facets[g].length === 0) ? (
        <p className="sidebar-note">{t('facets.none')}</p>
      ) : (
        groups
          .filter((group) => facets[group].length > 0)
          .map((group) => {
            const values = facets[group];
            const open = expanded.has(group);
            const shown = open ? values : values.slice(0, FEW);
            return (
              <div key={group} className="facet-group" role="group" aria-labelledby={`facet-${group}`}>
                <h3 id={`facet-${group}`}>{t(`facets.group.${group}`)}</h3>
                <ul>
                  {shown.map(({ value, count }) => {
                    const filter = filterOf(group, value);
                    const active = hasFilter(query, filter);
                    return (
                      <li key={value}>
                        <button
                          type="button"
                          className={`facet${active ? ' active' : ''}`}
                          aria-pressed={active}
                          title={active ? t('facets.remove', { filter }) : t('facets.add', { filter })}
                          onClick={() => onToggle(filter)}
                        >
                          <span className="facet-value">{label(group, value)}</span>
                          <span className="facet-count">{count}</span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
                {values.length > FEW && (
                  <button
                    type="button"
                    className="link facet-more"
                    aria-expanded={open}
                    onClick={() =>
                      setExpanded((current) => {
                        const next = new Set(current);
                        if (open) next.delete(group);
                        else next.add(group);
                        return next;
                      })
                    }
                  >
                    {open ? t('facets.fewer') : t('facets.all', { count: values.length })}
                  </button>
                )}
              </div>
            );
          })
      )}
    </section>
  );
}
