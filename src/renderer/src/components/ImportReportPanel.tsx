import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../../shared/reports.ts';

export type ImportState = { phase: 'running'; done: number; total: number } | { phase: 'finished'; report: ImportReport };

/** What an import did, file by file for the failures, with their codes. */
export function ImportReportPanel({ state, onClose }: { state: ImportState; onClose: () => void }) {
  const { t } = useTranslation();
  if (state.phase === 'running') {
    return (
      <section className="import-panel" role="status" aria-live="polite">
        <p>{t('import.running', { done: state.done, total: state.total })}</p>
        <progress max={state.total} value={state.done} />
      </section>
    );
  }
  const { report } = state;
  return (
    <section className={`import-panel${report.failed.length > 0 ? ' has-failures' : ''}`} role="status" aria-live="polite">
      <div className="import-summary">
        <strong>{t('import.finished')}</strong>
        <span>{t('import.imported', { count: report.imported.length })}</span>
        {report.duplicates.length > 0 && <span>{t('import.duplicates', { count: report.duplicates.length })}</span>}
        {report.failed.length > 0 && <span className="failed-count">{t('import.failed', { count: report.failed.length })}</span>}
        <button type="button" className="secondary" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
      {report.failed.length > 0 && (
        <ul className="import-failures">
          {report.failed.map((failure, i) => (
            <li key={`${failure.file}-${i}`}>
              <strong>{failure.file}</strong> <code>{failure.code}</code> {t(`error.${failure.code}`, { defaultValue: failure.message })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
