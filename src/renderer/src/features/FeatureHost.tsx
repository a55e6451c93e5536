import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CasePage } from './cases/CasePage.tsx';
import { CollectionPage } from './collections/CollectionPage.tsx';
import { DuplicatesPage } from './duplicates/DuplicatesPage.tsx';
import { nav, setAppLinks, useNav } from './nav.ts';
import { PersonPage } from './people/PersonPage.tsx';
import type { PageContext } from './shared/context.ts';
import { AlignedView } from './translation/AlignedView.tsx';
import { TranslationEditor } from './translation/TranslationEditor.tsx';
import './features.css';

interface Props {
  /** Opens a document in the document view (the app's own "open"). */
  onOpen: (id: string) => void;
  onSearch: (query: string) => void;
  /** Documents changed: the app reads its list and counts again. */
  onArchiveChanged: () => void;
  onError: (error: unknown) => void;
}

/**
 * Where the pages of issue 5 are drawn (a person, a case, a collection, a translation, the possible
 * duplicates): in place of
 * the list and the document, which come back when the page is closed or a document is opened.
 */
export function FeatureHost(props: Props) {
  const { page } = useNav();
  // The app's callbacks change at every render; the pages get one context that calls the latest.
  const latest = useRef(props);
  latest.current = props;
  const ctx = useMemo<PageContext>(
    () => ({
      openDocument: (id, from) => {
        nav.leaveFor(id, from);
        nav.close();
        latest.current.onOpen(id);
      },
      search: (query) => {
        nav.close();
        latest.current.onSearch(query);
      },
      onError: (error) => latest.current.onError(error),
      onArchiveChanged: () => latest.current.onArchiveChanged(),
    }),
    [],
  );
  useEffect(() => {
    setAppLinks({ openDocument: (id) => ctx.openDocument(id, ''), archiveChanged: ctx.onArchiveChanged });
    return () => setAppLinks(null);
  }, [ctx]);

  if (!page) return null;
  switch (page.type) {
    case 'person':
      return <PersonPage key={page.id ?? 'new'} id={page.id} ctx={ctx} />;
    case 'case':
      return <CasePage key={page.id ?? 'new'} id={page.id} title={page.title ?? ''} ctx={ctx} />;
    case 'collection':
      return <CollectionPage key={page.id} id={page.id} ctx={ctx} />;
    case 'translate':
      return <TranslationEditor key={page.translationId} originalId={page.originalId} translationId={page.translationId} ctx={ctx} />;
    case 'aligned':
      return <AlignedView key={page.translationId} originalId={page.originalId} translationId={page.translationId} ctx={ctx} />;
    case 'duplicates':
      return <DuplicatesPage ctx={ctx} />;
  }
}

/** "← Back to Miron Solovyov" above a document opened from a page of issue 5. */
export function FeatureBackLink({ documentId }: { documentId: string | null }) {
  const { t } = useTranslation();
  const { back } = useNav();
  if (!back || !back.label || back.documentId !== documentId) return null;
  return (
    <p className="ft-back">
      <button type="button" className="link" onClick={() => nav.open(back.page)}>
        <span aria-hidden="true">← </span>
        {t('features.backTo', { name: back.label })}
      </button>
    </p>
  );
}
