import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { documentKinds, LanguageTag, sensitivities } from '../../../../shared/document.ts';
import type { BulkPatch, BulkUpdateResult, Collection } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { TokenInput } from '../../components/TokenInput.tsx';
import { nav, useNav } from '../nav.ts';
import { ExportButton } from '../bundles/ExportButton.tsx';
import { type RowSource, selection, useChecked } from './selection.ts';
import './bulk.css';

interface Form {
  kind: string;
  sensitivity: string;
  language: string;
  tagsAdd: string[];
  tagsRemove: string[];
  casesAdd: string[];
  casesRemove: string[];
}

const EMPTY: Form = { kind: '', sensitivity: '', language: '', tagsAdd: [], tagsRemove: [], casesAdd: [], casesRemove: [] };

function patchOf(form: Form): BulkPatch {
  const patch: BulkPatch = {};
  if (form.kind) patch.kind = form.kind as BulkPatch['kind'];
  if (form.sensitivity) patch.sensitivity = form.sensitivity as BulkPatch['sensitivity'];
  if (form.language.trim()) patch.language = form.language.trim();
  if (form.tagsAdd.length + form.tagsRemove.length > 0) patch.tags = { add: form.tagsAdd, remove: form.tagsRemove };
  if (form.casesAdd.length + form.casesRemove.length > 0) patch.cases = { add: form.casesAdd, remove: form.casesRemove };
  return patch;
}

/**
 * Edits the documents ticked in the list all at once: kind, sensitivity, language, tags and cases
 * to add or take away (documents.updateMany), or puts them into a collection. What could not be
 * changed is listed with why; the rest is changed all the same. Ctrl+click on a row ticks it,
 * Shift+click ticks a range.
 */
export function BulkPanel({ rows, onChanged, onError }: { rows: RowSource | null; onChanged: (ids: string[]) => void; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const checked = useChecked();
  const { version } = useNav();
  const host = useRef<HTMLDivElement>(null);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState<Form>(EMPTY);
  const [languageProblem, setLanguageProblem] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ result: BulkUpdateResult; titles: Map<string, string> } | null>(null);
  const [collections, setCollections] = useState<Collection[]>([]);
  const [collection, setCollection] = useState('');
  const [added, setAdded] = useState<string | null>(null);

  useEffect(() => {
    selection.setSource(rows);
  }, [rows]);
  useEffect(() => () => selection.setSource(null), []);

  // Ctrl+click and Shift+click on a row tick it instead of opening it.
  useEffect(() => {
    const pane = host.current?.closest('.list-pane');
    if (!pane) return;
    const onClick = (event: Event): void => {
      const e = event as MouseEvent;
      if (!(e.ctrlKey || e.metaKey || e.shiftKey)) return;
      const row = e.target instanceof Element ? e.target.closest<HTMLElement>('.row[data-index]') : null;
      const source = selection.source();
      if (!row || !source) return;
      const index = Number(row.dataset['index']);
      const item = source.get(index);
      if (!item) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.shiftKey) selection.range(index, item);
      else selection.toggle(index, item);
    };
    pane.addEventListener('click', onClick, true);
    return () => pane.removeEventListener('click', onClick, true);
  }, []);

  const count = checked.size;
  useEffect(() => {
    if (count === 0) {
      setEditing(false);
      setAdded(null);
    }
  }, [count]);
  useEffect(() => {
    if (count > 0) api['collections.list']({}).then(setCollections).catch(onError);
  }, [count > 0, version, onError]);

  const patch = patchOf(form);
  const empty = Object.keys(patch).length === 0;

  const apply = (): void => {
    if (form.language.trim() && !LanguageTag.safeParse(form.language.trim()).success) {
      setLanguageProblem(true);
      document.getElementById(`${id}-language`)?.focus();
      return;
    }
    const ids = [...checked.keys()];
    const titles = new Map([...checked.values()].map((c) => [c.id, c.title]));
    setBusy(true);
    setReport(null);
    api['documents.updateMany']({ ids, patch })
      .then((result) => {
        setBusy(false);
        setReport({ result, titles });
        if (result.failed.length === 0) setForm(EMPTY);
        if (result.updated.length > 0) {
          // Cases named or no longer named change the sidebar's cases.
          nav.changed();
          onChanged(result.updated);
        }
      })
      .catch((e: unknown) => {
        setBusy(false);
        onError(e);
      });
  };

  const addToCollection = (): void => {
    const target = collections.find((c) => c.id === collection);
    if (!target) return;
    api['collections.add']({ id: target.id, documentIds: [...checked.keys()] })
      .then((saved) => {
        nav.changed();
        setAdded(t('bulk.addedTo', { count, name: saved.name }));
      })
      .catch(onError);
  };

  if (count === 0) return <div ref={host} className="bulk-host" />;

  return (
    <div ref={host} className="bulk-host">
      <section className="bulk-panel" aria-labelledby={`${id}-heading`}>
        <div className="bulk-summary">
          <h3 id={`${id}-heading`}>{t('bulk.selected', { count })}</h3>
          <button type="button" className="link" onClick={() => selection.clear()}>
            {t('bulk.clear')}
          </button>
        </div>
        <div className="bulk-collection">
          <button type="button" className="secondary small" aria-expanded={editing} aria-controls={`${id}-form`} onClick={() => setEditing(!editing)}>
            {t('bulk.edit')}
          </button>
          <ExportButton target={{ selection: { type: 'ids', ids: [...checked.keys()] }, count }} label={t('bundles.open.exportSelected', { count })} />
          {collections.length > 0 && (
            <span className="bulk-collection-pick">
            <label htmlFor={`${id}-collection`}>{t('bulk.collection')}</label>
            <select id={`${id}-collection`} value={collection} onChange={(e) => setCollection(e.target.value)}>
              <option value="">{t('bulk.chooseCollection')}</option>
              {collections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="button" className="secondary small" disabled={collection === ''} onClick={addToCollection}>
              {t('bulk.addToCollection')}
            </button>
            </span>
          )}
          {added && (
            <span className="ft-hint" role="status">
              {added}
            </span>
          )}
        </div>
        {editing && (
          <form
            id={`${id}-form`}
            className="bulk-form"
            aria-label={t('bulk.formLabel', { count })}
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              apply();
            }}
          >
            <label htmlFor={`${id}-kind`}>{t('field.kind')}</label>
            <select id={`${id}-kind`} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              <option value="">{t('bulk.keep')}</option>
              {documentKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>

            <label htmlFor={`${id}-sensitivity`}>{t('field.sensitivity')}</label>
            <select id={`${id}-sensitivity`} value={form.sensitivity} onChange={(e) => setForm({ ...form, sensitivity: e.target.value })}>
              <option value="">{t('bulk.keep')}</option>
              {sensitivities.map((s) => (
                <option key={s} value={s}>
                  {t(`sensitivity.${s}`)}
                </option>
              ))}
            </select>

            <label htmlFor={`${id}-language`}>{t('field.language')}</label>
            <div>
              <input
                id={`${id}-language`}
                type="text"
                className="bulk-language"
                value={form.language}
                placeholder={t('bulk.keepShort')}
                spellCheck={false}
                aria-invalid={languageProblem ? true : undefined}
                aria-describedby={languageProblem ? `${id}-language-error` : undefined}
                onChange={(e) => {
                  setForm({ ...form, language: e.target.value });
                  setLanguageProblem(false);
                }}
              />
              {languageProblem && (
                <p id={`${id}-language-error`} className="ft-error" role="alert">
                  {t('editor.error.language')}
                </p>
              )}
            </div>

            <label htmlFor={`${id}-tags-add`}>{t('bulk.tagsAdd')}</label>
            <TokenInput id={`${id}-tags-add`} label={t('bulk.tagsAdd')} values={form.tagsAdd} onChange={(v) => setForm({ ...form, tagsAdd: v })} suggest="tag" />
            <label htmlFor={`${id}-tags-remove`}>{t('bulk.tagsRemove')}</label>
            <TokenInput id={`${id}-tags-remove`} label={t('bulk.tagsRemove')} values={form.tagsRemove} onChange={(v) => setForm({ ...form, tagsRemove: v })} suggest="tag" />
            <label htmlFor={`${id}-cases-add`}>{t('bulk.casesAdd')}</label>
            <TokenInput id={`${id}-cases-add`} label={t('bulk.casesAdd')} values={form.casesAdd} onChange={(v) => setForm({ ...form, casesAdd: v })} suggest="case" />
            <label htmlFor={`${id}-cases-remove`}>{t('bulk.casesRemove')}</label>
            <TokenInput id={`${id}-cases-remove`} label={t('bulk.casesRemove')} values={form.casesRemove} onChange={(v) => setForm({ ...form, casesRemove: v })} suggest="case" />

            <div className="bulk-actions">
              <button type="submit" disabled={busy || empty}>
                {busy ? t('bulk.applying') : t('bulk.apply', { count })}
              </button>
              {empty && !report && <span className="ft-hint">{t('bulk.nothing')}</span>}
            </div>
          </form>
        )}
        {report && (
          <div className={`bulk-report${report.result.failed.length > 0 ? ' has-failures' : ''}`} role="status">
            <p>
              {t('bulk.updated', { count: report.result.updated.length })} · {t('bulk.unchanged', { count: report.result.unchanged.length })}
              {report.result.failed.length > 0 && <> · {t('bulk.failed', { count: report.result.failed.length })}</>}
            </p>
            {report.result.failed.length > 0 && (
              <ul>
                {report.result.failed.map((f) => (
                  <li key={f.id}>
                    <strong>{report.titles.get(f.id) ?? f.id}</strong>: {t(`error.${f.code}`, { defaultValue: f.message })}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
