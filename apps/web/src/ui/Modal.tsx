import { type ReactNode, useEffect, useRef } from 'react';

/** A native modal <dialog>, open while mounted; Esc and the close button call onClose. */
export function Modal({
  labelledBy,
  onClose,
  className,
  children,
}: {
  labelledBy: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={labelledBy} className={className} onClose={onClose}>
      {children}
    </dialog>
  );
}
