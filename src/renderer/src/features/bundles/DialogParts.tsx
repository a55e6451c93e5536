import type { ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';

/** The end of an export's or an import's report: what else went wrong, and the way out. */
export function ReportFooter({ warnings, onClose }: { warnings: readonly string[]; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      {warnings.length > 0 && (
        <ul className="bundle-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="bundle-actions">
        <button type="button" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
    </>
  );
}

/** A bundle dialog's title, with Close while nothing is running (a running job is stopped by Cancel). */
export function BundleHead({ id, headingRef, running, onClose, children }: { id: string; headingRef: RefObject<HTMLHeadingElement | null>; running: boolean; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="bundle-head">
      <h2 id={id} ref={headingRef} tabIndex={-1}>
        {children}
      </h2>
      {!running && (
        <button type="button" className="secondary small" onClick={onClose}>
          {t('action.close')}
        </button>
      )}
    </div>
  );
}
