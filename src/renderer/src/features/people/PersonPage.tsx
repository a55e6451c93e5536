import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentPersonRole, type Person, type PersonDetails, type PersonRole, personRoles } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { filterOf } from '../../query-text.ts';
import { EventsSection, type LinkOption } from '../cases/Events.tsx';
import { nav } from '../nav.ts';
import { ExportButton } from '../bundles/ExportButton.tsx';
import { ConfirmButton } from '../shared/ConfirmButton.tsx';
import { DocumentRows } from '../shared/DocumentRows.tsx';
import { PageFrame } from '../shared/PageFrame.tsx';
import type { PageContext } from '../shared/context.ts';
import { errorText, useLoaded } from '../shared/util.ts';
import { Timeline } from '../timeline/Timeline.tsx';

interface Form {
  name: string;
  variants: string[];
  roles: PersonRole[];
  notes: string;
}

const formOf = (person: Person | null): Form => ({
  name: person?.name ?? '',
  variants: person ? [...person.variants] : [],
  roles: person ? [...person.roles] : [],
  notes: person?.notes ?? '',
});

const tidy = (form: Form): Form => ({
  name: form.name.trim(),
  variants: form.variants.map((v) => v.trim()).filter((v) => v !== ''),
  roles: form.roles,
  notes: form.notes,
});

const same = (a: Form, b: Form): boolean => JSON.stringify(tidy(a)) === JSON.stringify(tidy(b));

/**
 * A person's record: the name, its other spellings (in other scripts: they feed the search's
 * transliteration), roles and notes; then their timeline, events and documents.
 */
function PersonForm({ person, onSaved, ctx }: { person: Person | null; onSaved: (person: Person) => void; ctx: PageContext }) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<Form>(() => formOf(person));
  const [problem, setProblem] = useState<string | null>(null);
  const [nameProblem, setNameProblem] = useState(false);
  const [saving, setSaving] = useState(false);
  const variantRefs = useRef<(HTMLInputElement | null)[]>([]);
  const focusVariant = useRef<number | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const dirty = !same(form, formOf(person));

  useEffect(() => {
    if (focusVariant.current !== null) {
      variantRefs.current[focusVariant.current]?.focus();
      focusVariant.current = null;
    }
  });
  useEffect(() => {
    if (!person) nameRef.current?.focus();
  }, [person]);

  const save = (): void => {
    const clean = tidy(form);
    if (clean.name === '') {
      setNameProblem(true);
      nameRef.current?.focus();
      return;
    }
    setSaving(true);
    setProblem(null);
    api['people.save']({ id: person?.id ?? null, ...clean })
      .then((saved) => {
        setSaving(false);
        setForm(formOf(saved));
        nav.changed();
        onSaved(saved);
      })
      .catch((e: unknown) => {
        setSaving(false);
        setProblem(errorText(t, e, 'people.conflict'));
      });
  };

  return (
    <form
      className="ft-card ft-form"
      aria-label={t('people.formLabel')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="ft-grid">
        <label htmlFor={`${id}-name`}>{t('people.name')}</label>
        <div>
          <input
            id={`${id}-name`}
            ref={nameRef}
            type="text"
            value={form.name}
            required
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby={nameProblem ? `${id}-name-error` : undefined}
            onChange={(e) => {
              setForm({ ...form, name: e.target.value });
              if (nameProblem && e.target.value.trim() !== '') setNameProblem(false);
            }}
          />
          {nameProblem && (
            <p id={`${id}-name-error`} className="ft-error" role="alert">
              {t('people.nameRequired')}
            </p>
          )}
        </div>

        <span id={`${id}-variants-label`}>{t('people.variants')}</span>
        <div role="group" aria-labelledby={`${id}-variants-label`} aria-describedby={`${id}-variants-hint`}>
          <ul className="ft-variants">
            {form.variants.map((variant, i) => (
              <li key={i}>
                <input
                  ref={(element) => {
                    variantRefs.current[i] = element;
                  }}
                  type="text"
                  value={variant}
                  aria-label={t('people.variantN', { n: i + 1 })}
                  onChange={(e) => setForm({ ...form, variants: form.variants.map((v, j) => (j === i ? e.target.value : v)) })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      focusVariant.current = i + 1;
                      if (i === form.variants.length - 1) setForm({ ...form, variants: [...form.variants, ''] });
                      else variantRefs.current[i + 1]?.focus();
                    }
                  }}
                />
                <button
                  type="button"
                  className="secondary small"
                  aria-label={t('people.removeVariant', { variant: variant || t('people.variantN', { n: i + 1 }) })}
                  title={t('people.removeVariant', { variant: variant || t('people.variantN', { n: i + 1 }) })}
                  onClick={() => {
                    focusVariant.current = Math.max(0, i - 1);
                    setForm({ ...form, variants: form.variants.filter((_, j) => j !== i) });
                  }}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              focusVariant.current = form.variants.length;
              setForm({ ...form, variants: [...form.variants, ''] });
            }}
          >
            {t('people.addVariant')}
          </button>
          <p id={`${id}-variants-hint`} className="ft-hint">
            {t('people.variantsHint')}
          </p>
        </div>

        <span id={`${id}-roles-label`}>{t('people.roles')}</span>
        <div role="group" aria-labelledby={`${id}-roles-label`} className="ft-checks">
          {personRoles.map((role) => (
            <label key={role} className="ft-check">
              <input
                type="checkbox"
                checked={form.roles.includes(role)}
                onChange={(e) => setForm({ ...form, roles: e.target.checked ? personRoles.filter((r) => r === role || form.roles.includes(r)) : form.roles.filter((r) => r !== role) })}
              />
              {t(`people.role.${role}`)}
            </label>
          ))}
        </div>

        <label htmlFor={`${id}-notes`}>{t('people.notes')}</label>
        <textarea id={`${id}-notes`} rows={3} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />
      </div>
      {problem && (
        <p className="ft-error" role="alert">
          {problem}
        </p>
      )}
      <div className="ft-actions">
        <button type="submit" disabled={saving || (!dirty && person !== null)}>
          {person ? t('features.save') : t('people.create')}
        </button>
        {person && dirty && (
          <button type="button" className="secondary" onClick={() => setForm(formOf(person))}>
            {t('features.revert')}
          </button>
        )}
        <span className="ft-hint" role="status">
          {saving ? t('features.saving') : dirty ? t('features.unsaved') : person ? t('features.allSaved') : ''}
        </span>
        {person && (
          <span className="ft-push">
            <ConfirmButton
              label={t('people.delete')}
              question={t('people.confirmDelete', { name: person.name })}
              confirmLabel={t('features.delete')}
              onConfirm={() => {
                api['people.delete']({ id: person.id })
                  .then(() => {
                    nav.changed();
                    nav.close();
                  })
                  .catch(ctx.onError);
              }}
            />
          </span>
        )}
      </div>
    </form>
  );
}

const roleLabel = (t: (key: string) => string, role: DocumentPersonRole): string => t(`people.linkRole.${role}`);

/** A person's page; a new person's when id is null. */
export function PersonPage({ id, ctx }: { id: string | null; ctx: PageContext }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const { data, reload, setData } = useLoaded(
    async () => {
      if (id === null) return null;
      const [person, timeline, cases] = await Promise.all([
        api['people.get']({ id }),
        api['timeline.get']({ personId: id }),
        api['cases.list']({}),
      ]);
      return { person, timeline, cases: cases.items.map((c): LinkOption => ({ id: c.id, label: c.title })) };
    },
    [id],
    ctx.onError,
  );
  useEffect(() => setEditing(null), [id]);

  const person: PersonDetails | null = data?.person ?? null;
  const heading = id === null ? t('people.new') : (person?.name ?? '…');

  const unlink = (documentId: string, role: DocumentPersonRole): void => {
    if (!person) return;
    api['people.unlink']({ personId: person.id, documentId, role })
      .then(() => reload())
      .catch(ctx.onError);
  };

  return (
    <PageFrame
      kind={t('people.kind')}
      heading={heading}
      focusKey={`person-${id ?? 'new'}`}
      actions={
        person && (
          <>
            <button type="button" className="secondary small" onClick={() => ctx.search(filterOf('person', person.name))}>
              {t('people.searchDocuments')}
            </button>
            <ExportButton target={{ selection: { type: 'person', id: person.id }, count: person.documents.length, name: person.name }} />
          </>
        )
      }
    >
      {id === null ? (
        <PersonForm person={null} ctx={ctx} onSaved={(saved) => nav.open({ type: 'person', id: saved.id })} />
      ) : person && data ? (
        <>
          <PersonForm
            key={person.id}
            person={person}
            ctx={ctx}
            onSaved={(saved) => {
              setData({ ...data, person: { ...person, ...saved } });
              reload();
            }}
          />
          <section className="ft-section" aria-labelledby="person-timeline-heading">
            <h3 id="person-timeline-heading">{t('timeline.heading')}</h3>
            <Timeline
              items={data.timeline}
              label={t('timeline.of', { name: person.name })}
              onOpenDocument={(doc) => ctx.openDocument(doc.id, person.name)}
              onSelectEvent={(eventId) => setEditing(eventId)}
            />
          </section>
          <EventsSection
            owner={{ personId: person.id }}
            events={data.timeline.flatMap((item) => (item.type === 'event' ? [item.event] : []))}
            links={data.cases}
            editing={editing}
            onEditing={setEditing}
            onChanged={reload}
            onError={ctx.onError}
          />
          <section className="ft-section" aria-labelledby="person-documents-heading">
            <h3 id="person-documents-heading">{t('people.documents', { count: person.documents.length })}</h3>
            {person.documents.length === 0 ? (
              <p className="ft-muted">{t('people.noDocuments')}</p>
            ) : (
              <DocumentRows
                documents={person.documents}
                onOpen={(doc) => ctx.openDocument(doc.id, person.name)}
                extra={(doc) => {
                  const linked = person.documents.find((d) => d.id === doc.id);
                  if (!linked) return null;
                  return (
                    <span className="ft-links">
                      {linked.namedAs.map((as) => (
                        <span key={as} className="ft-chip">
                          {t(`people.namedAs.${as}`)}
                        </span>
                      ))}
                      {linked.linkedRoles.map((role) => (
                        <span key={role} className="ft-chip linked">
                          {roleLabel(t, role)}
                          <button
                            type="button"
                            className="ft-chip-remove"
                            aria-label={t('people.unlinkRole', { role: roleLabel(t, role), title: doc.title })}
                            title={t('people.unlinkRole', { role: roleLabel(t, role), title: doc.title })}
                            onClick={() => unlink(doc.id, role)}
                          >
                            ×
                          </button>
                        </span>
                      ))}
                    </span>
                  );
                }}
              />
            )}
          </section>
        </>
      ) : (
        <p className="ft-muted">{t('features.loading')}</p>
      )}
    </PageFrame>
  );
}
