import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GlossaryEntry, GlossaryMatch } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { languageName } from '../../format.ts';
import { ConfirmButton } from '../shared/ConfirmButton.tsx';
import { errorText } from '../shared/util.ts';

interface Draft {
  id: number | null;
  term: string;
  translation: string;
  note: string;
}

/** Adds a glossary entry or changes one; the glossary is the archive's, shared by every translation. */
function EntryForm({ draft, sourceLanguage, targetLanguage, onDone, onCancel }: { draft: Draft; sourceLanguage: string; targetLanguage: string; onDone: () => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [form, setForm] = useState(draft);
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (draft.term && !draft.translation) document.getElementById(`${id}-translation`)?.focus();
    else first.current?.focus();
  }, [draft, id]);

  const save = (): void => {
    if (form.term.trim() === '' || form.translation.trim() === '') {
      setProblem(t('glossary.bothRequired'));
      return;
    }
    api['glossary.save']({ id: form.id, sourceLanguage, targetLanguage, term: form.term.trim(), translation: form.translation.trim(), note: form.note })
      .then(() => onDone())
      .catch((e: unknown) => setProblem(errorText(t, e, 'glossary.conflict')));
  };

  return (
    <form
      className="gl-form"
      aria-label={form.id === null ? t('glossary.addLabel') : t('glossary.editLabel')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={`${id}-term`}>{t('glossary.term', { language: languageName(sourceLanguage, i18n.language) })}</label>
      <input id={`${id}-term`} ref={first} type="text" lang={sourceLanguage} value={form.term} placeholder={t('glossary.termPlaceholder')} onChange={(e) => setForm({ ...form, term: e.target.value })} />
      <label htmlFor={`${id}-translation`}>{t('glossary.translation', { language: languageName(targetLanguage, i18n.language) })}</label>
      <input id={`${id}-translation`} type="text" lang={targetLanguage} value={form.translation} onChange={(e) => setForm({ ...form, translation: e.target.value })} />
      <label htmlFor={`${id}-note`}>{t('glossary.note')}</label>
      <input id={`${id}-note`} type="text" value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
      {problem && (
        <p className="ft-error" role="alert">
          {problem}
        </p>
      )}
      <div className="ft-actions">
        <button type="submit" className="small">
          {form.id === null ? t('glossary.add') : t('features.save')}
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          {t('features.cancel')}
        </button>
      </div>
      <p className="ft-hint">{t('glossary.shared')}</p>
    </form>
  );
}

/**
 * The glossary beside the paragraph being translated: the entries whose term occurs in it (in any
 * inflection), each insertable into the translation; and the form to add or change an entry.
 */
export function GlossaryPanel({
  text,
  paragraph,
  sourceLanguage,
  targetLanguage,
  pickTerm,
  onMatches,
  onInsert,
  onError,
}: {
  /** The original paragraph being translated. */
  text: string;
  /** Its number, counted from 1. */
  paragraph: number;
  sourceLanguage: string;
  targetLanguage: string;
  /** Words selected in the original, offered as the term of a new entry. */
  pickTerm: () => string;
  onMatches: (matches: GlossaryMatch[]) => void;
  onInsert: (translation: string) => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const [matches, setMatches] = useState<GlossaryMatch[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [version, setVersion] = useState(0);
  const seq = useRef(0);
  const onMatchesRef = useRef(onMatches);
  onMatchesRef.current = onMatches;

  useEffect(() => {
    const mine = ++seq.current;
    if (text.trim() === '') {
      setMatches([]);
      onMatchesRef.current([]);
      return;
    }
    api['glossary.for']({ text, sourceLanguage, targetLanguage })
      .then((found) => {
        if (mine !== seq.current) return;
        setMatches(found);
        onMatchesRef.current(found);
      })
      .catch(onError);
  }, [text, sourceLanguage, targetLanguage, version, onError]);

  const edit = (entry: GlossaryEntry): void => setDraft({ id: entry.id, term: entry.term, translation: entry.translation, note: entry.note });

  return (
    <aside className="gl-panel" aria-labelledby="glossary-heading">
      <h3 id="glossary-heading">{t('glossary.heading', { n: paragraph })}</h3>
      {matches.length === 0 ? (
        <p className="ft-muted">{t('glossary.noneHere')}</p>
      ) : (
        <ul className="gl-entries" aria-label={t('glossary.matches', { count: matches.length })}>
          {matches.map(({ entry, matches: where }) => (
            <li key={entry.id} className="gl-entry">
              <div className="gl-pair">
                <span className="gl-term" lang={entry.sourceLanguage}>
                  {entry.term}
                </span>
                <span aria-hidden="true"> = </span>
                <span className="visually-hidden">{t('glossary.means')}</span>
                <strong className="gl-translation" lang={entry.targetLanguage}>
                  {entry.translation}
                </strong>
              </div>
              {entry.note && <div className="gl-note">{entry.note}</div>}
              <div className="gl-meta">
                {where.length > 1 && <span className="ft-hint">{t('glossary.times', { count: where.length })}</span>}
                <button
                  type="button"
                  className="secondary small"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => onInsert(entry.translation)}
                  aria-label={t('glossary.insertOne', { translation: entry.translation })}
                >
                  {t('glossary.insert')}
                </button>
                <button type="button" className="secondary small" onClick={() => edit(entry)} aria-label={t('glossary.editOne', { term: entry.term })}>
                  {t('features.edit')}
                </button>
                <ConfirmButton
                  label={t('features.delete')}
                  question={t('glossary.confirmDelete', { term: entry.term })}
                  confirmLabel={t('features.delete')}
                  onConfirm={() => {
                    api['glossary.delete']({ id: entry.id })
                      .then(() => setVersion((v) => v + 1))
                      .catch(onError);
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      {draft ? (
        <EntryForm
          key={draft.id ?? 'new'}
          draft={draft}
          sourceLanguage={sourceLanguage}
          targetLanguage={targetLanguage}
          onCancel={() => setDraft(null)}
          onDone={() => {
            setDraft(null);
            setVersion((v) => v + 1);
          }}
        />
      ) : (
        <button
          type="button"
          className="secondary small gl-add"
          // Keeps the words selected in the original: they become the new entry's term.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => setDraft({ id: null, term: pickTerm(), translation: '', note: '' })}
        >
          {t('glossary.addEntry')}
        </button>
      )}
    </aside>
  );
}
