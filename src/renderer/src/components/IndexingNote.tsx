import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndexStatus } from '../../../shared/reports.ts';
import { api } from '../api.ts';

const POLL_MS = 1500;

/**
 * Shown while the search index is being rebuilt: the results may miss documents. Follows the
 * rebuild, and once it is done offers to run the search again.
 */
export function IndexingNote({ indexing, onRerun }: { indexing: IndexStatus; onRerun: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<IndexStatus>(indexing);

  useEffect(() => {
    if (status.current) return;
    let stopped = false;
    const timer = setTimeout(() => {
      api['search.index.status']({})
        .then((next) => {
          if (!stopped) setStatus(next);
        })
        // The note only informs: a failed poll leaves it as it was.
        .catch(() => undefined);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [status]);

  return (
    <p className="indexing-note" role="status">
      {status.current ? (
        <>
          {t('indexing.finished')}{' '}
          <button type="button" className="link" onClick={onRerun}>
            {t('indexing.rerun')}
          </button>
        </>
      ) : (
        t('indexing.running', { done: status.done, count: status.total })
      )}
    </p>
  );
}
