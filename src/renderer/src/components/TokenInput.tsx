import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchSuggestion } from '../../../shared/reports.ts';
import { api } from '../api.ts';

interface Props {
  id: string;
  label: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  /** Which suggestions fit: people for authors and recipients, tags, cases. */
  suggest: 'person' | 'tag' | 'case';
  error?: string | undefined;
  errorId?: string | undefined;
}

const DELAY_MS = 120;

/**
 * A list of names as tokens: type one and press Enter (or a comma) to add it, × or Backspace to take
 * one out; what the archive already knows (people, tags, cases) is suggested as you type.
 */
export function TokenInput({ id, values, onChange, suggest, error, errorId }: Props) {
  const { t } = useTranslation();
  const listId = `${useId()}-list`;
  const [text, setText] = useState('');
  const [options, setOptions] = useState<string[]>([]);
  const [active, setActive] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const generation = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const close = (): void => {
    generation.current++;
    if (timer.current) clearTimeout(timer.current);
    setOptions([]);
    setActive(-1);
  };

  const add = (raw: string): void => {
    const value = raw.trim();
    setText('');
    close();
    if (value === '' || values.some((v) => v.toLocaleLowerCase() === value.toLocaleLowerCase())) return;
    onChange([...values, value]);
  };

  const lookUp = (prefix: string): void => {
    const mine = ++generation.current;
    if (timer.current) clearTimeout(timer.current);
    if ([...prefix.trim()].length < 2) {
      setOptions([]);
      return;
    }
    timer.current = setTimeout(() => {
      api['search.suggest']({ prefix: prefix.trim(), limit: 20 })
        .then((found: SearchSuggestion[]) => {
          if (mine !== generation.current) return;
          const fitting = found.filter((s) => s.type === suggest && !values.includes(s.value)).map((s) => s.value);
          setOptions([...new Set(fitting)].slice(0, 8));
          setActive(-1);
        })
        // Suggestions are a help: without them the field still takes what is typed.
        .catch(() => undefined);
    }, DELAY_MS);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (options.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current < 0 && step < 0 ? options.length - 1 : (current + step + options.length) % options.length));
    } else if (event.key === 'Enter' || (event.key === ',' && suggest !== 'case')) {
      const chosen = options[active];
      if (chosen !== undefined || text.trim() !== '') {
        event.preventDefault();
        add(chosen ?? text);
      }
    } else if (event.key === 'Escape' && options.length > 0) {
      // The list closes; a second Escape reaches the editor (Cancel).
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Backspace' && text === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };

  const open = options.length > 0;
  return (
    <div className={`token-input${error ? ' invalid' : ''}`} onClick={(e) => e.target === e.currentTarget && input.current?.focus()}>
      {values.length > 0 && (
        <ul className="tokens">
          {values.map((value) => (
            <li key={value} className="token">
              <span>{value}</span>
              <button type="button" className="token-remove" aria-label={t('editor.remove', { value })} title={t('editor.remove', { value })} onClick={() => onChange(values.filter((v) => v !== value))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="token-field">
        <input
          id={id}
          ref={input}
          type="text"
          value={text}
          autoComplete="off"
          spellCheck={false}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error && errorId ? errorId : undefined}
          placeholder={t('editor.addPlaceholder')}
          onChange={(e) => {
            setText(e.target.value);
            lookUp(e.target.value);
          }}
          onKeyDown={onKeyDown}
          // What was typed and not yet added is added on leaving the field, so Save does not lose it.
          onBlur={() => add(text)}
        />
        <ul id={listId} role="listbox" aria-label={t('suggest.label')} className="suggestions" hidden={!open}>
          {options.map((option, i) => (
            <li
              key={option}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`suggestion${i === active ? ' active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                add(option);
              }}
              onMouseMove={() => setActive(i)}
            >
              <span className="suggestion-value">{option}</span>
              <span className="suggestion-type">{t(`suggest.type.${suggest}`)}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
