import { type RefObject, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { documentKinds } from '../../../shared/document.ts';

interface Props {
  id: string;
  /** The "?" button: the popover opens under it. */
  anchor: RefObject<HTMLButtonElement | null>;
  /** returnFocus: closed from the keyboard or its own button, so focus goes back to "?". */
  onClose: (returnFocus: boolean) => void;
  onExample: (query: string) => void;
}

/** Rows of the query language; their texts and examples live in the locale files under help.*. */
const termRows = ['words', 'phrase', 'or', 'not', 'prefix', 'fuzzy'] as const;
const filterRows = ['kind', 'lang', 'person', 'case', 'tag', 'sensitivity', 'date', 'notFilter'] as const;

const WIDTH_PX = 720;
const MARGIN_PX = 12;

/** Where the popover goes: under the anchor, its right edge at the anchor's, inside the window. */
function placeUnder(anchor: HTMLElement): { top: number; left: number; width: number; maxHeight: number } {
  const rect = anchor.getBoundingClientRect();
  const width = Math.min(WIDTH_PX, window.innerWidth - 2 * MARGIN_PX);
  const left = Math.max(MARGIN_PX, Math.min(rect.right - width, window.innerWidth - width - MARGIN_PX));
  const top = rect.bottom + 6;
  return { top, left, width, maxHeight: window.innerHeight - top - MARGIN_PX };
}

/** The "?" popover: the query language with examples; clicking an example runs it. */
export function SearchHelp({ id, anchor, onClose, onExample }: Props) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState(() => (anchor.current ? placeUnder(anchor.current) : null));

  useEffect(() => {
    const update = (): void => {
      if (anchor.current) setPlace(placeUnder(anchor.current));
    };
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [anchor]);

  // The latest onClose without re-running the effects below (which would move focus again).
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    dialog.current?.focus();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault();
        closeRef.current(true);
      }
    };
    const onPointer = (event: MouseEvent): void => {
      const target = event.target as Node | null;
      if (target && !dialog.current?.contains(target) && !anchor.current?.contains(target)) closeRef.current(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onPointer);
    };
  }, [anchor]);

  const examples = (key: string): string[] => {
    const value: unknown = t(`help.${key}.examples`, { returnObjects: true });
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  };

  const row = (key: string, syntax: string, extra?: React.ReactNode) => (
    <tr key={key}>
      <th scope="row">
        <code>{syntax}</code>
      </th>
      <td>
        {t(`help.${key}.text`)}
        {extra}
      </td>
      <td>
        <div className="help-examples">
          {examples(key).map((example) => (
            <button key={example} type="button" className="example" onClick={() => onExample(example)} title={t('help.tryExample')}>
              <code>{example}</code>
            </button>
          ))}
        </div>
      </td>
    </tr>
  );

  const kinds = (
    <span className="help-kinds">
      {' '}
      {documentKinds.map((kind, i) => (
        <span key={kind}>
          <code>{kind}</code> ({t(`kind.${kind}`)}){i < documentKinds.length - 1 ? ', ' : '.'}
        </span>
      ))}
    </span>
  );

  return (
    <div
      id={id}
      ref={dialog}
      className="help-popover"
      role="dialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      tabIndex={-1}
      style={place ? { top: place.top, left: place.left, width: place.width, maxHeight: place.maxHeight } : undefined}
    >
      <header className="help-header">
        <h2 id={`${id}-title`}>{t('help.title')}</h2>
        <button type="button" className="secondary small" onClick={() => onClose(true)}>
          {t('action.close')}
        </button>
      </header>
      <p className="help-intro">{t('help.intro')}</p>
      <table className="help-table">
        <thead>
          <tr>
            <th scope="col">{t('help.column.syntax')}</th>
            <th scope="col">{t('help.column.meaning')}</th>
            <th scope="col">{t('help.column.examples')}</th>
          </tr>
        </thead>
        <tbody>{termRows.map((key) => row(key, t(`help.${key}.syntax`)))}</tbody>
        <tbody>
          <tr className="help-section">
            <th colSpan={3} scope="rowgroup">
              {t('help.filters')}
            </th>
          </tr>
          {filterRows.map((key) => row(key, t(`help.${key}.syntax`), key === 'kind' ? kinds : undefined))}
        </tbody>
      </table>
    </div>
  );
}
