import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { selection } from './selection.ts';
import './bulk.css';

/**
 * The checkbox of one row of the list, to take the document into a bulk edit. It follows the
 * list's roving focus (Tab reaches the focused row's box only); Shift+click ticks a range.
 */
export function RowCheck({ index, item, active }: { index: number; item: { id: string; title: string }; active: boolean }) {
  const { t } = useTranslation();
  const checked = useSyncExternalStore(selection.subscribe, () => selection.get().has(item.id));
  return (
    <input
      type="checkbox"
      className="row-check"
      checked={checked}
      tabIndex={active ? 0 : -1}
      aria-label={t('bulk.check', { title: item.title })}
      onClick={(e) => {
        if (e.shiftKey) {
          e.preventDefault();
          selection.range(index, item);
        }
      }}
      onChange={(e) => selection.toggle(index, item, e.target.checked)}
    />
  );
}
