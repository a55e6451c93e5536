import { type RefObject, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchSuggestion } from '../../../shared/reports.ts';
import { api } from '../api.ts';
import { useMenuCommand } from '../menu-commands.ts';
import { recogniseQueryError } from '../query-errors.ts';
import { applySuggestion, type Fragment, fragmentAt, tokenize } from '../query-text.ts';
import { SearchHelp } from './SearchHelp.tsx';

/** A query the backend could not read: its message and where in the query the trouble starts. */
export interface QueryError {
  query: string;
  message: string;
  at: number | null;
}

interface Props {
  query: string;
  inputRef: RefObject<HTMLInputElement | null>;
  error: QueryError | null;
  onChange: (query: string) => void;
  /** Runs a search for this text. */
  onSearch: (query: string) => void;
  onOpenDocument: (id: string) => void;
}

const SUGGEST_DELAY_MS = 120;
const SUGGEST_LIMIT = 10;

/** The backend's message, said again in the interface language when it is a known one. */
function ErrorMessage({ message }: { message: string }) {
  const { t, i18n } = useTranslation();
  const known = i18n.resolvedLanguage === 'en' ? null : recogniseQueryError(message);
  if (known && i18n.exists(known.key)) return <span>{t(known.key, known.params)}</span>;
  return <span lang="en">{message}</span>;
}

/** The query with the part the error points at marked, so the message has something to point to. */
function ErrorExcerpt({ error }: { error: QueryError }) {
  const { query, at } = error;
  if (at === null || at < 0 || at >= query.length || query.length > 300) return null;
  const token = tokenize(query).find((t) => t.start <= at && at < t.end);
  const end = token ? token.end : at + 1;
  return (
    <code className="query-excerpt" aria-hidden="true">
      {query.slice(0, at)}
      <mark>{query.slice(at, end)}</mark>
      {query.slice(end)}
    </code>
  );
}

/**
 * The search box: suggestions as you type (a combobox with a listbox), the "?" popover with the
 * query language, and the parser's message when a query cannot be read.
 */
export function SearchBox({ query, inputRef, error, onChange, onSearch, onOpenDocument }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const listId = `${ids}-suggestions`;
  const errorId = `${ids}-error`;
  const [suggestions, setSuggestions] = useState<{ fragment: Fragment; items: SearchSuggestion[] } | null>(null);
  const [active, setActive] = useState(-1);
  const [helpOpen, setHelpOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** Bumped on every keystroke: an answer to an older request is dropped. */
  const generation = useRef(0);
  const helpButton = useRef<HTMLButtonElement>(null);
  /** The suggestion highlighted now: an answer for newer text keeps it highlighted when it is still in the list. */
  const highlighted = useRef<SearchSuggestion | null>(null);
  useEffect(() => {
    highlighted.current = suggestions?.items[active] ?? null;
  }, [suggestions, active]);

  const close = useCallback((): void => {
    generation.current++;
    if (timer.current) clearTimeout(timer.current);
    setSuggestions(null);
    setActive(-1);
  }, []);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  // Help > How to write queries, in the desktop app's menu.
  useMenuCommand('search-help', () => {
    close();
    setHelpOpen(true);
  });

  const requestSuggestions = (text: string, caret: number): void => {
    const mine = ++generation.current;
    if (timer.current) clearTimeout(timer.current);
    const fragment = fragmentAt(text, caret);
    if (!fragment) {
      setSuggestions(null);
      setActive(-1);
      return;
    }
    timer.current = setTimeout(() => {
      api['search.suggest']({ prefix: fragment.prefix, limit: SUGGEST_LIMIT })
        .then((found) => {
          if (mine !== generation.current) return;
          const items = fragment.field ? found.filter((s) => s.type === fragment.field) : found;
          const kept = highlighted.current;
          setSuggestions(items.length > 0 ? { fragment, items } : null);
          setActive(kept ? items.findIndex((s) => s.type === kept.type && s.id === kept.id && s.value === kept.value) : -1);
        })
        // Suggestions are a help, not the search: a failure just shows none.
        .catch(() => {
          if (mine === generation.current) setSuggestions(null);
        });
    }, SUGGEST_DELAY_MS);
  };

  const choose = (suggestion: SearchSuggestion): void => {
    // The list may still be the answer for the text before the last keys: the word replaced is the one typed now.
    const fragment = fragmentAt(query, inputRef.current?.selectionStart ?? query.length) ?? suggestions?.fragment;
    close();
    if (!fragment) return;
    if (suggestion.type === 'title') {
      if (suggestion.id) onOpenDocument(suggestion.id);
      return;
    }
    const next = applySuggestion(query, fragment, suggestion);
    onChange(next.query);
    onSearch(next.query);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(next.caret, next.caret));
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    const items = suggestions?.items ?? [];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (items.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current < 0 && step < 0 ? items.length - 1 : (current + step + items.length) % items.length));
    } else if (event.key === 'Enter') {
      const chosen = items[active];
      if (chosen) {
        event.preventDefault();
        choose(chosen);
      } else close();
    } else if (event.key === 'Escape') {
      if (items.length > 0) {
        // Without this, Escape in a search field also empties it.
        event.preventDefault();
        close();
      }
    } else if (event.key === 'Tab') close();
  };

  const open = (suggestions?.items.length ?? 0) > 0;
  const typeLabel = (type: SearchSuggestion['type']): string => t(`suggest.type.${type}`);

  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        close();
        onSearch(query);
      }}
    >
      <div className="search-row">
        <label htmlFor="search-input" className="visually-hidden">
          {t('search.label')}
        </label>
        <div className="search-field">
          <input
            id="search-input"
            ref={inputRef}
            type="search"
            value={query}
            placeholder={t('search.placeholder')}
            autoComplete="off"
            spellCheck={false}
            role="combobox"
            aria-expanded={open}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => {
              onChange(e.target.value);
              requestSuggestions(e.target.value, e.target.selectionStart ?? e.target.value.length);
            }}
            onKeyDown={onKeyDown}
            onBlur={close}
          />
          <ul id={listId} role="listbox" aria-label={t('suggest.label')} className="suggestions" hidden={!open}>
            {suggestions?.items.map((s, i) => (
              <li
                key={`${s.type}-${s.id ?? ''}-${s.value}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={`suggestion${i === active ? ' active' : ''}`}
                // mousedown, not click: the input must keep focus (its blur closes the list).
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(s);
                }}
                onMouseMove={() => setActive(i)}
              >
                <span className="suggestion-value" title={s.value}>
                  {s.value}
                </span>
                <span className={`suggestion-type type-${s.type}`}>{typeLabel(s.type)}</span>
              </li>
            ))}
          </ul>
        </div>
        <button
          ref={helpButton}
          type="button"
          className="secondary help-button"
          aria-label={t('help.open')}
          title={t('help.open')}
          aria-haspopup="dialog"
          aria-expanded={helpOpen}
          aria-controls={helpOpen ? `${ids}-help` : undefined}
          onClick={() => {
            close();
            setHelpOpen((v) => !v);
          }}
        >
          ?
        </button>
        <button type="submit">{t('search.submit')}</button>
        {helpOpen && (
          <SearchHelp
            id={`${ids}-help`}
            anchor={helpButton}
            onClose={(returnFocus) => {
              setHelpOpen(false);
              if (returnFocus) helpButton.current?.focus();
            }}
            onExample={(example) => {
              setHelpOpen(false);
              onChange(example);
              onSearch(example);
              inputRef.current?.focus();
            }}
          />
        )}
      </div>
      {error && (
        <div id={errorId} className="query-error" role="alert">
          <span>
            {t('search.queryError')} <ErrorMessage message={error.message} />
          </span>
          <span className="query-error-more">
            <ErrorExcerpt error={error} />
            <button type="button" className="link" onClick={() => setHelpOpen(true)}>
              {t('search.queryHelp')}
            </button>
          </span>
        </div>
      )}
    </form>
  );
}
