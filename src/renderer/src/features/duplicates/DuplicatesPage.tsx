import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../../shared/document.ts';
import type { DuplicatePair } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { nav } from '../nav.ts';
import type { PageContext } from '../shared/context.ts';
import { PageFrame } from '../shared/PageFrame.tsx';
import { formatPartialDate } from '../timeline/dates.ts';
import './duplicates.css';

const PAGE = 50;
const pairKey = (pair: DuplicatePair): string => `${pair.document.id}/${pair.duplicateOf.id}`;

/** One side of a pair: its title (opens it), what it is, and the file it came from. */
function Side({ heading, doc, onOpen }: { heading: string; doc: DocumentSummary; onOpen: (doc: DocumentSummary) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="dup-side">
      <span className="ft-page-kind">{heading}</span>
      <button type="button" className="link ft-doc-title" lang={doc.language === 'und' ? undefined : doc.language} onClick={() => onOpen(doc)}>
        {doc.title}
      </button>
      <span className="ft-doc-meta">
        {[t(`kind.${doc.kind}`), doc.date ? formatPartialDate(doc.date, i18n.language) : t('features.undated'), doc.language === 'und' ? null : doc.language.toUpperCase()]
          .filter(Boolean)
          .join(' · ')}
      </span>
      {doc.fileName && <code className="dup-file">{doc.fileName}</code>}
    </div>
  );
}

/**
 * The possible duplicates of the archive, for an archivist to look at: each document whose text is
 * the same as one imported before, beside it. Both stay in the archive either way; "Not the same
 * document" takes the pair off this list for good.
 */
export function DuplicatesPage({ ctx }: { ctx: PageContext }) {
  const { t } = useTranslation();
  const [pairs, setPairs] = useState<DuplicatePair[] | null>(null);
  const [total, setTotal] = useState(0);
  const [status, setStatus] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = (count = PAGE): void => {
    api['duplicates.list']({ offset: 0, limit: Math.min(1000, Math.max(PAGE, count)) })
      .then((page) => {
        setPairs(page.items);
        setTotal(page.total);
      })
      .catch(ctx.onError);
  };
  useEffect(() => load(), []);

  const more = (): void => {
    api['duplicates.list']({ offset: pairs?.length ?? 0, limit: PAGE })
      .then((page) => {
        setPairs((current) => [...(current ?? []), ...page.items.filter((p) => !current?.some((c) => pairKey(c) === pairKey(p)))]);
        setTotal(page.total);
      })
      .catch(ctx.onError);
  };

  const dismiss = (pair: DuplicatePair): void => {
    api['duplicates.dismiss']({ documentId: pair.document.id, duplicateOf: pair.duplicateOf.id })
      .then(({ total: left }) => {
        setPairs((current) => current?.filter((p) => pairKey(p) !== pairKey(pair)) ?? null);
        setTotal(left);
        setStatus(t('duplicates.dismissed', { title: pair.document.title }));
        nav.changed();
        // Focus stays on the list, not on a button that is gone.
        heading.current?.focus();
      })
      .catch(ctx.onError);
  };

  const open = (doc: DocumentSummary): void => ctx.openDocument(doc.id, t('duplicates.heading'));

  return (
    <PageFrame kind={t('duplicates.kind')} heading={t('duplicates.heading')} focusKey="duplicates">
      <p className="ft-hint">{t('duplicates.hint')}</p>
      <section className="ft-section" aria-labelledby="duplicates-list-heading">
        <h3 id="duplicates-list-heading" ref={heading} tabIndex={-1}>
          {t('duplicates.pairs', { count: total })}
        </h3>
        {status && (
          <p className="ft-hint" role="status">
            {status}
          </p>
        )}
        {pairs && pairs.length === 0 && <p className="ft-muted">{t('duplicates.none')}</p>}
        {pairs && pairs.length > 0 && (
          <ul className="dup-pairs">
            {pairs.map((pair) => (
              <li key={pairKey(pair)} className="dup-pair">
                <Side heading={t('duplicates.later')} doc={pair.document} onOpen={open} />
                <span className="dup-same" aria-hidden="true">
                  =
                </span>
                <Side heading={t('duplicates.earlier')} doc={pair.duplicateOf} onOpen={open} />
                <button
                  type="button"
                  className="secondary small dup-dismiss"
                  aria-label={t('duplicates.dismissOne', { a: pair.document.title, b: pair.duplicateOf.title })}
                  onClick={() => dismiss(pair)}
                >
                  {t('duplicates.dismiss')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {pairs && pairs.length < total && (
          <button type="button" className="secondary small" onClick={more}>
            {t('duplicates.more', { shown: pairs.length, total })}
          </button>
        )}
      </section>
    </PageFrame>
  );
}
