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
