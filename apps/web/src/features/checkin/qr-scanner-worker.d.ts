/** The worker chunk of qr-scanner (no types shipped for the deep import). */
declare module 'qr-scanner/qr-scanner-worker.min.js' {
  export function createWorker(): Worker;
}
