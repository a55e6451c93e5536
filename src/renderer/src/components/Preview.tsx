import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { openPdf } from '../pdf.ts';

/** The pages of a PDF original, one at a time, drawn by pdf.js at the width of the pane. */
export function PdfPreview({ url, fileName, initialPage, onPageChange }: { url: string; fileName: string; initialPage: number | null; onPageChange?: (page: number) => void }) {
  const { t } = useTranslation();
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(initialPage ?? 1);
  const [failed, setFailed] = useState(false);
  const [width, setWidth] = useState(0);
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => setPage(initialPage ?? 1), [initialPage, url]);
  useEffect(() => onPageChange?.(page), [page, onPageChange]);

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => Promise<void>) | null = null;
    setPdf(null);
    setFailed(false);
    openPdf(url)
      .then((task) => {
        destroy = () => task.destroy();
        if (cancelled) void task.destroy();
        return task.promise;
      })
      .then((doc) => {
        if (!cancelled) setPdf(doc);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      void destroy?.();
    };
  }, [url]);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]?.contentRect.width ?? element.clientWidth)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = frame.current;
    if (!pdf || !element || width === 0) return;
    let task: RenderTask | null = null;
    let cancelled = false;
    const number = Math.min(Math.max(1, page), pdf.numPages);
    pdf
      .getPage(number)
      .then((p) => {
        if (cancelled) return;
        const base = p.getViewport({ scale: 1 });
        const viewport = p.getViewport({ scale: width / base.width });
        const ratio = window.devicePixelRatio || 1;
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${Math.floor(viewport.width)}px`;
        canvas.style.height = `${Math.floor(viewport.height)}px`;
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', t('preview.pageImage', { page: number, count: pdf.numPages, name: fileName }));
        task = p.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
        return task.promise.then(() => {
          if (!cancelled) element.replaceChildren(canvas);
        });
      })
      // A cancelled render (another page asked for) is no failure.
      .catch((error: unknown) => {
        if (!cancelled && !(error instanceof Error && error.name === 'RenderingCancelledException')) setFailed(true);
      });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, page, width, t, fileName]);

  const count = pdf?.numPages ?? 0;
  return (
    <div className="pdf-preview">
      <div className="preview-tools" role="toolbar" aria-label={t('preview.pdfTools')}>
        <button type="button" className="secondary small" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={!pdf || page <= 1} aria-label={t('preview.previous')} title={t('preview.previous')}>
          ‹
        </button>
        <span className="page-count" aria-live="polite">
          {pdf ? t('preview.page', { page: Math.min(page, count), count }) : failed ? '' : t('preview.loading')}
        </span>
        <button type="button" className="secondary small" onClick={() => setPage((p) => Math.min(count, p + 1))} disabled={!pdf || page >= count} aria-label={t('preview.next')} title={t('preview.next')}>
          ›
        </button>
      </div>
      {failed && <p className="preview-note">{t('preview.failed')}</p>}
      <div ref={frame} className="pdf-page" data-page={page} />
    </div>
  );
}

/** An image original (a scan, a photograph of a letter), whole, at most the pane's width. */
export function ImagePreview({ url, fileName }: { url: string; fileName: string }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [url]);
  if (failed) return <p className="preview-note">{t('preview.failed')}</p>;
  return (
    <div className="image-preview">
      <img src={url} alt={t('preview.imageAlt', { name: fileName })} onError={() => setFailed(true)} />
    </div>
  );
}
