import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../../shared/reports.ts';
import { clock } from '../format.ts';
import type { Progress } from '../upload.ts';

/** The last part of a path, whichever separator the system uses. */
const fileName = (path: string): string => path.split(/[\\/]/u).pop() ?? path;

export type ImportState = { phase: 'running'; progress: Progress } | { phase: 'finished'; report: ImportReport };

/** A running import's progress with a way to stop it, then what it did, file by file for failures. */
export function ImportReportPanel({ state, onClose, onCancel, onOpen }: { state: ImportState; onClose: () => void; onCancel: () => void; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  if (state.phase === 'running') {
    const p = state.progress;
    return (
      <section className="import-panel" role="status" aria-live="polite" aria-label={t('import.panel')}>
        <div className="import-summary">
          <strong>{p.phase === 'scanning' ? t('import.scanning') : t('import.running', { done: p.done, count: p.total })}</strong>
          {p.filesPerSecond > 0 && <span>{t('import.rate', { rate: p.filesPerSecond })}</span>}
          {p.secondsLeft !== null && <span>{t('import.left', { time: clock(p.secondsLeft) })}</span>}
          {p.currentPage && (
            <span className="import-page" title={p.currentPage.file}>
              {t('import.page', { page: p.currentPage.page, pages: p.currentPage.pages, file: fileName(p.currentPage.file) })}
            </span>
          )}
          {p.failed > 0 && <span className="failed-count">{t('import.failed', { count: p.failed })}</span>}
          <button type="button" className="secondary" onClick={onCancel}>
            {t('action.cancel')}
          </button>
        </div>
        <progress max={Math.max(p.total, 1)} value={p.done} aria-label={t('import.panel')} />
      </section>
    );
  }
  const { report } = state;
  return (
    <section className={`import-panel${report.failed.length > 0 ? ' has-failures' : ''}`} role="status" aria-live="polite" aria-label={t('import.panel')}>
      <div className="import-summary">
        <strong>{report.cancelled ? t('import.cancelled') : t('import.finished')}</strong>
        <span>{t('import.imported', { count: report.imported.length })}</span>
        {report.duplicates.length > 0 && <span>{t('import.duplicates', { count: report.duplicates.length })}</span>}
        {report.possibleDuplicates.length > 0 && <span>{t('import.possibleDuplicates', { count: report.possibleDuplicates.length })}</span>}
        {report.failed.length > 0 && <span className="failed-count">{t('import.failed', { count: report.failed.length })}</span>}
        <button type="button" className="secondary" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
      {(report.failed.length > 0 || report.possibleDuplicates.length > 0 || report.warnings.length > 0) && (
        <ul className="import-failures">
          {report.failed.map((failure, i) => (
            <li key={`f-${i}`}>
              <strong>{failure.file}</strong> <code>{failure.code}</code> {t(`error.${failure.code}`, { defaultValue: failure.message })}
            </li>
          ))}
          {report.possibleDuplicates.map((d) => (
            <li key={`d-${d.id}`}>
              <button type="button" className="link" onClick={() => onOpen(d.id)}>
                {d.file}
              </button>{' '}
              {t('import.sameTextAs')}{' '}
              <button type="button" className="link" onClick={() => onOpen(d.duplicateOf)}>
                {t('import.existingDocument')}
              </button>
            </li>
          ))}
          {report.warnings.map((w, i) => (
            <li key={`w-${i}`}>
              <strong>{w.file}</strong> {w.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
