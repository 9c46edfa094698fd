import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n';

/** A modal dialog (the platform's <dialog>: focus kept inside, Escape closes). */
export function Dialog({ open, title, onClose, children, testId }: { open: boolean; title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    const dialog = ref.current!;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby={testId ? `${testId}-title` : undefined} data-testid={testId}>
      {open ? (
        <>
          <h2 id={testId ? `${testId}-title` : undefined}>{title}</h2>
          {children}
          <button type="button" className="dialog-close" onClick={onClose} aria-label={t('action.close')}>
            ×
          </button>
        </>
      ) : null}
    </dialog>
  );
}
