/**
 * qr-scanner decodes in a Web Worker whose code is a separate chunk it imports on first use. The door
 * may already be offline by then (and a first visit is not yet served by the service worker), so the
 * chunk is imported as soon as the check-in screen opens; later scans find it in the module map.
 */
export function preloadScanner(): void {
  void import('qr-scanner/qr-scanner-worker.min.js').catch(() => {
    // Offline before the first load: the service worker's precache serves it on the next visit.
  });
}
