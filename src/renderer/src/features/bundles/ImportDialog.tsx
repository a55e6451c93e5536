import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BagInfoLine, BundleImportReport, BundleInspection, BundleItemAction, BundleItemPlan } from '../../../../shared/bundles.ts';
import { api } from '../../api.ts';
import { Modal } from '../../components/Dialogs.tsx';
import { languageName } from '../../format.ts';
import { ProgressView, useBundleProgress } from './progress.tsx';
import { BundleHead, ReportFooter } from './DialogParts.tsx';
import { bundleErrorText, errorCode, formatBytes, isAbsolutePath } from './text.ts';

/** Items listed at most; a bundle of thousands says how many more there are. */
const LISTED = 300;
const actions: readonly BundleItemAction[] = ['add', 'conflict', 'duplicate', 'unchanged'];
/**
 * bag-info lines shown, in this order; the rest are the bag's own bookkeeping. Bag-Size is left
 * out: it is English text ("1.1 MB"), and the dialog says the size in the interface language.
 */
const shownBagInfo = ['Source-Organization', 'Bagging-Date', 'External-Description', 'Bag-Software-Agent'];

type Step =
  | { type: 'choose' }
  | { type: 'inspecting' }
  | { type: 'inspected'; inspection: BundleInspection }
  | { type: 'importing'; inspection: BundleInspection }
  | { type: 'done'; report: BundleImportReport };

/** A bundle the archive refused: its code, what it means, and the backend's own words on what was wrong. */
interface Refusal {
  code: string | null;
  text: string;
  detail: string | null;
}

/** Source-Organization of a bundle exported without one (core/bundles/export.ts). */
const NOT_STATED = 'Not stated';

const bagValue = (lines: readonly BagInfoLine[], label: string): string | null => lines.find((l) => l.label === label)?.value ?? null;

/**
 * The import-bundle dialog (issue 6): a bundle file by its path (or picked, under Electron), its
 * passphrase when it is encrypted; then what importing it would do, item by item, before anything
 * is changed; then the import with progress and Cancel, and the report with links to what came in.
 */
export function ImportDialog({ onClose, onOpenDocument, onImported }: { onClose: () => void; onOpenDocument: (id: string) => void; onImported: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [askPassphrase, setAskPassphrase] = useState(false);
  const [step, setStep] = useState<Step>({ type: 'choose' });
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pathProblem, setPathProblem] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const pathInput = useRef<HTMLInputElement>(null);
  const passphraseInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const progressBox = useRef<HTMLDivElement>(null);
  const canBrowse = window.kartotekaFiles !== undefined;
  const running = step.type === 'inspecting' || step.type === 'importing';
  const progress = useBundleProgress(step.type === 'inspecting' ? 'inspect' : step.type === 'importing' ? 'import' : null);

  useEffect(() => {
    pathInput.current?.focus();
  }, []);
  useEffect(() => {
    if (step.type === 'inspected' || step.type === 'done') stepHeading.current?.focus();
    if (running) progressBox.current?.querySelector('button')?.focus();
  }, [step.type, running]);
  // Asked for, or refused: the passphrase field takes focus (once the form is enabled again).
  useEffect(() => {
    if (refusal?.code === 'PASSPHRASE_REQUIRED' || refusal?.code === 'WRONG_PASSPHRASE') passphraseInput.current?.focus();
  }, [refusal]);

  const encryptedName = /\.age$/iu.test(path.trim());
  const showPassphrase = askPassphrase || encryptedName;
  const request = (): { path: string; passphrase?: string } => (showPassphrase && passphrase !== '' ? { path: path.trim(), passphrase } : { path: path.trim() });

  /** A failed call: a passphrase to ask for, a refusal to explain, or a cancel to note. */
  const failed = (e: unknown, inspected: BundleInspection | null): void => {
    setCancelling(false);
    const code = errorCode(e);
    if (code === 'CANCELLED') {
      // An import stopped before its merge: the inspection still holds, and may be confirmed again.
      setNotice(t(inspected ? 'bundles.import.cancelled' : 'bundles.import.cancelledCheck'));
      setStep(inspected ? { type: 'inspected', inspection: inspected } : { type: 'choose' });
      return;
    }
    setStep({ type: 'choose' });
    if (code === 'PASSPHRASE_REQUIRED' || code === 'WRONG_PASSPHRASE') {
      setAskPassphrase(true);
      setRefusal({ code, text: bundleErrorText(t, e), detail: null });
      return;
    }
    const refused = code === 'BUNDLE_INVALID' || code === 'BUNDLE_UNSAFE';
    setRefusal({ code, text: bundleErrorText(t, e), detail: refused && e instanceof Error ? e.message : null });
  };

  const inspect = (): void => {
    const wanted = path.trim();
    setRefusal(null);
    setNotice(null);
    if (wanted === '' || !isAbsolutePath(wanted)) {
      setPathProblem(t(wanted === '' ? 'bundles.import.problem.pathEmpty' : 'bundles.import.problem.pathRelative'));
      pathInput.current?.focus();
      return;
    }
    setPathProblem(null);
    setStep({ type: 'inspecting' });
    api['bundles.inspect'](request())
      .then((inspection) => setStep({ type: 'inspected', inspection }))
      .catch((e: unknown) => failed(e, null));
  };

  const confirm = (inspection: BundleInspection): void => {
    setNotice(null);
    setRefusal(null);
    setStep({ type: 'importing', inspection });
    api['bundles.import'](request())
      .then((report) => {
        setPassphrase('');
        setStep({ type: 'done', report });
        onImported();
      })
      .catch((e: unknown) => failed(e, inspection));
  };

  const cancel = (): void => {
    setCancelling(true);
    api['bundles.cancel']({}).catch(() => setCancelling(false));
  };

  const close = (): void => {
    if (!running) onClose();
  };

  const heading =
    step.type === 'done' ? t('bundles.import.doneTitle') : step.type === 'inspected' || step.type === 'importing' ? t('bundles.import.inspectTitle') : t('bundles.import.title');

  return (
    <Modal labelledBy={`${id}-title`} onClose={close} className="bundle-dialog import-dialog">
      <BundleHead id={`${id}-title`} headingRef={stepHeading} running={running} onClose={close}>
        {heading}
      </BundleHead>

      {(step.type === 'choose' || step.type === 'inspecting') && (
        <form
          className="bundle-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!running) inspect();
          }}
        >
          <p className="field-hint">{t('bundles.import.intro')}</p>
          <fieldset className="bundle-fields" disabled={running}>
            <div className="bundle-grid bundle-wide">
              <label htmlFor={`${id}-path`}>{t('bundles.import.path')}</label>
              <div>
                <div className="bundle-path-row">
                  <input
                    id={`${id}-path`}
                    ref={pathInput}
                    type="text"
                    className="bundle-path-input"
                    value={path}
                    spellCheck={false}
                    placeholder={t('bundles.import.pathPlaceholder')}
                    aria-invalid={pathProblem ? true : undefined}
                    aria-describedby={pathProblem ? `${id}-path-problem` : `${id}-path-hint`}
                    onChange={(e) => {
                      setPath(e.target.value);
                      setPathProblem(null);
                    }}
                  />
                  {canBrowse && (
                    <>
                      <button type="button" className="secondary" onClick={() => fileInput.current?.click()}>
                        {t('bundles.import.browse')}
                      </button>
                      <input
                        ref={fileInput}
                        type="file"
                        accept=".zip,.age"
                        className="visually-hidden"
                        tabIndex={-1}
                        aria-label={t('bundles.import.browse')}
                        onChange={(e) => {
                          const file = e.target.files?.[0];
                          const picked = file ? (window.kartotekaFiles?.pathOf(file) ?? '') : '';
                          if (picked) {
                            setPath(picked);
                            setPathProblem(null);
                          }
                          e.target.value = '';
                        }}
                      />
                    </>
                  )}
                </div>
                {pathProblem ? (
                  <p id={`${id}-path-problem`} className="field-error" role="alert">
                    {pathProblem}
                  </p>
                ) : (
                  <p id={`${id}-path-hint`} className="field-hint">
                    {canBrowse ? t('bundles.import.pathHintBrowse') : t('bundles.import.pathHint')}
                  </p>
                )}
              </div>
              {showPassphrase && (
                <>
                  <label htmlFor={`${id}-passphrase`}>{t('bundles.import.passphrase')}</label>
                  <div>
                    <input
                      id={`${id}-passphrase`}
                      ref={passphraseInput}
                      type="password"
                      autoComplete="off"
                      value={passphrase}
                      aria-invalid={refusal?.code === 'WRONG_PASSPHRASE' || refusal?.code === 'PASSPHRASE_REQUIRED' ? true : undefined}
                      aria-describedby={`${id}-passphrase-hint`}
                      onChange={(e) => setPassphrase(e.target.value)}
                    />
                    <p id={`${id}-passphrase-hint`} className="field-hint">
                      {t('bundles.import.passphraseHint')}
                    </p>
                  </div>
                </>
              )}
            </div>
          </fieldset>
          {refusal && <RefusalView refusal={refusal} />}
          {notice && (
            <p className="bundle-notice" role="status">
              {notice}
            </p>
          )}
          {step.type === 'inspecting' ? (
            <div ref={progressBox}>
              <ProgressView progress={progress} label={t('bundles.import.checking')} cancelling={cancelling} onCancel={cancel} />
            </div>
          ) : (
            <div className="bundle-actions">
              <button type="submit">{t('bundles.import.check')}</button>
              <button type="button" className="secondary" onClick={close}>
                {t('action.cancel')}
              </button>
            </div>
          )}
        </form>
      )}

      {(step.type === 'inspected' || step.type === 'importing') && (
        <div className="bundle-inspection" data-testid="bundle-inspection">
          <p className="bundle-notice" role="status">
            {t('bundles.import.notYet')}
          </p>
          <BagInfoView inspection={step.inspection} locale={i18n.language} />
          <Counts counts={step.inspection.counts} />
          <ItemList items={step.inspection.items} locale={i18n.language} />
          {notice && (
            <p className="bundle-notice" role="status">
              {notice}
            </p>
          )}
          {refusal && <RefusalView refusal={refusal} />}
          {step.type === 'importing' ? (
            <div ref={progressBox}>
              <ProgressView progress={progress} label={t('bundles.import.running')} cancelling={cancelling} onCancel={cancel} />
            </div>
          ) : (
            <div className="bundle-actions">
              <button type="button" disabled={step.inspection.counts.add + step.inspection.counts.conflict === 0} onClick={() => confirm(step.inspection)}>
                {t('bundles.import.confirm', { count: step.inspection.counts.add + step.inspection.counts.conflict })}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setNotice(null);
                  setStep({ type: 'choose' });
                }}
              >
                {t('bundles.import.another')}
              </button>
              <button type="button" className="secondary" onClick={close}>
                {t('action.cancel')}
              </button>
              {step.inspection.counts.add + step.inspection.counts.conflict === 0 && <span className="field-hint">{t('bundles.import.nothingNew')}</span>}
            </div>
          )}
        </div>
      )}

      {step.type === 'done' && (
        <ImportReportView
          report={step.report}
          locale={i18n.language}
          onOpen={(documentId) => {
            onClose();
            onOpenDocument(documentId);
          }}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function RefusalView({ refusal }: { refusal: Refusal }) {
  const { t } = useTranslation();
  const refused = refusal.code === 'BUNDLE_INVALID' || refusal.code === 'BUNDLE_UNSAFE';
  return (
    <div className="bundle-failure" role="alert" data-code={refusal.code ?? undefined}>
      {refused && <strong>{t('bundles.import.refused')} </strong>}
      <span>{refusal.text}</span>
      {refusal.detail && <p className="bundle-detail">{refusal.detail}</p>}
      <p className="bundle-unchanged">{t('bundles.import.unchanged')}</p>
    </div>
  );
}

function BagInfoView({ inspection, locale }: { inspection: BundleInspection; locale: string }) {
  const { t } = useTranslation();
  const lines = shownBagInfo.flatMap((label) => {
    const value = bagValue(inspection.bagInfo, label);
    return value === null ? [] : [{ label, value }];
  });
  return (
    <dl className="bundle-facts bundle-baginfo">
      {lines.map((l) => (
        <div key={l.label} className="bundle-fact">
          <dt>{t(`bundles.bagInfo.${l.label}`, { defaultValue: l.label })}</dt>
          {/* What core writes when no organization was given: said in the interface language. */}
          <dd>{l.label === 'Source-Organization' && l.value === NOT_STATED ? t('bundles.bagInfo.notStated') : l.value}</dd>
        </div>
      ))}
      <div className="bundle-fact">
        <dt>{t('bundles.bagInfo.payload')}</dt>
        <dd>
          {t('bundles.bagInfo.payloadValue', { count: inspection.payloadFiles, size: formatBytes(inspection.payloadBytes, locale) })}
          {inspection.encrypted && <> · {t('bundles.bagInfo.encrypted')}</>}
        </dd>
      </div>
    </dl>
  );
}

function Counts({ counts }: { counts: BundleInspection['counts'] }) {
  const { t } = useTranslation();
  return (
    <ul className="bundle-counts" aria-label={t('bundles.import.countsLabel')}>
      {actions.map((a) => (
        <li key={a} className={`bundle-count${counts[a] > 0 ? ` action-${a}` : ''}`} data-action={a}>
          <span className="bundle-count-n">{counts[a]}</span> {t(`bundles.action.${a}`, { count: counts[a] })}
        </li>
      ))}
    </ul>
  );
}

function ItemList({ items, locale }: { items: readonly BundleItemPlan[]; locale: string }) {
  const { t } = useTranslation();
  // What is new first, then conflicts, then what is already here.
  const sorted = [...items].sort((a, b) => actions.indexOf(a.action) - actions.indexOf(b.action));
  const redacted = items.filter((i) => i.redactedSpans > 0).length;
  const textOnly = items.filter((i) => i.omittedFiles > 0).length;
  return (
    <>
      {(redacted > 0 || textOnly > 0) && (
        <ul className="bundle-warnings">
          {redacted > 0 && <li>{t('bundles.import.redactedItems', { count: redacted })}</li>}
          {textOnly > 0 && <li>{t('bundles.import.textOnlyItems', { count: textOnly })}</li>}
        </ul>
      )}
      <div className="bundle-table-wrap">
        <table className="bundle-table">
          <caption className="visually-hidden">{t('bundles.import.itemsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('bundles.import.colTitle')}</th>
              <th scope="col">{t('bundles.import.colKind')}</th>
              <th scope="col">{t('bundles.import.colDate')}</th>
              <th scope="col">{t('bundles.import.colAction')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.slice(0, LISTED).map((item) => (
              <tr key={item.bundleId} data-action={item.action}>
                <td lang={item.language}>
                  {item.title}
                  {item.redactedSpans > 0 && <span className="bundle-tag">█ {t('bundles.import.redactedTag')}</span>}
                  {item.omittedFiles > 0 && item.redactedSpans === 0 && <span className="bundle-tag">{t('bundles.import.textOnlyTag')}</span>}
                </td>
                <td>
                  {t(`kind.${item.kind}`)} · {languageName(item.language, locale)}
                </td>
                <td>{item.date ?? '—'}</td>
                <td>
                  <span className={`bundle-action action-${item.action}`}>{t(`bundles.actionOne.${item.action}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sorted.length > LISTED && <p className="field-hint">{t('bundles.import.more', { count: sorted.length - LISTED })}</p>}
    </>
  );
}

function ImportReportView({ report, locale, onOpen, onClose }: { report: BundleImportReport; locale: string; onOpen: (id: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const byAction = (a: BundleItemAction): BundleItemPlan[] => report.items.filter((i) => i.action === a);
  const added = byAction('add');
  const conflicts = byAction('conflict');
  const duplicates = byAction('duplicate');
  // Core's first warnings are the inspection's (said above in the interface language); later ones came up while merging.
  const inspectionWarnings = (report.items.some((i) => i.redactedSpans > 0) ? 1 : 0) + (report.items.some((i) => i.omittedFiles > 0) ? 1 : 0);
  const mergeWarnings = report.warnings.slice(inspectionWarnings);
  const link = (documentId: string | undefined | null, title: string, language: string) =>
    documentId ? (
      <button type="button" className="link" lang={language} onClick={() => onOpen(documentId)}>
        {title}
      </button>
    ) : (
      <span lang={language}>{title}</span>
    );
  return (
    <div className="bundle-report" data-testid="import-report">
      <p className="bundle-done" role="status">
        {t('bundles.import.done', { count: added.length + conflicts.length })}
      </p>
      <Counts counts={report.counts} />
      <BagInfoView inspection={report} locale={locale} />
      {added.length > 0 && (
        <section aria-labelledby="bundle-added-heading">
          <h3 id="bundle-added-heading">{t('bundles.import.addedHeading', { count: added.length })}</h3>
          <ul className="bundle-links">
            {added.slice(0, LISTED).map((i) => (
              <li key={i.bundleId}>{link(report.ids[i.bundleId], i.title, i.language)}</li>
            ))}
          </ul>
          {added.length > LISTED && <p className="field-hint">{t('bundles.import.more', { count: added.length - LISTED })}</p>}
        </section>
      )}
      {conflicts.length > 0 && (
        <section className="bundle-note" aria-labelledby="bundle-conflicts-heading">
          <h3 id="bundle-conflicts-heading">{t('bundles.import.conflictsHeading', { count: conflicts.length })}</h3>
          <p>{t('bundles.import.conflictsBody')}</p>
          <ul className="bundle-links">
            {conflicts.map((i) => (
              <li key={i.bundleId}>
                {link(report.ids[i.bundleId], i.title, i.language)} ↔ {link(i.existingId, t('bundles.import.existing'), locale)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {duplicates.length > 0 && (
        <section aria-labelledby="bundle-duplicates-heading">
          <h3 id="bundle-duplicates-heading">{t('bundles.import.duplicatesHeading', { count: duplicates.length })}</h3>
          <ul className="bundle-links">
            {duplicates.slice(0, LISTED).map((i) => (
              <li key={i.bundleId}>{link(i.existingId, i.title, i.language)}</li>
            ))}
          </ul>
        </section>
      )}
      <ReportFooter warnings={mergeWarnings} onClose={onClose} />
    </div>
  );
}
