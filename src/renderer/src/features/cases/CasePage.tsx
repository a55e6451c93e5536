import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Case, Charge } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { filterOf } from '../../query-text.ts';
import { nav } from '../nav.ts';
import { ExportButton } from '../bundles/ExportButton.tsx';
import { ConfirmButton } from '../shared/ConfirmButton.tsx';
import type { PageContext } from '../shared/context.ts';
import { DocumentRows } from '../shared/DocumentRows.tsx';
import { PageFrame } from '../shared/PageFrame.tsx';
import { errorText, useLoaded } from '../shared/util.ts';
import { Timeline } from '../timeline/Timeline.tsx';
import { EventsSection, type LinkOption } from './Events.tsx';

interface Form {
  title: string;
  court: string;
  charges: Charge[];
  notes: string;
}

const formOf = (record: Case | null, title = ''): Form => ({
  title: record?.title ?? title,
  court: record?.court ?? '',
  charges: record ? record.charges.map((c) => ({ ...c })) : [],
  notes: record?.notes ?? '',
});

const tidy = (form: Form): Form => ({
  title: form.title.trim(),
  court: form.court.trim(),
  // A charge row left empty is not a charge.
  charges: form.charges
    .map((c) => ({ article: c.article.trim(), code: c.code.trim(), description: c.description }))
    .filter((c) => c.article !== '' || c.code !== '' || c.description.trim() !== ''),
  notes: form.notes,
});

function CaseForm({ record, initialTitle, onSaved, ctx }: { record: Case | null; initialTitle: string; onSaved: (saved: Case) => void; ctx: PageContext }) {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<Form>(() => formOf(record, initialTitle));
  const [titleProblem, setTitleProblem] = useState(false);
  const [articleProblems, setArticleProblems] = useState<number[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [detach, setDetach] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  const focusCharge = useRef<number | null>(null);
  const dirty = JSON.stringify(tidy(form)) !== JSON.stringify(tidy(formOf(record, initialTitle))) || record === null;

  useEffect(() => {
    if (!record) titleRef.current?.focus();
  }, [record]);
  useEffect(() => {
    if (focusCharge.current === null) return;
    document.getElementById(`${id}-article-${focusCharge.current}`)?.focus();
    focusCharge.current = null;
  });

  const setCharge = (i: number, field: keyof Charge, value: string): void => {
    setForm({ ...form, charges: form.charges.map((c, j) => (j === i ? { ...c, [field]: value } : c)) });
    if (field === 'article' && value.trim() !== '') setArticleProblems((p) => p.filter((x) => x !== i));
  };

  const save = (): void => {
    const clean = tidy(form);
    const noTitle = clean.title === '';
    // A charge needs its article ("205.2(2)"); its code and description may wait.
    const noArticle = form.charges.flatMap((c, i) => (c.article.trim() === '' && (c.code.trim() !== '' || c.description.trim() !== '') ? [i] : []));
    setTitleProblem(noTitle);
    setArticleProblems(noArticle);
    if (noTitle) {
      titleRef.current?.focus();
      return;
    }
    if (noArticle.length > 0) {
      document.getElementById(`${id}-article-${noArticle[0]}`)?.focus();
      return;
    }
    setSaving(true);
    setProblem(null);
    api['cases.save']({ id: record?.id ?? null, ...clean })
      .then((saved) => {
        setSaving(false);
        setForm(formOf(saved));
        nav.changed();
        // A new title is written into every document of the case.
        if (record && record.title !== saved.title) ctx.onArchiveChanged();
        onSaved(saved);
      })
      .catch((e: unknown) => {
        setSaving(false);
        setProblem(errorText(t, e, 'cases.conflict'));
      });
  };

  return (
    <form
      className="ft-card ft-form"
      aria-label={t('cases.formLabel')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="ft-grid">
        <label htmlFor={`${id}-title`}>{t('cases.title')}</label>
        <div>
          <input
            id={`${id}-title`}
            ref={titleRef}
            type="text"
            value={form.title}
            required
            aria-invalid={titleProblem ? true : undefined}
            aria-describedby={titleProblem ? `${id}-title-error` : `${id}-title-hint`}
            onChange={(e) => {
              setForm({ ...form, title: e.target.value });
              if (titleProblem && e.target.value.trim() !== '') setTitleProblem(false);
            }}
          />
          {titleProblem ? (
            <p id={`${id}-title-error`} className="ft-error" role="alert">
              {t('cases.titleRequired')}
            </p>
          ) : (
            <p id={`${id}-title-hint`} className="ft-hint">
              {t('cases.titleHint')}
            </p>
          )}
        </div>

        <label htmlFor={`${id}-court`}>{t('cases.court')}</label>
        <input id={`${id}-court`} type="text" value={form.court} onChange={(e) => setForm({ ...form, court: e.target.value })} />

        <span id={`${id}-charges-label`}>{t('cases.charges')}</span>
        <div role="group" aria-labelledby={`${id}-charges-label`}>
          {form.charges.length > 0 && (
            <table className="ft-charges">
              <thead>
                <tr>
                  <th scope="col">{t('cases.article')}</th>
                  <th scope="col">{t('cases.code')}</th>
                  <th scope="col">{t('cases.chargeDescription')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('cases.chargeActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {form.charges.map((charge, i) => (
                  <tr key={i}>
                    <td>
                      <input
                        id={`${id}-article-${i}`}
                        type="text"
                        className="ft-article"
                        value={charge.article}
                        placeholder="205.2(2)"
                        aria-label={t('cases.articleN', { n: i + 1 })}
                        aria-invalid={articleProblems.includes(i) ? true : undefined}
                        aria-describedby={articleProblems.includes(i) ? `${id}-article-error-${i}` : undefined}
                        onChange={(e) => setCharge(i, 'article', e.target.value)}
                      />
                      {articleProblems.includes(i) && (
                        <p id={`${id}-article-error-${i}`} className="ft-error" role="alert">
                          {t('cases.articleRequired')}
                        </p>
                      )}
                    </td>
                    <td>
                      <input type="text" value={charge.code} placeholder={t('cases.codePlaceholder')} aria-label={t('cases.codeN', { n: i + 1 })} onChange={(e) => setCharge(i, 'code', e.target.value)} />
                    </td>
                    <td>
                      <input type="text" value={charge.description} aria-label={t('cases.descriptionN', { n: i + 1 })} onChange={(e) => setCharge(i, 'description', e.target.value)} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={t('cases.removeCharge', { n: i + 1, article: charge.article })}
                        title={t('cases.removeCharge', { n: i + 1, article: charge.article })}
                        onClick={() => {
                          focusCharge.current = form.charges.length > 1 ? Math.max(0, i - 1) : null;
                          setForm({ ...form, charges: form.charges.filter((_, j) => j !== i) });
                          setArticleProblems([]);
                        }}
                      >
                        ×
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              focusCharge.current = form.charges.length;
              setForm({ ...form, charges: [...form.charges, { article: '', code: form.charges.at(-1)?.code ?? '', description: '' }] });
            }}
          >
            {t('cases.addCharge')}
          </button>
        </div>

        <label htmlFor={`${id}-notes`}>{t('cases.notes')}</label>
        <textarea id={`${id}-notes`} rows={3} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />
      </div>
      {problem && (
        <p className="ft-error" role="alert">
          {problem}
        </p>
      )}
      <div className="ft-actions">
        <button type="submit" disabled={saving || !dirty}>
          {record ? t('features.save') : t('cases.create')}
        </button>
        {record && dirty && (
          <button type="button" className="secondary" onClick={() => setForm(formOf(record))}>
            {t('features.revert')}
          </button>
        )}
        <span className="ft-hint" role="status">
          {saving ? t('features.saving') : record ? (dirty ? t('features.unsaved') : t('features.allSaved')) : ''}
        </span>
        {record && (
          <span className="ft-push">
            <ConfirmButton
              label={t('cases.delete')}
              question={t('cases.confirmDelete', { title: record.title })}
              confirmLabel={t('features.delete')}
              onConfirm={() => {
                api['cases.delete']({ id: record.id, detachDocuments: detach })
                  .then(() => {
                    nav.changed();
                    ctx.onArchiveChanged();
                    nav.close();
                  })
                  .catch(ctx.onError);
              }}
            >
              <label className="ft-check">
                <input type="checkbox" checked={detach} onChange={(e) => setDetach(e.target.checked)} />
                {t('cases.detach')}
              </label>
            </ConfirmButton>
          </span>
        )}
      </div>
    </form>
  );
}

/** A case's page (a new case's when id is null; `title` fills in the title of an unrecorded case). */
export function CasePage({ id, title = '', ctx }: { id: string | null; title?: string; ctx: PageContext }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const { data, reload } = useLoaded(
    async () => {
      if (id === null) return null;
      const [record, timeline, people] = await Promise.all([
        api['cases.get']({ id }),
        api['timeline.get']({ caseId: id }),
        api['people.list']({ prefix: '', offset: 0, limit: 1000 }),
      ]);
      return { record, timeline, people: people.items.map((p): LinkOption => ({ id: p.id, label: p.name })) };
    },
    [id],
    ctx.onError,
  );
  useEffect(() => setEditing(null), [id]);
  const record = data?.record ?? null;

  return (
    <PageFrame
      kind={t('cases.kind')}
      heading={id === null ? t('cases.new') : (record?.title ?? '…')}
      focusKey={`case-${id ?? 'new'}`}
      actions={
        record && (
          <>
            <button type="button" className="secondary small" onClick={() => ctx.search(filterOf('case', record.title))}>
              {t('cases.searchDocuments')}
            </button>
            <ExportButton target={{ selection: { type: 'case', title: record.title }, count: record.documents.length }} />
          </>
        )
      }
    >
      {id === null ? (
        <CaseForm record={null} initialTitle={title} ctx={ctx} onSaved={(saved) => nav.open({ type: 'case', id: saved.id })} />
      ) : record && data ? (
        <>
          <CaseForm key={`${record.id}-${record.updatedAt}`} record={record} initialTitle="" ctx={ctx} onSaved={() => reload()} />
          <section className="ft-section" aria-labelledby="case-timeline-heading">
            <h3 id="case-timeline-heading">{t('timeline.heading')}</h3>
            <Timeline
              items={data.timeline}
              label={t('timeline.ofCase', { title: record.title })}
              onOpenDocument={(doc) => ctx.openDocument(doc.id, record.title)}
              onSelectEvent={(eventId) => setEditing(eventId)}
            />
          </section>
          <EventsSection owner={{ caseId: record.id }} events={record.events} links={data.people} editing={editing} onEditing={setEditing} onChanged={reload} onError={ctx.onError} />
          <section className="ft-section" aria-labelledby="case-documents-heading">
            <h3 id="case-documents-heading">{t('cases.documents', { count: record.documents.length })}</h3>
            <p className="ft-hint">{t('cases.documentsHint')}</p>
            {record.documents.length === 0 ? (
              <p className="ft-muted">{t('cases.noDocuments')}</p>
            ) : (
              <DocumentRows documents={record.documents} onOpen={(doc) => ctx.openDocument(doc.id, record.title)} />
            )}
          </section>
        </>
      ) : (
        <p className="ft-muted">{t('features.loading')}</p>
      )}
    </PageFrame>
  );
}
