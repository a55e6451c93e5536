import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KartotekaError } from '../../../shared/errors.ts';
import type { SavedSearch, SearchSort } from '../../../shared/reports.ts';
import { api } from '../api.ts';

/** The saved searches of the archive: one click runs one again, × deletes it. */
export function SavedSearchList({ saved, onRun, onDelete }: { saved: readonly SavedSearch[]; onRun: (search: SavedSearch) => void; onDelete: (name: string) => void }) {
  const { t } = useTranslation();
  return (
    <section className="saved-searches" aria-labelledby="saved-heading">
      <h2 id="saved-heading" className="sidebar-heading">
        {t('saved.heading')}
      </h2>
      {saved.length === 0 ? (
        <p className="sidebar-note">{t('saved.none')}</p>
      ) : (
        <ul aria-labelledby="saved-heading">
          {saved.map((s) => (
            <li key={s.name} className="saved-item">
              <button type="button" className="saved-run" onClick={() => onRun(s)} title={t('saved.run', { name: s.name })}>
                <span className="saved-name">{s.name}</span>
                <span className="saved-query">
                  <code>{s.query}</code>
                  {s.sort !== 'relevance' && ` · ${t(`sort.${s.sort}`)}`}
                </span>
              </button>
              <button type="button" className="saved-delete" aria-label={t('saved.delete', { name: s.name })} title={t('saved.delete', { name: s.name })} onClick={() => onDelete(s.name)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface FormProps {
  query: string;
  sort: SearchSort;
  existing: readonly SavedSearch[];
  onSaved: (saved: SavedSearch) => void;
}

const NAME_MAX = 200;

/** "Save search", which opens a small inline form asking for a name. */
export function SaveSearchForm({ query, sort, existing, onSaved }: FormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) input.current?.select();
  }, [open]);

  const cancel = (): void => {
    setOpen(false);
    setProblem(null);
    requestAnimationFrame(() => opener.current?.focus());
  };

  if (!open) {
    return (
      <button
        ref={opener}
        type="button"
        className="secondary small"
        onClick={() => {
          setName(query.trim().slice(0, NAME_MAX));
          setProblem(null);
          setOpen(true);
        }}
      >
        {t('saved.save')}
      </button>
    );
  }
  const trimmed = name.trim();
  const replaces = existing.some((s) => s.name === trimmed);
  return (
    <form
      className="save-form"
      aria-label={t('saved.formLabel')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!trimmed || busy) return;
        setBusy(true);
        api['search.saved.save']({ name: trimmed, query, sort })
          .then((saved) => {
            setOpen(false);
            setProblem(null);
            onSaved(saved);
            requestAnimationFrame(() => opener.current?.focus());
          })
          .catch((error: unknown) => setProblem(error instanceof KartotekaError ? error.message : String(error)))
          .finally(() => setBusy(false));
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          cancel();
        }
      }}
    >
      <label htmlFor={`${id}-name`}>{t('saved.name')}</label>
      <input id={`${id}-name`} ref={input} value={name} maxLength={NAME_MAX} onChange={(e) => setName(e.target.value)} required aria-describedby={replaces || problem ? `${id}-note` : undefined} />
      <button type="submit" className="small" disabled={!trimmed || busy}>
        {replaces ? t('saved.replace') : t('saved.confirm')}
      </button>
      <button type="button" className="secondary small" onClick={cancel}>
        {t('action.cancel')}
      </button>
      {(replaces || problem) && (
        <p id={`${id}-note`} className={problem ? 'save-problem' : 'save-note'} role={problem ? 'alert' : undefined}>
          {problem ?? t('saved.replaces')}
        </p>
      )}
    </form>
  );
}
