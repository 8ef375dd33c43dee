/**
 * Whether the server can be reached, worked out without a manual switch: the browser's
 * `online`/`offline` events, plus what requests and the socket actually experience (a venue Wi-Fi can
 * be "online" with no route to the server).
 */
export type ConnectivityState = { browserOnline: boolean; serverReachable: boolean };

type Listener = (state: ConnectivityState) => void;

export class Connectivity {
  private state: ConnectivityState;
  private readonly listeners = new Set<Listener>();
  private readonly detach: () => void;

  constructor(
    target: Pick<Window, 'addEventListener' | 'removeEventListener'> | undefined = globalThis.window,
  ) {
    const nav = globalThis.navigator as Navigator | undefined;
    const initial = nav?.onLine ?? true;
    this.state = { browserOnline: initial, serverReachable: initial };
    const onOnline = () => this.set({ browserOnline: true });
    const onOffline = () => this.set({ browserOnline: false, serverReachable: false });
    target?.addEventListener('online', onOnline);
    target?.addEventListener('offline', onOffline);
    this.detach = () => {
      target?.removeEventListener('online', onOnline);
      target?.removeEventListener('offline', onOffline);
    };
  }

  get current(): ConnectivityState {
    return this.state;
  }

  /** True when it is worth trying a request at all. */
  get canTry(): boolean {
    return this.state.browserOnline;
  }

  get isOnline(): boolean {
    return this.state.browserOnline && this.state.serverReachable;
  }

  /** A request or the socket got through. The browser's own offline flag is left to its events. */
  reportSuccess(): void {
    this.set({ serverReachable: true });
  }

  reportNetworkFailure(): void {
    this.set({ serverReachable: false });
  }

  /** Test and debugging hook: what the `online`/`offline` events would do. */
  setBrowserOnline(online: boolean): void {
    this.set(online ? { browserOnline: true } : { browserOnline: false, serverReachable: false });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.detach();
    this.listeners.clear();
  }

  private set(patch: Partial<ConnectivityState>): void {
    const next = { ...this.state, ...patch };
    if (
      next.browserOnline === this.state.browserOnline &&
      next.serverReachable === this.state.serverReachable
    )
      return;
    this.state = next;
    for (const l of this.listeners) l(next);
  }
}
