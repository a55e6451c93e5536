import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PartialDate } from '../../../../shared/document.ts';
import { type CaseEvent, type EventKind, eventKinds } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { ConfirmButton } from '../shared/ConfirmButton.tsx';
import { errorText } from '../shared/util.ts';
import { formatPartialDate } from '../timeline/dates.ts';

/** What an event belongs to: the page it is edited on. */
export type EventOwner = { caseId: string } | { personId: string };

/** The other thing an event may name: a person on a case's page, a case on a person's page. */
export interface LinkOption {
  id: string;
  label: string;
}

const DATE_SHAPE = /^\d{4}(-\d{2}(-\d{2})?)?$/u;

/** What is wrong with a partial date as typed (a key under events.error), or nothing. */
export function eventDateError(value: string): string | undefined {
  const date = value.trim();
  if (date === '') return 'dateRequired';
  if (!DATE_SHAPE.test(date)) return 'dateFormat';
  return PartialDate.safeParse(date).success ? undefined : 'dateNoSuch';
}

interface Draft {
  kind: EventKind;
  date: string;
  place: string;
  description: string;
  link: string;
}

const draftOf = (event: CaseEvent | null, owner: EventOwner): Draft => ({
  kind: event?.kind ?? 'arrest',
  date: event?.date ?? '',
  place: event?.place ?? '',
  description: event?.description ?? '',
  link: ('caseId' in owner ? event?.personId : event?.caseId) ?? '',
});

/** The form of one event, new or being changed. */
function EventForm({
  owner,
  event,
  links,
  onDone,
  onCancel,
}: {
  owner: EventOwner;
  event: CaseEvent | null;
  links: readonly LinkOption[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(event, owner));
  const [dateProblem, setDateProblem] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const kindRef = useRef<HTMLSelectElement>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  useEffect(() => kindRef.current?.focus(), []);
  const onCase = 'caseId' in owner;

  const save = (): void => {
    const wrong = eventDateError(draft.date);
    setDateProblem(wrong);
    if (wrong) {
      dateRef.current?.focus();
      return;
    }
    setSaving(true);
    setProblem(null);
    const link = draft.link === '' ? null : draft.link;
    api['cases.saveEvent']({
      ...(event ? { id: event.id } : {}),
      caseId: onCase ? owner.caseId : link,
      personId: onCase ? link : owner.personId,
      kind: draft.kind,
      date: draft.date.trim(),
      place: draft.place.trim(),
      description: draft.description,
    })
      .then(() => onDone())
      .catch((e: unknown) => {
        setSaving(false);
        setProblem(errorText(t, e));
      });
  };

  return (
    <form
      className="ft-event-form"
      aria-label={event ? t('events.editLabel') : t('events.addLabel')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <div className="ft-grid">
        <label htmlFor={`${id}-kind`}>{t('events.kindLabel')}</label>
        <select id={`${id}-kind`} ref={kindRef} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as EventKind })}>
          {eventKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`events.kind.${kind}`)}
            </option>
          ))}
        </select>

        <label htmlFor={`${id}-date`}>{t('events.date')}</label>
        <div>
          <input
            id={`${id}-date`}
            ref={dateRef}
            className="ft-date"
            type="text"
            inputMode="numeric"
            placeholder={t('events.datePlaceholder')}
            value={draft.date}
            aria-invalid={dateProblem ? true : undefined}
            aria-describedby={dateProblem ? `${id}-date-error` : `${id}-date-hint`}
            onChange={(e) => {
              setDraft({ ...draft, date: e.target.value });
              if (dateProblem) setDateProblem(eventDateError(e.target.value));
            }}
            onBlur={() => draft.date.trim() !== '' && setDateProblem(eventDateError(draft.date))}
          />
          <span id={`${id}-date-hint`} className="ft-hint">
            {t('events.dateHint')}
          </span>
          {dateProblem && (
            <p id={`${id}-date-error`} className="ft-error" role="alert">
              {t(`events.error.${dateProblem}`)}
            </p>
          )}
        </div>

        <label htmlFor={`${id}-place`}>{t('events.place')}</label>
        <input id={`${id}-place`} type="text" value={draft.place} placeholder={t('events.placePlaceholder')} onChange={(e) => setDraft({ ...draft, place: e.target.value })} />

        <label htmlFor={`${id}-description`}>{t('events.description')}</label>
        <textarea id={`${id}-description`} rows={2} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />

        {links.length > 0 && (
          <>
            <label htmlFor={`${id}-link`}>{onCase ? t('events.person') : t('events.case')}</label>
            <select id={`${id}-link`} value={draft.link} onChange={(e) => setDraft({ ...draft, link: e.target.value })}>
              <option value="">{onCase ? t('events.noPerson') : t('events.noCase')}</option>
              {links.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {problem && (
        <p className="ft-error" role="alert">
          {problem}
        </p>
      )}
      <div className="ft-actions">
        <button type="submit" disabled={saving}>
          {event ? t('events.saveChanges') : t('events.add')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('features.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * The events of a case or of a person (an arrest, a verdict, an appeal, a transfer to another
 * colony), oldest first: each can be changed or deleted, and new ones added. Dates may be partial
 * (2023, 2023-04, 2023-04-12) and are checked as they are typed.
 */
export function EventsSection({
  owner,
  events,
  links,
  editing,
  onEditing,
  onChanged,
  onError,
}: {
  owner: EventOwner;
  events: readonly CaseEvent[];
  links: readonly LinkOption[];
  /** The event whose form is open ('new' for a new one), chosen here or on the timeline. */
  editing: number | 'new' | null;
  onEditing: (editing: number | 'new' | null) => void;
  onChanged: () => void;
  onError: (e: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const onCase = 'caseId' in owner;
  const remove = (event: CaseEvent): void => {
    api['cases.deleteEvent']({ id: event.id })
      .then(() => onChanged())
      .catch(onError);
  };
  return (
    <section className="ft-section" aria-labelledby={headingId}>
      <div className="ft-section-head">
        <h3 id={headingId}>{t('events.heading', { count: events.length })}</h3>
        {editing !== 'new' && (
          <button type="button" className="secondary small" onClick={() => onEditing('new')}>
            {t('events.new')}
          </button>
        )}
      </div>
      {editing === 'new' && (
        <EventForm
          owner={owner}
          event={null}
          links={links}
          onDone={() => {
            onEditing(null);
            onChanged();
          }}
          onCancel={() => onEditing(null)}
        />
      )}
      {sorted.length === 0 && editing !== 'new' && <p className="ft-muted">{t('events.none')}</p>}
      <ol className="ft-events">
        {sorted.map((event) =>
          editing === event.id ? (
            <li key={event.id} className="ft-event editing">
              <EventForm
                owner={owner}
                event={event}
                links={links}
                onDone={() => {
                  onEditing(null);
                  onChanged();
                }}
                onCancel={() => onEditing(null)}
              />
            </li>
          ) : (
            <li key={event.id} className="ft-event" data-event-id={event.id}>
              <svg width={14} height={14} aria-hidden="true" className="ft-event-icon">
                <circle className={`tl-kind-${event.kind}`} cx={7} cy={7} r={6} />
              </svg>
              <div className="ft-event-body">
                <div>
                  <strong>{t(`events.kind.${event.kind}`)}</strong> · <time dateTime={event.date}>{formatPartialDate(event.date, i18n.language)}</time>
                  {event.place && <> · {event.place}</>}
                </div>
                {event.description && <div className="ft-event-text">{event.description}</div>}
                {onCase && event.personName && <div className="ft-muted">{t('timeline.person', { name: event.personName })}</div>}
                {!onCase && event.caseTitle && <div className="ft-muted">{t('timeline.case', { title: event.caseTitle })}</div>}
              </div>
              <div className="ft-row-actions">
                <button type="button" className="secondary small" onClick={() => onEditing(event.id)} aria-label={t('events.editOne', { kind: t(`events.kind.${event.kind}`), date: event.date })}>
                  {t('features.edit')}
                </button>
                <ConfirmButton
                  label={t('features.delete')}
                  question={t('events.confirmDelete')}
                  confirmLabel={t('features.delete')}
                  onConfirm={() => remove(event)}
                />
              </div>
            </li>
          ),
        )}
      </ol>
    </section>
  );
}
