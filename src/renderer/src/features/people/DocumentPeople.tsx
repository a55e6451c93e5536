import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentPerson, type DocumentPersonRole, documentPersonRoles, type Person } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { nav, useNav } from '../nav.ts';
import { errorText } from '../shared/util.ts';

const DELAY_MS = 120;

type Option = { type: 'person'; person: Person } | { type: 'create'; name: string };

/**
 * A picker of people: type part of a name in any script, choose one of the people found (↑ ↓
 * Enter), or create a new person with the name typed.
 */
export function PersonPicker({ exclude, onPick, label }: { exclude: ReadonlySet<string>; onPick: (person: Person) => void; label: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [found, setFound] = useState<Person[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    if (text.trim() === '') {
      setFound([]);
      return;
    }
    const timer = setTimeout(() => {
      api['people.list']({ prefix: text.trim(), offset: 0, limit: 8 })
        .then((r) => {
          if (mine !== seq.current) return;
          setFound(r.items);
        })
        .catch(() => undefined);
    }, DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const typed = text.trim();
  const exact = found.some((p) => [p.name, ...p.variants].some((n) => n.toLocaleLowerCase() === typed.toLocaleLowerCase()));
  const options: Option[] = [
    ...found.filter((p) => !exclude.has(p.id)).map((person): Option => ({ type: 'person', person })),
    ...(typed !== '' && !exact ? [{ type: 'create', name: typed } as Option] : []),
  ];
  const expanded = open && options.length > 0;

  const choose = (option: Option): void => {
    setOpen(false);
    setProblem(null);
    if (option.type === 'person') {
      setText('');
      onPick(option.person);
      return;
    }
    api['people.save']({ id: null, name: option.name })
      .then((person) => {
        nav.changed();
        setText('');
        onPick(person);
      })
      .catch((e: unknown) => setProblem(errorText(t, e, 'people.conflict')));
  };

  return (
    <div className="ft-picker">
      <label htmlFor={`${id}-input`} className="visually-hidden">
        {label}
      </label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('people.pickerPlaceholder')}
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
            if (options.length === 0) return;
            e.preventDefault();
            setOpen(true);
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((current) => (current < 0 && step < 0 ? options.length - 1 : (current + step + options.length) % options.length));
          } else if (e.key === 'Enter') {
            const option = options[active] ?? (options.length === 1 ? options[0] : undefined);
            if (option) {
              e.preventDefault();
              choose(option);
            }
          } else if (e.key === 'Escape' && expanded) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      <ul id={`${id}-list`} role="listbox" aria-label={t('people.pickerList')} className="suggestions" hidden={!expanded}>
        {options.map((option, i) => (
          <li
            key={option.type === 'person' ? option.person.id : `create-${option.name}`}
            id={`${id}-option-${i}`}
            role="option"
            aria-selected={i === active}
            className={`suggestion${i === active ? ' active' : ''}`}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(option);
            }}
            onMouseMove={() => setActive(i)}
          >
            {option.type === 'person' ? (
              <>
                <span className="suggestion-value">{option.person.name}</span>
                {option.person.variants.length > 0 && <span className="ft-option-variants">{option.person.variants.slice(0, 2).join(' · ')}</span>}
              </>
            ) : (
              <span className="suggestion-value ft-create-option">{t('people.createOption', { name: option.name })}</span>
            )}
          </li>
        ))}
      </ul>
      {problem && (
        <p id={`${id}-error`} className="ft-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/**
 * The people a document names: linked to it with a role (removable), or named as its author or
 * recipient. A person is linked with a role through the picker, which can also create them.
 */
export function DocumentPeople({ documentId, onError, onLeave }: { documentId: string; onError: (e: unknown) => void; onLeave?: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { version } = useNav();
  const [people, setPeople] = useState<DocumentPerson[] | null>(null);
  const [role, setRole] = useState<DocumentPersonRole>('mentioned');
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    let stale = false;
    api['people.forDocument']({ documentId })
      .then((found) => {
        if (!stale) setPeople(found);
      })
      .catch(onError);
    return () => {
      stale = true;
    };
  }, [documentId, version, onError]);

  const link = (person: Person): void => {
    api['people.link']({ personId: person.id, documentId, role })
      .then((found) => {
        setPeople(found);
        nav.changed();
      })
      .catch(onError);
  };
  const unlink = (personId: string, linkRole: DocumentPersonRole): void => {
    api['people.unlink']({ personId, documentId, role: linkRole })
      .then((found) => {
        setPeople(found);
        nav.changed();
      })
      .catch(onError);
  };

  return (
    <section className="ft-box" aria-label={t('people.boxLabel')}>
      <div className="ft-box-head">
        <h3 id={`${id}-heading`}>{t('people.boxHeading')}</h3>
        <button type="button" className="secondary small" aria-expanded={adding} onClick={() => setAdding(!adding)}>
          {t('people.linkPerson')}
        </button>
      </div>
      {people && people.length === 0 && !adding && <p className="ft-muted">{t('people.noneInDocument')}</p>}
      {people && people.length > 0 && (
        <ul className="ft-people">
          {people.map((entry) => (
            <li key={entry.person.id}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  onLeave?.();
                  nav.open({ type: 'person', id: entry.person.id });
                }}
              >
                {entry.person.name}
              </button>
              {entry.namedAs.map((as) => (
                <span key={as} className="ft-chip">
                  {t(`people.namedAs.${as}`)}
                </span>
              ))}
              {entry.linkedRoles.map((r) => (
                <span key={r} className="ft-chip linked">
                  {t(`people.linkRole.${r}`)}
                  <button
                    type="button"
                    className="ft-chip-remove"
                    aria-label={t('people.unlinkPerson', { name: entry.person.name, role: t(`people.linkRole.${r}`) })}
                    title={t('people.unlinkPerson', { name: entry.person.name, role: t(`people.linkRole.${r}`) })}
                    onClick={() => unlink(entry.person.id, r)}
                  >
                    ×
                  </button>
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
      {adding && (
        <div className="ft-link-form" role="group" aria-label={t('people.linkPerson')}>
          <label htmlFor={`${id}-role`}>{t('people.asRole')}</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as DocumentPersonRole)}>
            {documentPersonRoles.map((r) => (
              <option key={r} value={r}>
                {t(`people.linkRole.${r}`)}
              </option>
            ))}
          </select>
          <PersonPicker
            label={t('people.pickerLabel')}
            exclude={new Set(people?.filter((p) => p.linkedRoles.includes(role)).map((p) => p.person.id) ?? [])}
            onPick={link}
          />
          <p className="ft-hint">{t('people.pickerHint')}</p>
        </div>
      )}
    </section>
  );
}
