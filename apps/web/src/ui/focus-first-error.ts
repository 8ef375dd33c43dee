/**
 * After a submit with errors: brings the first invalid field (else the first error message) to the
 * middle of the screen and focuses it, so on a phone the person sees what to fix instead of a
 * button that did nothing. Waits two frames: the errors are rendered by then.
 */
export function focusFirstError(root: ParentNode = document): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const target =
        root.querySelector<HTMLElement>('[aria-invalid="true"]') ??
        root.querySelector<HTMLElement>('.field-error, [role="alert"]');
      if (!target) return;
      // A message is not focusable by itself; it becomes a focus target for this jump only.
      if (target.tabIndex < 0 && !target.matches('input, select, textarea, button')) {
        target.setAttribute('tabindex', '-1');
      }
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    }),
  );
}
