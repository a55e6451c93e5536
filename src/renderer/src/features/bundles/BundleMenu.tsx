import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bundleDialogs } from './store.ts';

/**
 * The toolbar's "Bundles" button: export the whole archive, or import a bundle. A small panel of
 * two buttons; Escape or a click elsewhere closes it and focus goes back to the button.
 */
export function BundleMenu() {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('button')?.focus();
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node | null;
      if (target && !panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const choose = (action: () => void): void => {
    setOpen(false);
    // The dialog gives focus back to what had it when it opened: the button, not a button about to go.
    button.current?.focus();
    action();
  };

  return (
    <div className="bundle-menu">
      <button
        ref={button}
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        title={t('bundles.menu.title')}
        onClick={() => setOpen(!open)}
      >
        {t('bundles.menu.button')} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div
          ref={panel}
          id={`${id}-panel`}
          className="bundle-menu-panel"
          role="group"
          aria-label={t('bundles.menu.title')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
              button.current?.focus();
            }
          }}
        >
          <button type="button" className="secondary" aria-haspopup="dialog" onClick={() => choose(() => bundleDialogs.openExport({ selection: { type: 'all' }, count: null }))}>
            {t('bundles.menu.exportAll')}
          </button>
          <button type="button" className="secondary" aria-haspopup="dialog" onClick={() => choose(() => bundleDialogs.openImport())}>
            {t('bundles.menu.import')}
          </button>
          <p className="field-hint">{t('bundles.menu.hint')}</p>
        </div>
      )}
    </div>
  );
}
