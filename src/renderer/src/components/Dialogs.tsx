import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal dialog on the browser's own <dialog>: focus moves in and stays in, Escape closes it, the
 * rest of the window is inert meanwhile, and focus goes back where it was afterwards.
 */
export function Modal({ labelledBy, onClose, className, children, role }: { labelledBy: string; onClose: () => void; className: string; children: ReactNode; role?: 'alertdialog' }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${className}`}
      aria-labelledby={labelledBy}
      role={role}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/u.test(navigator.platform);

/** The keyboard shortcuts, opened with "?" (outside a text field) or from the toolbar. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const mod = isMac ? '⌘' : 'Ctrl';
  const rows: [string[], string][] = [
    [[`${mod}+F`, '/'], t('shortcuts.search')],
    [[`${mod}+O`], t('shortcuts.importFiles')],
    [[`${mod}+Shift+O`], t('shortcuts.importFolder')],
    // Bundles (issue 6)
    [[`${mod}+E`], t('bundles.shortcut.export')],
    [[`${mod}+Shift+E`], t('bundles.shortcut.import')],
    [['↑', '↓'], t('shortcuts.move')],
    [['Page Up', 'Page Down'], t('shortcuts.page')],
    [['Home', 'End'], t('shortcuts.ends')],
    [['Enter'], t('shortcuts.open')],
    [[`${mod}+S`], t('shortcuts.save')],
    [['Esc'], t('shortcuts.cancel')],
    [['?'], t('shortcuts.help')],
  ];
  return (
    <Modal labelledBy="shortcuts-title" onClose={onClose} className="shortcuts">
      <div className="help-header">
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <button type="button" className="secondary" onClick={onClose} autoFocus>
          {t('action.close')}
        </button>
      </div>
      <table className="help-table">
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.keys')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([keys, action]) => (
            <tr key={action}>
              <th scope="row">
                {keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 && ` ${t('shortcuts.or')} `}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </th>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

/** Asked before unsaved metadata would be lost (another document opened, the archive switched). */
export function UnsavedDialog({ onDiscard, onKeep }: { onDiscard: () => void; onKeep: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal labelledBy="unsaved-title" onClose={onKeep} className="confirm" role="alertdialog">
      <h2 id="unsaved-title">{t('unsaved.title')}</h2>
      <p>{t('unsaved.body')}</p>
      <div className="editor-actions">
        <button type="button" onClick={onKeep} autoFocus>
          {t('unsaved.keep')}
        </button>
        <button type="button" className="secondary" onClick={onDiscard}>
          {t('unsaved.discard')}
        </button>
      </div>
    </Modal>
  );
}
