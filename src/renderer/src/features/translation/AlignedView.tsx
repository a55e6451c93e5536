import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlignedParagraphs, TranslationExportFormat } from '../../../../shared/entities.ts';
import { api } from '../../api.ts';
import { languageName } from '../../format.ts';
import { capitalised } from '../shared/util.ts';
import { nav } from '../nav.ts';
import type { PageContext } from '../shared/context.ts';
import { PageFrame } from '../shared/PageFrame.tsx';
import { downloadFile } from '../shared/util.ts';
import './translation.css';

/**
 * An original and its translation side by side, paragraph by paragraph: for checking a
 * translation, or reading a letter with its English beside it. A translation made in the app
 * pairs each paragraph with the one it translates; an imported one pairs them in order.
 */
export function AlignedView({ originalId, translationId, ctx }: { originalId: string; translationId: string; ctx: PageContext }) {
  const { t, i18n } = useTranslation();
  const [aligned, setAligned] = useState<AlignedParagraphs | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stale = false;
    setAligned(null);
    api['translations.aligned']({ originalId, translationId })
      .then((found) => {
        if (!stale) setAligned(found);
      })
      .catch(ctx.onError);
    return () => {
      stale = true;
    };
  }, [originalId, translationId, ctx.onError]);

  const exportAs = (format: TranslationExportFormat): void => {
    setBusy(true);
    api['translations.export']({ id: translationId, format })
      .then(downloadFile)
      .catch(ctx.onError)
      .finally(() => setBusy(false));
  };

  const source = aligned?.original.language ?? 'und';
  const target = aligned?.translation.language ?? 'und';
  return (
    <PageFrame
      kind={t('translation.alignedKind')}
      heading={aligned ? aligned.original.title : '…'}
      headingLang={aligned?.original.language}
      focusKey={`aligned-${translationId}`}
      className="tr-page"
      actions={
        aligned && (
          <>
            {aligned.translation.inApp && (
              <button type="button" className="small" onClick={() => nav.open({ type: 'translate', originalId, translationId })}>
                {t('translation.continue')}
              </button>
            )}
            <button type="button" className="secondary small" disabled={busy} onClick={() => exportAs('docx')}>
              {t('translation.exportDocx')}
            </button>
            <button type="button" className="secondary small" disabled={busy} onClick={() => exportAs('txt')}>
              {t('translation.exportTxt')}
            </button>
          </>
        )
      }
    >
      {!aligned ? (
        <p className="ft-muted">{t('features.loading')}</p>
      ) : (
        <>
          <div className="tr-toolbar">
            <span>
              {t('translation.alignedSummary', {
                language: languageName(target, i18n.language),
                status: aligned.translation.status ? t(`translation.statusValue.${aligned.translation.status}`) : '—',
              })}
            </span>
            {aligned.translation.translator && <span className="ft-hint">{t('translation.by', { name: aligned.translation.translator })}</span>}
            <span className="ft-hint">{t('translation.progress', { done: aligned.progress.done, count: aligned.progress.total, percent: aligned.progress.total ? Math.round((aligned.progress.done / aligned.progress.total) * 100) : 0 })}</span>
            <span className="ft-push">
              <button type="button" className="link" lang={source} onClick={() => ctx.openDocument(originalId, aligned.original.title)}>
                {t('translation.openOriginal')}
              </button>{' '}
              ·{' '}
              <button type="button" className="link" onClick={() => ctx.openDocument(translationId, aligned.original.title)}>
                {t('translation.openTranslation')}
              </button>
            </span>
          </div>
          <table className="tr-aligned">
            <caption className="visually-hidden">{t('translation.alignedCaption', { title: aligned.original.title })}</caption>
            <thead>
              <tr>
                <th scope="col" className="tr-num">
                  <span className="visually-hidden">{t('translation.paragraphNumber')}</span>
                </th>
                <th scope="col">
                  {capitalised(languageName(source, i18n.language), i18n.language)} <span className="ft-hint">· {t('translation.originalShort')}</span>
                </th>
                <th scope="col" lang={i18n.language}>
                  {capitalised(languageName(target, i18n.language), i18n.language)} <span className="ft-hint">· <span lang={target}>{aligned.translation.title}</span></span>
                </th>
              </tr>
            </thead>
            <tbody>
              {aligned.pairs.map((pair) => (
                <tr key={pair.index}>
                  <th scope="row" className="tr-num">
                    {pair.index + 1}
                  </th>
                  <td lang={source}>{pair.original?.text ?? <span className="ft-muted">—</span>}</td>
                  <td lang={target} className={pair.translation ? '' : 'tr-missing'}>
                    {pair.translation?.text ?? <span className="ft-muted" lang={i18n.language}>{t('translation.notYet')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </PageFrame>
  );
}
