import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentMetadataPatch, type DocumentWithText, LanguageTag, type TranslationStatus, translationStatuses } from '../../../../shared/document.ts';
import { api } from '../../api.ts';
import { languageName } from '../../format.ts';
import { commonLanguages } from '../../metadata-form.ts';
import { appLinks, nav } from '../nav.ts';
import { detailsId, errorText, isConflict } from '../shared/util.ts';
import { DocumentPicker, type PickedDocument } from './DocumentPicker.tsx';
import './translation.css';

const TRANSLATOR_KEY = 'kartoteka.translator';

const rememberedTranslator = (): string => {
  try {
    return localStorage.getItem(TRANSLATOR_KEY) ?? '';
  } catch {
    return '';
  }
};

/** Language names for the picker: "en — English". */
function LanguageOptions({ id }: { id: string }) {
  const { i18n } = useTranslation();
  return (
    <datalist id={id}>
      {commonLanguages
        .filter((tag) => tag !== 'und')
        .map((tag) => (
          <option key={tag} value={tag}>
            {languageName(tag, i18n.language)}
          </option>
        ))}
    </datalist>
  );
}

/** "Translate into…": a new translation made in the app, paragraph by paragraph, beside the original. */
function StartForm({ doc, onCancel, onError }: { doc: DocumentWithText; onCancel: () => void; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [language, setLanguage] = useState(doc.language.startsWith('en') ? 'ru' : 'en');
  const [translator, setTranslator] = useState(rememberedTranslator);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const valid = LanguageTag.safeParse(language.trim()).success;

  const start = (): void => {
    if (!valid) {
      setProblem(t('translation.languageInvalid'));
      first.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      localStorage.setItem(TRANSLATOR_KEY, translator.trim());
    } catch {
      // Remembering the name is a convenience.
    }
    api['translations.start']({ originalId: doc.id, language: language.trim(), translator: translator.trim() })
      .then((made) => {
        appLinks()?.archiveChanged();
        nav.open({ type: 'translate', originalId: doc.id, translationId: made.id });
      })
      .catch((e: unknown) => {
        setBusy(false);
        const existing = detailsId(e);
        // A translation into that language is already being made: go on with it.
        if (isConflict(e) && existing) nav.open({ type: 'translate', originalId: doc.id, translationId: existing });
        else if (isConflict(e)) setProblem(t('translation.conflict'));
        else onError(e);
      });
  };

  return (
    <form
      className="tr-start"
      aria-label={t('translation.startLabel')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        start();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={`${id}-language`}>{t('translation.into')}</label>
      <div>
        <input
          id={`${id}-language`}
          ref={first}
          className="tr-language"
          type="text"
          list={`${id}-languages`}
          value={language}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem && !valid ? true : undefined}
          aria-describedby={`${id}-language-name`}
          onChange={(e) => setLanguage(e.target.value)}
        />
        <span id={`${id}-language-name`} className="ft-hint">
          {valid ? languageName(language.trim(), i18n.language) : t('editor.languageHint')}
        </span>
        <LanguageOptions id={`${id}-languages`} />
      </div>
      <label htmlFor={`${id}-translator`}>{t('translation.translator')}</label>
      <input id={`${id}-translator`} type="text" value={translator} placeholder={t('translation.translatorPlaceholder')} onChange={(e) => setTranslator(e.target.value)} />
      <div className="ft-actions">
        <button type="submit" disabled={busy}>
          {t('translation.start')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('features.cancel')}
        </button>
      </div>
      <p className="ft-hint tr-span">{t('translation.startHint')}</p>
      {problem && (
        <p className="ft-error tr-span" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** Marks a document as the translation of another: which one, into what language, by whom, how far. */
function DetailsForm({ doc, originalTitle, onSaved, onCancel }: { doc: DocumentWithText; originalTitle: string | null; onSaved: (doc: DocumentWithText) => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [original, setOriginal] = useState<PickedDocument | null>(doc.translationOf ? { id: doc.translationOf, title: originalTitle ?? doc.translationOf, language: '' } : null);
  const [language, setLanguage] = useState(doc.language);
  const [translator, setTranslator] = useState(doc.translator || (doc.translationOf ? '' : rememberedTranslator()));
  const [status, setStatus] = useState<TranslationStatus>(doc.translationStatus ?? 'draft');
  const [problem, setProblem] = useState<string | null>(null);
  const container = useRef<HTMLFormElement>(null);
  useEffect(() => {
    container.current?.querySelector<HTMLElement>('input, select, button')?.focus();
  }, []);
  const valid = LanguageTag.safeParse(language.trim()).success;

  const save = (patch: DocumentMetadataPatch): void => {
    api['documents.update']({ id: doc.id, patch })
      .then(onSaved)
      .catch((e: unknown) => setProblem(errorText(t, e)));
  };

  return (
    <form
      ref={container}
      className="tr-details"
      aria-label={t('translation.detailsLabel')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!original) {
          setProblem(t('translation.originalRequired'));
          return;
        }
        if (!valid) {
          setProblem(t('translation.languageInvalid'));
          return;
        }
        save({ translationOf: original.id, language: language.trim(), translator: translator.trim(), translationStatus: status });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <label htmlFor={`${id}-original`}>{t('translation.original')}</label>
      <div>
        {original && (
          <p className="tr-chosen">
            <span lang={original.language || undefined}>{original.title}</span>{' '}
            <button type="button" className="link" onClick={() => setOriginal(null)}>
              {t('translation.changeOriginal')}
            </button>
          </p>
        )}
        {!original && <DocumentPicker id={`${id}-original`} exclude={doc.id} onPick={setOriginal} describedBy={`${id}-original-hint`} />}
        {!original && (
          <span id={`${id}-original-hint`} className="ft-hint">
            {t('translation.originalHint')}
          </span>
        )}
      </div>
      <label htmlFor={`${id}-language`}>{t('translation.language')}</label>
      <div>
        <input id={`${id}-language`} className="tr-language" type="text" list={`${id}-languages`} value={language} spellCheck={false} onChange={(e) => setLanguage(e.target.value)} aria-invalid={!valid ? true : undefined} />
        <span className="ft-hint"> {valid ? languageName(language.trim(), i18n.language) : t('editor.languageHint')}</span>
        <LanguageOptions id={`${id}-languages`} />
      </div>
      <label htmlFor={`${id}-translator`}>{t('translation.translator')}</label>
      <input id={`${id}-translator`} type="text" value={translator} placeholder={t('translation.translatorPlaceholder')} onChange={(e) => setTranslator(e.target.value)} />
      <label htmlFor={`${id}-status`}>{t('translation.status')}</label>
      <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as TranslationStatus)}>
        {translationStatuses.map((s) => (
          <option key={s} value={s}>
            {t(`translation.statusValue.${s}`)}
          </option>
        ))}
      </select>
      <div className="ft-actions tr-span">
        <button type="submit">{t('features.save')}</button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('features.cancel')}
        </button>
        {doc.translationOf && (
          <button type="button" className="secondary ft-push" onClick={() => save({ translationOf: null, translationStatus: null })}>
            {t('translation.notATranslation')}
          </button>
        )}
      </div>
      {problem && (
        <p className="ft-error tr-span" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/**
 * The document view's "Translation" box. For a translation: what it translates, by whom, how far
 * (draft, reviewed, final: changed here at once), side by side with its original, and for one made
 * in the app, "Continue translating". For any other document: "Translate into…", its translations
 * side by side, and "Mark as a translation of…".
 */
export function TranslationBox({ doc, onSaved, onError }: { doc: DocumentWithText; onSaved: (doc: DocumentWithText) => void; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [mode, setMode] = useState<'view' | 'start' | 'details'>('view');
  const [originalTitle, setOriginalTitle] = useState<string | null>(null);

  useEffect(() => {
    setMode('view');
    setOriginalTitle(null);
    if (!doc.translationOf) return;
    let stale = false;
    api['citations.get']({ id: doc.translationOf, page: null })
      .then((c) => {
        if (!stale) setOriginalTitle(c.title);
      })
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [doc.id, doc.translationOf]);

  const inApp = doc.files.length === 0;
  const setStatus = (status: TranslationStatus): void => {
    api['documents.update']({ id: doc.id, patch: { translationStatus: status } })
      .then(onSaved)
      .catch(onError);
  };

  return (
    <section className="ft-box tr-box" aria-labelledby={`${id}-heading`} lang={i18n.language}>
      <div className="ft-box-head">
        <h3 id={`${id}-heading`}>{t('translation.boxHeading')}</h3>
        {mode === 'view' && !doc.translationOf && (
          <>
            <button type="button" className="small" onClick={() => setMode('start')}>
              {t('translation.translateInto')}
            </button>
            <button type="button" className="secondary small" onClick={() => setMode('details')}>
              {t('translation.markAs')}
            </button>
          </>
        )}
      </div>
      {mode === 'start' && <StartForm doc={doc} onCancel={() => setMode('view')} onError={onError} />}
      {mode === 'details' && (
        <DetailsForm
          doc={doc}
          originalTitle={originalTitle}
          onCancel={() => setMode('view')}
          onSaved={(saved) => {
            setMode('view');
            onSaved(saved);
          }}
        />
      )}
      {mode === 'view' && doc.translationOf && (
        <div className="tr-info">
          <p>
            {t('translation.translationOf')}{' '}
            <button type="button" className="link" onClick={() => appLinks()?.openDocument(doc.translationOf ?? '')}>
              {originalTitle ?? t('document.openOriginal')}
            </button>
            {doc.translator && <> · {t('translation.by', { name: doc.translator })}</>}
          </p>
          <div className="ft-actions">
            <label htmlFor={`${id}-status`}>{t('translation.status')}</label>
            <select id={`${id}-status`} value={doc.translationStatus ?? 'draft'} onChange={(e) => setStatus(e.target.value as TranslationStatus)}>
              {translationStatuses.map((s) => (
                <option key={s} value={s}>
                  {t(`translation.statusValue.${s}`)}
                </option>
              ))}
            </select>
            <button type="button" className="secondary small" onClick={() => nav.open({ type: 'aligned', originalId: doc.translationOf ?? '', translationId: doc.id })}>
              {t('translation.sideBySide')}
            </button>
            {inApp && (
              <button type="button" className="small" onClick={() => nav.open({ type: 'translate', originalId: doc.translationOf ?? '', translationId: doc.id })}>
                {t('translation.continue')}
              </button>
            )}
            <button type="button" className="secondary small" onClick={() => setMode('details')}>
              {t('translation.change')}
            </button>
          </div>
        </div>
      )}
      {mode === 'view' && !doc.translationOf && (
        doc.translations.length > 0 ? (
          <ul className="tr-list">
            {doc.translations.map((tr) => (
              <li key={tr.id}>
                <span className="tr-lang">{languageName(tr.language, i18n.language)}</span>
                <button type="button" className="link" lang={tr.language} onClick={() => appLinks()?.openDocument(tr.id)}>
                  {tr.title}
                </button>
                <button type="button" className="secondary small" aria-label={t('translation.sideBySideWith', { language: languageName(tr.language, i18n.language) })} onClick={() => nav.open({ type: 'aligned', originalId: doc.id, translationId: tr.id })}>
                  {t('translation.sideBySide')}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          mode === 'view' && <p className="ft-muted">{t('translation.none')}</p>
        )
      )}
    </section>
  );
}
