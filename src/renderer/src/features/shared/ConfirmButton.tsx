import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button for something that cannot be undone: the first press asks, inline, with the question
 * and the means to go on or not (focus moves to "Cancel", so Enter twice never deletes by chance).
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  className = 'secondary small',
  disabled = false,
  children,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  className?: string;
  disabled?: boolean;
  /** More to choose before going on (a checkbox "also take the case off its documents"). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) cancel.current?.focus();
    else if (wasAsking.current) opener.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button ref={opener} type="button" className={className} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span
      className="ft-confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          setAsking(false);
        }
      }}
    >
      <span className="ft-confirm-question">{question}</span>
      {children}
      <button
        type="button"
        className="small danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button ref={cancel} type="button" className="secondary small" onClick={() => setAsking(false)}>
        {t('features.cancel')}
      </button>
    </span>
  );
}
