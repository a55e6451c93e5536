import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentWithText, documentKinds, sensitivities } from '../../../shared/document.ts';
import { api } from '../api.ts';
import { languageName } from '../format.ts';
import { commonLanguages, dateError, type FieldErrors, type FormField, formOf, isDirty, languageError, type MetadataForm, patchOf, validate } from '../metadata-form.ts';
import { TokenInput } from './TokenInput.tsx';

interface Props {
  document: DocumentWithText;
  onSaved: (document: DocumentWithText) => void;
  onCancel: () => void;
  onDirtyChange: (dirty: boolean) => void;
  onError: (error: unknown) => void;
}

/** A language's own name for itself: русский, українська, English. */
const nativeName = (tag: string): string => {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
};

/**
 * The metadata of one document as a form: checked as it is typed (with the rules the backend has),
 * saved with Save or Ctrl+S, given up with Cancel or Escape. Only the fields changed are sent.
 */
export function MetadataEditor({ document: doc, onSaved, onCancel, onDirtyChange, onError }: Props) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const [form, setForm] = useState<MetadataForm>(() => formOf(doc));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  /** The field to focus once the errors are drawn (the first wrong one, after Save). */
  const focusNext = useRef<FormField | null>(null);
  const dirty = isDirty(doc, form);

  useEffect(() => {
    const field = focusNext.current;
    focusNext.current = null;
    if (!field) return;
    document.getElementById(`${ids}-${field}`)?.focus();
    // The message under the field too, not just the field.
    document.getElementById(`${ids}-${field}-error`)?.scrollIntoView({ block: 'nearest' });
  }, [errors, ids]);

  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange(false), [onDirtyChange]);
  useEffect(() => {
    document.getElementById(`${ids}-title`)?.focus();
  }, [ids]);

  const set = <F extends FormField>(field: F, value: MetadataForm[F]): void => {
    setForm((current) => ({ ...current, [field]: value }));
    // A field shown as wrong is checked again as it changes, so its message goes once it is right.
    if (errors[field]) setErrors((current) => ({ ...current, [field]: validate({ ...form, [field]: value })[field] }));
  };

  const checkField = (field: FormField): void => {
    const problem = validate(form)[field];
    setErrors((current) => ({ ...current, [field]: problem }));
  };

  const save = (): void => {
    const problems = validate(form);
    setErrors(problems);
    const firstBad = (Object.keys(problems) as FormField[])[0];
    if (firstBad) {
      focusNext.current = firstBad;
      return;
    }
    const patch = patchOf(doc, form);
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    setSaving(true);
    api['documents.update']({ id: doc.id, patch })
      .then((saved) => {
        onDirtyChange(false);
        onSaved(saved);
      })
      .catch((e: unknown) => {
        setSaving(false);
        onError(e);
      });
  };

  // Ctrl+S (Cmd+S) saves from anywhere in the window while the form is open.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        // Leaving the field first adds a name still being typed in a token field; then save what the form holds.
        const active = document.activeElement;
        if (active instanceof HTMLElement && formRef.current?.contains(active)) active.blur();
        setTimeout(() => saveRef.current(), 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const fieldId = (field: FormField): string => `${ids}-${field}`;
  const errorId = (field: FormField): string => `${ids}-${field}-error`;
  const problem = (field: FormField) =>
    errors[field] ? (
      <p id={errorId(field)} className="field-error" role="alert">
        {t(`editor.error.${errors[field]}`)}
      </p>
    ) : null;
  const invalid = (field: FormField) =>
    errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {};

  const languageHint = languageError(form.language) ? null : form.language.trim() === 'und' ? t('editor.languageUnknown') : `${nativeName(form.language.trim())} · ${languageName(form.language.trim(), i18n.language)}`;

  return (
    <form
      ref={formRef}
      className="metadata-editor"
      aria-label={t('editor.label')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <div className="editor-actions top">
        <button type="submit" disabled={saving}>
          {saving ? t('editor.saving') : t('editor.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={saving}>
          {t('action.cancel')}
        </button>
        <span className="field-hint">{dirty ? t('editor.unsaved') : t('editor.noChanges')}</span>
        <span className="field-hint shortcut-hint">{t('editor.keys')}</span>
      </div>
      <div className="editor-grid">
        <label htmlFor={fieldId('kind')}>{t('field.kind')}</label>
        <div>
          <select id={fieldId('kind')} value={form.kind} onChange={(e) => set('kind', e.target.value as MetadataForm['kind'])}>
            {documentKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>

        <label htmlFor={fieldId('title')}>{t('editor.title')}</label>
        <div>
          <input id={fieldId('title')} type="text" value={form.title} required onChange={(e) => set('title', e.target.value)} onBlur={() => checkField('title')} {...invalid('title')} />
          {problem('title')}
        </div>

        <label htmlFor={fieldId('language')}>{t('field.language')}</label>
        <div>
          <div className="inline-controls">
            <input
              id={fieldId('language')}
              className="language-input"
              type="text"
              list={`${ids}-languages`}
              value={form.language}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => set('language', e.target.value)}
              onBlur={() => checkField('language')}
              {...invalid('language')}
              aria-describedby={errors.language ? errorId('language') : `${ids}-language-hint`}
            />
            <span id={`${ids}-language-hint`} className="field-hint">
              {languageHint ?? t('editor.languageHint')}
            </span>
          </div>
          <datalist id={`${ids}-languages`}>
            {commonLanguages.map((tag) => (
              <option key={tag} value={tag}>
                {tag === 'und' ? t('editor.languageUnknown') : `${nativeName(tag)} — ${languageName(tag, i18n.language)}`}
              </option>
            ))}
          </datalist>
          {problem('language')}
        </div>

        <label htmlFor={fieldId('date')}>{t('field.date')}</label>
        <div>
          <div className="inline-controls">
            <input
              id={fieldId('date')}
              className="date-input"
              type="text"
              inputMode="numeric"
              placeholder={t('editor.datePlaceholder')}
              value={form.date}
              onChange={(e) => set('date', e.target.value)}
              onBlur={() => setErrors((current) => ({ ...current, date: dateError(form.date) }))}
              {...invalid('date')}
              aria-describedby={errors.date ? errorId('date') : `${ids}-date-hint`}
            />
            <label className="checkbox">
              <input type="checkbox" checked={form.dateApproximate} disabled={form.date.trim() === ''} onChange={(e) => set('dateApproximate', e.target.checked)} />
              {t('field.approximate')}
            </label>
          </div>
          <span id={`${ids}-date-hint`} className="field-hint">
            {t('editor.dateHint')}
          </span>
          {problem('date')}
        </div>

        <label htmlFor={fieldId('authors')}>{t('field.authors')}</label>
        <div>
          <TokenInput id={fieldId('authors')} label={t('field.authors')} values={form.authors} onChange={(v) => set('authors', v)} suggest="person" error={errors.authors} errorId={errorId('authors')} />
          {problem('authors')}
        </div>

        <label htmlFor={fieldId('recipients')}>{t('field.recipients')}</label>
        <div>
          <TokenInput id={fieldId('recipients')} label={t('field.recipients')} values={form.recipients} onChange={(v) => set('recipients', v)} suggest="person" error={errors.recipients} errorId={errorId('recipients')} />
          {problem('recipients')}
        </div>

        <label htmlFor={fieldId('tags')}>{t('field.tags')}</label>
        <div>
          <TokenInput id={fieldId('tags')} label={t('field.tags')} values={form.tags} onChange={(v) => set('tags', v)} suggest="tag" error={errors.tags} errorId={errorId('tags')} />
          {problem('tags')}
        </div>

        <label htmlFor={fieldId('cases')}>{t('field.cases')}</label>
        <div>
          <TokenInput id={fieldId('cases')} label={t('field.cases')} values={form.cases} onChange={(v) => set('cases', v)} suggest="case" error={errors.cases} errorId={errorId('cases')} />
          {problem('cases')}
        </div>

        <label htmlFor={fieldId('sensitivity')}>{t('field.sensitivity')}</label>
        <div>
          <select id={fieldId('sensitivity')} value={form.sensitivity} onChange={(e) => set('sensitivity', e.target.value as MetadataForm['sensitivity'])}>
            {sensitivities.map((s) => (
              <option key={s} value={s}>
                {t(`sensitivity.${s}`)}
              </option>
            ))}
          </select>
        </div>

        <label htmlFor={fieldId('source')}>{t('field.source')}</label>
        <div>
          <input id={fieldId('source')} type="text" value={form.source} onChange={(e) => set('source', e.target.value)} onBlur={() => checkField('source')} {...invalid('source')} />
          {problem('source')}
        </div>

        <label htmlFor={fieldId('notes')}>{t('field.notes')}</label>
        <div>
          <textarea id={fieldId('notes')} rows={4} value={form.notes} onChange={(e) => set('notes', e.target.value)} onBlur={() => checkField('notes')} {...invalid('notes')} />
          {problem('notes')}
        </div>
      </div>
    </form>
  );
}
