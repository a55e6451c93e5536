import type { TFunction } from 'i18next';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type BundlePreview, type ExportReport, type StrippableField, strippableFields } from '../../../../shared/bundles.ts';
import { type Sensitivity, sensitivities } from '../../../../shared/document.ts';
import type { ExportDefaults } from '../../../../shared/settings.ts';
import { api } from '../../api.ts';
import { copyText } from '../../citation.ts';
import { Modal } from '../../components/Dialogs.tsx';
import { ProgressView, useBundleProgress } from './progress.tsx';
import { BundleHead, ReportFooter } from './DialogParts.tsx';
import type { ExportTarget } from './store.ts';
import { bundleErrorText, errorCode, fileNameOf, folderOf, formatBytes, isAbsolutePath, withBundleEnding } from './text.ts';

interface Choices {
  originals: boolean;
  translations: boolean;
  sensitivities: Sensitivity[];
  strip: StrippableField[];
}

/** BundleOptions' own defaults: originals and translations in, confidential out, nothing stripped. */
const DEFAULT_CHOICES: Choices = { originals: true, translations: true, sensitivities: ['public', 'internal'], strip: [] };

/**
 * The saved export defaults, less "confidential": sending confidential documents out is chosen
 * anew each time, never carried over from the last export.
 */
function choicesFrom(defaults: ExportDefaults): Choices {
  const kept = defaults.sensitivities.filter((s) => s !== 'confidential');
  return { originals: defaults.originals, translations: defaults.translations, sensitivities: kept.length > 0 ? kept : DEFAULT_CHOICES.sensitivities, strip: [...defaults.strip] };
}

type Field = 'sensitivities' | 'passphrase' | 'repeat' | 'path';
type Problems = Partial<Record<Field, string>>;

/** What the dialog was opened for, in words. */
function describeTarget(t: TFunction, target: ExportTarget, preview: BundlePreview | null): string {
  const s = target.selection;
  switch (s.type) {
    case 'search':
      return t('bundles.what.search', { count: target.count ?? preview?.selected ?? 0, query: s.query });
    case 'ids':
      return t('bundles.what.ids', { count: s.ids.length });
    case 'person':
      return t('bundles.what.person', { name: target.name ?? s.name ?? '' });
    case 'case':
      return t('bundles.what.case', { title: s.title });
    case 'all':
      return t('bundles.what.all');
  }
}

const toggled = <T,>(list: readonly T[], value: T, on: boolean, order: readonly T[]): T[] => order.filter((v) => (v === value ? on : list.includes(v)));

/**
 * The bundle export dialog (issue 6): what goes out and how (originals or text only, translations,
 * sensitivities, fields stripped, age encryption, bag-info), where the file goes; then the export
 * with its progress and Cancel; then the report. The choices are kept as the next export's defaults.
 */
export function ExportDialog({ target, onClose }: { target: ExportTarget; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [choices, setChosen] = useState<Choices>(DEFAULT_CHOICES);
  /** The person changed a choice: the last export's choices, arriving after, do not undo it. */
  const choicesTouched = useRef(false);
  const setChoices = (next: Choices): void => {
    choicesTouched.current = true;
    setChosen(next);
  };
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [organization, setOrganization] = useState('');
  const [description, setDescription] = useState('');
  const [path, setPath] = useState('');
  const pathTouched = useRef(false);
  const [preview, setPreview] = useState<BundlePreview | null>(null);
  const [previewProblem, setPreviewProblem] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [report, setReport] = useState<ExportReport | null>(null);
  const [copied, setCopied] = useState(false);
  const progress = useBundleProgress(running ? 'export' : null);
  const firstField = useRef<HTMLInputElement>(null);
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const cancelButton = useRef<HTMLDivElement>(null);

  // The last export's choices and folder, then a file name there that is not taken yet.
  useEffect(() => {
    let live = true;
    const offer = async (): Promise<void> => {
      let folder: string | null = null;
      try {
        const settings = await api['settings.get']({});
        if (!live) return;
        if (!choicesTouched.current) setChosen(choicesFrom(settings.exportDefaults));
        folder = settings.exportDefaults.folder;
      } catch {
        // Settings that cannot be read: the dialog's own defaults.
      }
      // A folder saved before may have gone (a USB stick): the default one then.
      const offered = await api['bundles.defaultPath']({ encrypted: false, folder }).catch(() => api['bundles.defaultPath']({ encrypted: false, folder: null }));
      if (live && !pathTouched.current) setPath(offered.path);
    };
    offer().catch((e: unknown) => {
      if (live) setFailure(bundleErrorText(t, e));
    });
    firstField.current?.focus();
    return () => {
      live = false;
    };
    // Once, when the dialog opens.
  }, []);

  // What would go out, counted again as the choices change (nothing is written).
  const sensitivityKey = choices.sensitivities.join(',');
  useEffect(() => {
    if (choices.sensitivities.length === 0) {
      setPreview(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api['bundles.preview']({ selection: target.selection, options: { originals: choices.originals, translations: choices.translations, sensitivities: choices.sensitivities } })
        .then((p) => {
          if (!live) return;
          setPreview(p);
          setPreviewProblem(null);
        })
        .catch((e: unknown) => {
          if (live) setPreviewProblem(bundleErrorText(t, e));
        });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // The sensitivities by value (sensitivityKey): a new array with the same ones asks nothing new.
  }, [target.selection, choices.originals, choices.translations, sensitivityKey, t]);

  useEffect(() => {
    if (report) reportHeading.current?.focus();
  }, [report]);
  useEffect(() => {
    if (running) cancelButton.current?.querySelector('button')?.focus();
  }, [running]);

  const confidential = choices.sensitivities.includes('confidential');
  const nothing = preview !== null && preview.items === 0;

  const validate = (): Problems => {
    const found: Problems = {};
    if (choices.sensitivities.length === 0) found.sensitivities = t('bundles.export.problem.sensitivities');
    if (encrypt && passphrase === '') found.passphrase = t('bundles.export.problem.passphrase');
    else if (encrypt && repeat !== passphrase) found.repeat = t('bundles.export.problem.repeat');
    const wanted = path.trim();
    if (wanted === '') found.path = t('bundles.export.problem.pathEmpty');
    else if (!isAbsolutePath(wanted)) found.path = t('bundles.export.problem.pathRelative');
    return found;
  };

  const submit = (): void => {
    const found = validate();
    setProblems(found);
    setFailure(null);
    setNotice(null);
    const first = (['sensitivities', 'passphrase', 'repeat', 'path'] as const).find((f) => found[f]);
    if (first) {
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setRunning(true);
    setCancelling(false);
    const file = path.trim();
    api['bundles.export']({
      selection: target.selection,
      options: {
        originals: choices.originals,
        translations: choices.translations,
        sensitivities: choices.sensitivities,
        strip: choices.strip,
        encrypt: encrypt ? { passphrase } : null,
        organization,
        description,
      },
      path: file,
    })
      .then((written) => {
        setRunning(false);
        // Out of memory as soon as it is not needed any more.
        setPassphrase('');
        setRepeat('');
        setReport(written);
        const kept = choicesFrom({ ...choices, folder: null });
        api['settings.update']({ exportDefaults: { ...kept, folder: folderOf(written.path) } }).catch(() => undefined);
      })
      .catch((e: unknown) => {
        setRunning(false);
        if (errorCode(e) === 'CANCELLED') setNotice(t('bundles.export.cancelled'));
        else setFailure(bundleErrorText(t, e));
      });
  };

  const cancel = (): void => {
    setCancelling(true);
    api['bundles.cancel']({}).catch((e: unknown) => setFailure(bundleErrorText(t, e)));
  };

  const close = (): void => {
    if (!running) onClose();
  };

  const heading = report ? t('bundles.report.title') : t('bundles.export.title');
  const described = (field: Field, hint?: string): string | undefined => [problems[field] ? `${id}-${field}-problem` : null, hint ?? null].filter((x) => x !== null).join(' ') || undefined;
  const fieldProblem = (field: Field) =>
    problems[field] ? (
      <p id={`${id}-${field}-problem`} className="field-error" role="alert">
        {problems[field]}
      </p>
    ) : null;

  return (
    <Modal labelledBy={`${id}-title`} onClose={close} className="bundle-dialog export-dialog">
      <BundleHead id={`${id}-title`} headingRef={reportHeading} running={running} onClose={close}>
        {heading}
      </BundleHead>
      {report ? (
        <ExportReportView
          report={report}
          askedOriginals={choices.originals}
          locale={i18n.language}
          copied={copied}
          onCopy={() => {
            copyText(report.path)
              .then(() => setCopied(true))
              .catch((e: unknown) => setFailure(bundleErrorText(t, e)));
          }}
          onClose={onClose}
        />
      ) : (
        <form
          className="bundle-form"
          noValidate
          aria-describedby={`${id}-what`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!running) submit();
          }}
        >
          <section className="bundle-what" id={`${id}-what`} aria-live="polite">
            <p className="bundle-target">{describeTarget(t, target, preview)}</p>
            {previewProblem ? (
              <p className="field-error">{previewProblem}</p>
            ) : preview ? (
              <ul className="bundle-preview" data-testid="bundle-preview">
                <li>
                  <strong>{t('bundles.preview.items', { count: preview.items })}</strong>
                  {preview.added > 0 && <> · {t('bundles.preview.added', { count: preview.added })}</>}
                </li>
                <li>{choices.originals ? t('bundles.preview.originals', { count: preview.originals, size: formatBytes(preview.originalBytes, i18n.language) }) : t('bundles.preview.textOnly')}</li>
                {preview.leftOutBySensitivity > 0 && (
                  <li>
                    {preview.leftOutConfidential > 0
                      ? t('bundles.preview.leftOutConfidential', { count: preview.leftOutBySensitivity, confidential: preview.leftOutConfidential })
                      : t('bundles.preview.leftOut', { count: preview.leftOutBySensitivity })}
                  </li>
                )}
                {preview.leftOutTranslations > 0 && <li>{t('bundles.preview.leftOutTranslations', { count: preview.leftOutTranslations })}</li>}
                {preview.redacted > 0 && <li className="bundle-warning-text">{t(choices.originals ? 'bundles.preview.redacted' : 'bundles.preview.redactedTextOnly', { count: preview.redacted })}</li>}
              </ul>
            ) : choices.sensitivities.length > 0 ? (
              <p className="field-hint">{t('bundles.preview.counting')}</p>
            ) : null}
          </section>

          <fieldset className="bundle-fields" disabled={running}>
            <fieldset className="bundle-group">
              <legend>{t('bundles.export.content')}</legend>
              <label className="checkbox">
                <input ref={firstField} type="radio" name={`${id}-originals`} checked={choices.originals} onChange={() => setChoices({ ...choices, originals: true })} />
                {t('bundles.export.originals')}
              </label>
              <label className="checkbox">
                <input type="radio" name={`${id}-originals`} checked={!choices.originals} onChange={() => setChoices({ ...choices, originals: false })} />
                {t('bundles.export.textOnly')}
              </label>
              <label className="checkbox">
                <input type="checkbox" checked={choices.translations} onChange={(e) => setChoices({ ...choices, translations: e.target.checked })} />
                {t('bundles.export.translations')}
              </label>
            </fieldset>

            <fieldset className="bundle-group" id={`${id}-sensitivities`} tabIndex={-1} aria-describedby={described('sensitivities')}>
              <legend>{t('bundles.export.sensitivities')}</legend>
              {sensitivities.map((s) => (
                <label key={s} className="checkbox">
                  <input
                    type="checkbox"
                    checked={choices.sensitivities.includes(s)}
                    onChange={(e) => {
                      setChoices({ ...choices, sensitivities: toggled(choices.sensitivities, s, e.target.checked, sensitivities) });
                      setProblems((p) => ({ ...p, sensitivities: undefined }));
                    }}
                  />
                  {t(`sensitivity.${s}`)}
                </label>
              ))}
              {fieldProblem('sensitivities')}
              {confidential && (
                <p className="bundle-warning" role="alert">
                  {t('bundles.export.confidentialWarning')}
                </p>
              )}
            </fieldset>

            <fieldset className="bundle-group">
              <legend>{t('bundles.export.strip')}</legend>
              {strippableFields.map((f) => (
                <label key={f} className="checkbox">
                  <input type="checkbox" checked={choices.strip.includes(f)} onChange={(e) => setChoices({ ...choices, strip: toggled(choices.strip, f, e.target.checked, strippableFields) })} />
                  {t(`bundles.field.${f}`)}
                </label>
              ))}
            </fieldset>

            <fieldset className="bundle-group bundle-wide">
              <legend>{t('bundles.export.encryption')}</legend>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={encrypt}
                  onChange={(e) => {
                    setEncrypt(e.target.checked);
                    setPath((p) => withBundleEnding(p, e.target.checked));
                    if (!e.target.checked) setProblems({ ...problems, passphrase: undefined, repeat: undefined });
                  }}
                />
                {t('bundles.export.encrypt')}
              </label>
              {encrypt && (
                <div className="bundle-grid">
                  <label htmlFor={`${id}-passphrase`}>{t('bundles.export.passphrase')}</label>
                  <div>
                    <input
                      id={`${id}-passphrase`}
                      type="password"
                      autoComplete="new-password"
                      value={passphrase}
                      aria-invalid={problems.passphrase ? true : undefined}
                      aria-describedby={described('passphrase')}
                      onChange={(e) => {
                        setPassphrase(e.target.value);
                        setProblems((p) => ({ ...p, passphrase: undefined, repeat: undefined }));
                      }}
                    />
                    {fieldProblem('passphrase')}
                  </div>
                  <label htmlFor={`${id}-repeat`}>{t('bundles.export.repeat')}</label>
                  <div>
                    <input
                      id={`${id}-repeat`}
                      type="password"
                      autoComplete="new-password"
                      value={repeat}
                      aria-invalid={problems.repeat ? true : undefined}
                      aria-describedby={described('repeat', `${id}-age-hint`)}
                      onChange={(e) => {
                        setRepeat(e.target.value);
                        setProblems((p) => ({ ...p, repeat: undefined }));
                      }}
                    />
                    {fieldProblem('repeat')}
                    {repeat !== '' && repeat === passphrase && !problems.repeat && <p className="field-hint bundle-ok">{t('bundles.export.match')}</p>}
                  </div>
                  <p id={`${id}-age-hint`} className="field-hint bundle-span">
                    {t('bundles.export.ageHint')} <code>age --decrypt -o {fileNameOf(path.replace(/\.age$/iu, '')) || 'bundle.zip'} {fileNameOf(path) || 'bundle.zip.age'}</code>
                  </p>
                </div>
              )}
            </fieldset>

            <div className="bundle-grid bundle-wide">
              <label htmlFor={`${id}-organization`}>{t('bundles.export.organization')}</label>
              <input id={`${id}-organization`} type="text" value={organization} maxLength={300} placeholder={t('bundles.export.organizationPlaceholder')} onChange={(e) => setOrganization(e.target.value)} />
              <label htmlFor={`${id}-description`}>{t('bundles.export.description')}</label>
              <textarea id={`${id}-description`} rows={2} value={description} maxLength={2000} placeholder={t('bundles.export.descriptionPlaceholder')} onChange={(e) => setDescription(e.target.value)} />
              <label htmlFor={`${id}-path`}>{t('bundles.export.path')}</label>
              <div>
                <input
                  id={`${id}-path`}
                  type="text"
                  className="bundle-path-input"
                  value={path}
                  spellCheck={false}
                  aria-invalid={problems.path ? true : undefined}
                  aria-describedby={described('path', `${id}-path-hint`)}
                  onChange={(e) => {
                    pathTouched.current = true;
                    setPath(e.target.value);
                    setProblems((p) => ({ ...p, path: undefined }));
                  }}
                />
                {fieldProblem('path')}
                <p id={`${id}-path-hint`} className="field-hint">
                  {t('bundles.export.pathHint')}
                </p>
              </div>
            </div>
          </fieldset>

          {failure && (
            <p className="bundle-failure" role="alert">
              {failure}
            </p>
          )}
          {notice && (
            <p className="bundle-notice" role="status">
              {notice}
            </p>
          )}
          {running ? (
            <div ref={cancelButton}>
              <ProgressView progress={progress} label={t('bundles.export.running')} cancelling={cancelling} onCancel={cancel} />
            </div>
          ) : (
            <div className="bundle-actions">
              <button type="submit" disabled={nothing}>
                {encrypt ? t('bundles.export.submitEncrypted', { count: preview?.items ?? 0 }) : t('bundles.export.submit', { count: preview?.items ?? 0 })}
              </button>
              <button type="button" className="secondary" onClick={close}>
                {t('action.cancel')}
              </button>
              {nothing && <span className="field-hint">{t('bundles.export.nothing')}</span>}
            </div>
          )}
        </form>
      )}
    </Modal>
  );
}

/** After the export: what went in, what stayed out and why, and where the file is. */
function ExportReportView({
  report,
  askedOriginals,
  locale,
  copied,
  onCopy,
  onClose,
}: {
  report: ExportReport;
  /** Whether originals were asked for: then core's first warning is the one about redacted items. */
  askedOriginals: boolean;
  locale: string;
  copied: boolean;
  onCopy: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  // Core warns about redacted items (in English) exactly then; they are said below in the interface language.
  const otherWarnings = report.redacted.length > 0 && askedOriginals ? report.warnings.slice(1) : report.warnings;
  return (
    <div className="bundle-report" data-testid="export-report">
      <p className="bundle-done" role="status">
        {report.encrypted ? t('bundles.report.writtenEncrypted') : t('bundles.report.written')}
      </p>
      <div className="bundle-where">
        <span className="bundle-label">{t('bundles.report.where')}</span>
        <code className="bundle-path" data-testid="export-path">
          {report.path}
        </code>
        <button type="button" className="secondary small" onClick={onCopy}>
          {copied ? t('bundles.report.copied') : t('bundles.report.copy')}
        </button>
      </div>
      <dl className="bundle-facts">
        <dt>{t('bundles.report.items')}</dt>
        <dd>{report.items}</dd>
        <dt>{t('bundles.report.files')}</dt>
        <dd>{t('bundles.report.filesValue', { count: report.payloadFiles, originals: report.originals })}</dd>
        <dt>{t('bundles.report.size')}</dt>
        <dd>{formatBytes(report.bytes, locale)}</dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="bundle-hash">{report.sha256}</code>
        </dd>
        <dt>{t('bundles.report.encryption')}</dt>
        <dd>{report.encrypted ? t('bundles.report.encryptedYes') : t('bundles.report.encryptedNo')}</dd>
        {report.leftOutBySensitivity > 0 && (
          <>
            <dt>{t('bundles.report.leftOutBySensitivity')}</dt>
            <dd>{report.leftOutBySensitivity}</dd>
          </>
        )}
        {report.leftOutTranslations > 0 && (
          <>
            <dt>{t('bundles.report.leftOutTranslations')}</dt>
            <dd>{report.leftOutTranslations}</dd>
          </>
        )}
        <dt>{t('bundles.report.stripped')}</dt>
        <dd>{report.stripped.length > 0 ? report.stripped.map((f) => t(`bundles.field.${f}`)).join(', ') : t('bundles.report.strippedNone')}</dd>
      </dl>
      {report.encrypted && (
        <p className="field-hint">
          {t('bundles.report.ageHint')} <code>age --decrypt -o {fileNameOf(report.path).replace(/\.age$/iu, '')} {fileNameOf(report.path)}</code>
        </p>
      )}
      {report.redacted.length > 0 && (
        <section className="bundle-note" aria-labelledby="bundle-redacted-heading">
          <h3 id="bundle-redacted-heading">{t('bundles.report.redactedHeading', { count: report.redacted.length })}</h3>
          <p>{t('bundles.report.redactedBody')}</p>
          <ul>
            {report.redacted.map((r) => (
              <li key={r.id}>
                <strong>{r.title}</strong> — {t('bundles.report.spans', { count: r.spans })}
                {r.originalsLeftOut.length > 0 && <>; {t('bundles.report.originalsLeftOut', { files: r.originalsLeftOut.join(', ') })}</>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ReportFooter warnings={otherWarnings} onClose={onClose} />
    </div>
  );
}
