import type { App } from '../app.ts';
import type { Platform } from '../platform/platform.ts';

export interface DemoSummary {
  email: string;
  password: string;
}

export const DEMO_EMAIL = 'demo@eventmanager.local';
export const DEMO_PASSWORD = 'demo-password-2026';

/**
 * Creates (once) a demo organizer through the public API, so the demo exercises the same code paths
 * a person does. Later modules extend this with a published event and participants.
 */
export async function seedDemo(app: App, _platform: Platform): Promise<DemoSummary> {
  const signup = await app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: '데모 주최자' },
  });
  if (signup.statusCode !== 201 && signup.statusCode !== 409) {
    throw new Error(`demo signup failed: ${signup.statusCode} ${signup.body}`);
  }
  return { email: DEMO_EMAIL, password: DEMO_PASSWORD };
}
