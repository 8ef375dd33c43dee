import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorState } from '../ui/states.tsx';

/** Catches a screen that throws (or a lazy chunk that fails to load) and offers a reload. */
export class RouteErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <main className="page">
          <ErrorState error={this.state.error} onRetry={() => window.location.reload()} />
        </main>
      );
    }
    return this.props.children;
  }
}
