import { useTranslation } from 'react-i18next';
import { bundleDialogs, type ExportTarget } from './store.ts';

/** "Export as a bundle…": opens the export dialog for a search's results, ticked rows, a person or a case. */
export function ExportButton({ target, label, className = 'secondary small' }: { target: ExportTarget; label?: string; className?: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className={className} aria-haspopup="dialog" onClick={() => bundleDialogs.openExport(target)}>
      {label ?? t('bundles.open.export')}
    </button>
  );
}
