import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndexStatus } from '../../../shared/reports.ts';
import { api } from '../api.ts';

const POLL_MS = 1500;

interface Props {
  status: IndexStatus;
  /** The rebuild moved on, was paused or resumed: the app keeps the latest status. */
  onStatus: (status: IndexStatus) => void;
  /** Offered once the rebuild is done, when a search is on screen: its results may have been partial. */
  onRerun: (() => void) | null;
  onClose: () => void;
  onError: (error: unknown) => void;
}

/**
 * Shown while the search index is being rebuilt, whatever is on screen: searches may miss the
 * documents not reached yet. Follows the rebuild (n of m), pauses and resumes it, and once it is
 * done offers to run the search shown again.
 */
export function IndexingNote({ status, onStatus, onRerun, onClose, onError }: Props) {
  const { t } = useTranslation();
  const [working, setWorking] = useState(false);

  // A paused rebuild is followed too: an export may finish it, or another window resume it.
  useEffect(() => {
    if (status.current) return;
    let stopped = false;
    const timer = setTimeout(() => {
      api['search.index.status']({})
        .then((next) => {
          if (!stopped) onStatus(next);
        })
        // The note only informs: a failed poll leaves it as it was.
        .catch(() => undefined);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [status, onStatus]);

  const act = (method: 'search.index.pause' | 'search.index.resume'): void => {
    setWorking(true);
    api[method]({})
      .then((next) => {
        setWorking(false);
        onStatus(next);
      })
      .catch((e: unknown) => {
        setWorking(false);
        onError(e);
      });
  };

  if (status.current) {
    return (
      <p className="indexing-note" role="status">
        {t('indexing.finished')}{' '}
        {onRerun && (
          <button type="button" className="link" onClick={onRerun}>
            {t('indexing.rerun')}
          </button>
        )}{' '}
        <button type="button" className="link" onClick={onClose}>
          {t('action.close')}
        </button>
      </p>
    );
  }
  const counts = { done: status.done, count: status.total };
  const stopped = Boolean(status.paused || status.failure);
  return (
    <p className={`indexing-note${stopped ? ' paused' : ''}`} role="status" data-testid="indexing-note">
      <span>
        {status.failure
          ? t('indexing.failed', { ...counts, reason: t(`error.${status.failure.code}`, { defaultValue: status.failure.message }) })
          : status.paused
            ? t('indexing.paused', counts)
            : t('indexing.running', counts)}
      </span>{' '}
      <progress max={Math.max(status.total, 1)} value={status.done} aria-hidden="true" />{' '}
      <button type="button" className="secondary small" disabled={working} onClick={() => act(stopped ? 'search.index.resume' : 'search.index.pause')}>
        {stopped ? t('indexing.resume') : t('indexing.pause')}
      </button>
    </p>
  );
}
