import { useEffect, useRef } from 'react';
import { useMenuCommand } from '../../menu-commands.ts';
import { selection } from '../bulk/selection.ts';
import { nav } from '../nav.ts';
import { ExportDialog } from './ExportDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { bundleDialogs, useBundleDialog } from './store.ts';
import './bundles.css';

interface Props {
  /** The search shown now, if any: Ctrl+E exports its results. */
  search: { query: string; total: number } | null;
  onOpenDocument: (id: string) => void;
  /** A bundle came in: the app reads its list and counts again. */
  onArchiveChanged: () => void;
}

/** Exports what is in view: the ticked documents, else the search's results, else the whole archive. */
function exportShown(search: Props['search']): void {
  const checked = [...selection.get().keys()];
  if (checked.length > 0) bundleDialogs.openExport({ selection: { type: 'ids', ids: checked }, count: checked.length });
  else if (search && search.total > 0) bundleDialogs.openExport({ selection: { type: 'search', query: search.query }, count: search.total });
  else bundleDialogs.openExport({ selection: { type: 'all' }, count: null });
}

/**
 * Where the bundle dialogs (issue 6) are drawn, whoever opened them, and their shortcuts: Ctrl+E
 * exports what is in view (the ticked documents, else the search's results, else the whole
 * archive: the dialog says which), Ctrl+Shift+E imports a bundle.
 */
export function BundleDialogs({ search, onOpenDocument, onArchiveChanged }: Props) {
  const dialog = useBundleDialog();
  const latest = useRef({ search });
  latest.current = { search };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 'e') return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      if (event.shiftKey) bundleDialogs.openImport();
      else exportShown(latest.current.search);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // The desktop app's File menu: the same as the keys.
  useMenuCommand('export-bundle', () => exportShown(search));
  useMenuCommand('import-bundle', () => bundleDialogs.openImport());

  if (!dialog) return null;
  if (dialog.type === 'export') return <ExportDialog key={JSON.stringify(dialog.target.selection)} target={dialog.target} onClose={() => bundleDialogs.close()} />;
  return (
    <ImportDialog
      onClose={() => bundleDialogs.close()}
      onOpenDocument={onOpenDocument}
      onImported={() => {
        // People and cases may have come in with the documents: the sidebar reads them again.
        nav.changed();
        onArchiveChanged();
      }}
    />
  );
}
