import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../../shared/reports.ts';
import { api } from '../../api.ts';

const DELAY_MS = 200;

export interface PickedDocument {
  id: string;
  title: string;
  language: string;
}

/**
 * Finds a document by words of its title or text (the archive's search) and picks one: ↑ ↓ to
 * move, Enter to choose, Escape to close the list.
 */
export function DocumentPicker({ id, exclude, onPick, describedBy }: { id: string; exclude: string; onPick: (doc: PickedDocument) => void; describedBy?: string }) {
  const { t } = useTranslation();
  const listId = `${useId()}-list`;
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    // Words only: the query language's quotes and operators are not what a person means here.
    const words = text.replace(/["():*~-]/gu, ' ').trim();
    if ([...words].length < 2) {
      setHits([]);
      return;
    }
    const timer = setTimeout(() => {
      api['search.query']({ query: words.split(/\s+/u).map((w, i, all) => (i === all.length - 1 && [...w].length >= 2 ? `${w}*` : w)).join(' '), offset: 0, limit: 10 })
        .then((r) => {
          if (mine !== seq.current) return;
          setHits(r.hits.filter((h) => h.id !== exclude));
        })
        .catch(() => {
          if (mine === seq.current) setHits([]);
        });
    }, DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, exclude]);

  const expanded = open && hits.length > 0;
  const choose = (hit: SearchHit): void => {
    setOpen(false);
    setText('');
    onPick({ id: hit.id, title: hit.title, language: hit.language });
  };
  return (
    <div className="ft-picker">
      <input
        id={id}
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('translation.pickPlaceholder')}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(-1);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            if (hits.length === 0) return;
            e.preventDefault();
            setOpen(true);
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((current) => (current < 0 && step < 0 ? hits.length - 1 : (current + step + hits.length) % hits.length));
          } else if (e.key === 'Enter') {
            const hit = hits[active];
            if (hit) {
              e.preventDefault();
              choose(hit);
            }
          } else if (e.key === 'Escape' && expanded) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label={t('translation.pickList')} className="suggestions" hidden={!expanded}>
        {hits.map((hit, i) => (
          <li
            key={hit.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={`suggestion${i === active ? ' active' : ''}`}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(hit);
            }}
            onMouseMove={() => setActive(i)}
          >
            <span className="suggestion-value" lang={hit.language}>
              {hit.title}
            </span>
            <span className="suggestion-type">{hit.language.toUpperCase()}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
