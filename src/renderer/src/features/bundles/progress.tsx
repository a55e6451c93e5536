import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundleProgress } from '../../../../shared/bundles.ts';
import { api } from '../../api.ts';

const POLL_MS = 250;

/**
 * How far the running bundle operation has got, polled from bundles.progress while `operation`
 * is set (the call itself answers only when it is done). What belongs to another operation, or
 * says it has ended, is not shown: the call's own answer says how it ended.
 */
export function useBundleProgress(operation: BundleProgress['operation'] | null): BundleProgress | null {
  const [progress, setProgress] = useState<BundleProgress | null>(null);
  useEffect(() => {
    setProgress(null);
    if (operation === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = (): void => {
      api['bundles.progress']({})
        .then((p) => {
          if (stopped) return;
          if (p && p.operation === operation && p.phase !== 'finished' && p.phase !== 'failed') setProgress(p);
        })
        // A poll that fails changes nothing shown; the next one may answer.
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) timer = setTimeout(poll, POLL_MS);
        });
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [operation]);
  return progress;
}

/** The running operation's phase in words, a bar (without a known total it moves on its own), and Cancel. */
export function ProgressView({
  progress,
  label,
  cancelling,
  onCancel,
}: {
  progress: BundleProgress | null;
  /** What runs: "Exporting the bundle". */
  label: string;
  cancelling: boolean;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const phase = progress?.phase ?? 'selecting';
  const counted = progress !== null && progress.total > 0;
  const words = cancelling ? t('bundles.progress.cancelling') : t(`bundles.phase.${phase}`, { done: progress?.done ?? 0, total: progress?.total ?? 0 });
  return (
    <section className="bundle-progress" aria-label={label} data-phase={phase}>
      <p className="bundle-progress-words" role="status" aria-live="polite">
        <strong>{label}</strong> · <span>{words}</span>
      </p>
      {counted ? (
        <progress max={progress.total} value={Math.min(progress.done, progress.total)} aria-label={label} />
      ) : (
        <progress aria-label={label} />
      )}
      <div className="bundle-actions">
        <button type="button" className="secondary" onClick={onCancel} disabled={cancelling}>
          {t('bundles.progress.cancel')}
        </button>
      </div>
    </section>
  );
}
