import type { ReactNode } from 'react';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { nav } from '../nav.ts';
import '../features.css';

/**
 * The frame of a page of issue 5: its kind ("Person", "Case"), its heading (focused when the page
 * opens, so a screen reader says where one is), its actions, and Close to go back to the documents.
 */
export function PageFrame({
  kind,
  heading,
  headingLang,
  actions,
  focusKey,
  className = '',
  toolbar,
  children,
}: {
  kind: string;
  heading: string;
  headingLang?: string | undefined;
  actions?: ReactNode;
  /** When it changes, the heading takes focus again (another person opened). */
  focusKey: string;
  className?: string;
  /** A row under the heading that stays in view (a translation's progress and save state). */
  toolbar?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  const section = useRef<HTMLElement>(null);
  const header = useRef<HTMLElement>(null);
  // How tall the sticky header is, for what sticks under it (the glossary) and for scrolling to a row.
  useLayoutEffect(() => {
    const element = header.current;
    if (!element) return;
    const observer = new ResizeObserver(() => section.current?.style.setProperty('--ft-header', `${element.offsetHeight}px`));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    ref.current?.focus();
  }, [focusKey]);
  return (
    <section ref={section} className={`feature-page ${className}`} aria-labelledby="feature-page-heading">
      <header ref={header} className="ft-page-header">
        <button type="button" className="secondary small ft-close" onClick={() => nav.close()}>
          <span aria-hidden="true">← </span>
          {t('features.backToDocuments')}
        </button>
        <div className="ft-title-block">
          <span className="ft-page-kind">{kind}</span>
          <h2 id="feature-page-heading" ref={ref} tabIndex={-1} lang={headingLang}>
            {heading}
          </h2>
        </div>
        {actions && <div className="ft-page-actions">{actions}</div>}
        {toolbar && <div className="ft-page-toolbar">{toolbar}</div>}
      </header>
      <div className="ft-page-body">{children}</div>
    </section>
  );
}
