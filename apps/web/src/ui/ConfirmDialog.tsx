import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A native <dialog>: focus trap, Esc to close and the backdrop come from the browser. */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  body?: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal?.();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onCancel}
      aria-labelledby="confirm-title"
      style={{ border: 0, borderRadius: 20, padding: 24, width: 'min(92vw, 400px)' }}
    >
      <h2 id="confirm-title">{title}</h2>
      {body && <p className="muted">{body}</p>}
      <div className="row" style={{ justifyContent: 'flex-end', marginTop: 16 }}>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('action.cancel')}
        </button>
        <button type="button" className={danger ? 'btn btn-danger' : 'btn'} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
