import { type ComponentType, lazy as reactLazy, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { Loading } from '../ui/states.tsx';
import { OrganizerLayout } from './OrganizerLayout.tsx';
import { PublicLayout } from './PublicLayout.tsx';
import { RequireAuth } from './RequireAuth.tsx';

/**
 * Turns `lazy` route objects into elements rendered through React.lazy + Suspense, for the
 * declarative router (see App.tsx). Route files keep the data-router shape.
 */
export function toElementRoutes(list: RouteObject[]): RouteObject[] {
  return list.map((route) => {
    const { lazy, children, ...rest } = route;
    const out = { ...rest } as RouteObject;
    if (typeof lazy === 'function') {
      const load = lazy as () => Promise<{ Component?: ComponentType | null }>;
      const Screen = reactLazy(async () => {
        const { Component } = await load();
        if (!Component) throw new Error(`route ${route.path ?? ''} has no Component`);
        return { default: Component };
      });
      out.element = (
        <Suspense fallback={<Loading />}>
          <Screen />
        </Suspense>
      );
    }
    if (children) (out as { children?: RouteObject[] }).children = toElementRoutes(children);
    return out;
  });
}

/**
 * Every screen is a lazy route so the public registration page downloads only what it needs.
 * `page(() => import('…'), 'ExportName')` turns a named export into a route component.
 */
export function page<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string) {
  return async () => ({ Component: (await load())[name] as ComponentType });
}

/** Public pages: no sign-in, small bundle, a language switch but no navigation. */
const publicRoutes: RouteObject[] = [
  {
    path: '/e/:code',
    lazy: page(() => import('../features/public/RegistrationPage.tsx'), 'RegistrationPage'),
  },
  {
    path: '/e/:code/done',
    lazy: page(() => import('../features/public/RegistrationDonePage.tsx'), 'RegistrationDonePage'),
  },
  { path: '/m/:token', lazy: page(() => import('../features/public/ManagePage.tsx'), 'ManagePage') },
  {
    path: '/drawings/:id/verify',
    lazy: page(() => import('../features/drawings/VerifyPage.tsx'), 'VerifyPage'),
  },
  { path: '/login', lazy: page(() => import('../features/auth/LoginPage.tsx'), 'LoginPage') },
  { path: '/signup', lazy: page(() => import('../features/auth/SignupPage.tsx'), 'SignupPage') },
  // Links e-mailed to people open these, often in a fresh browser: none needs a session first.
  {
    path: '/verify-email/:token',
    lazy: page(() => import('../features/account/VerifyEmailPage.tsx'), 'VerifyEmailPage'),
  },
  {
    path: '/forgot-password',
    lazy: page(() => import('../features/account/ForgotPasswordPage.tsx'), 'ForgotPasswordPage'),
  },
  {
    path: '/reset-password/:token',
    lazy: page(() => import('../features/account/ResetPasswordPage.tsx'), 'ResetPasswordPage'),
  },
  {
    path: '/invitations/:token',
    lazy: page(() => import('../features/account/InvitationPage.tsx'), 'InvitationPage'),
  },
  { path: '/terms', lazy: page(() => import('../features/account/LegalPage.tsx'), 'TermsPage') },
  { path: '/privacy', lazy: page(() => import('../features/account/LegalPage.tsx'), 'PrivacyPage') },
];

/** Signed-in pages inside the organizer chrome (top bar, bottom tabs). */
const organizerRoutes: RouteObject[] = [
  { path: '/', lazy: page(() => import('../features/dashboard/DashboardPage.tsx'), 'DashboardPage') },
  {
    path: '/events/new',
    lazy: page(() => import('../features/events/EventEditorPage.tsx'), 'EventEditorPage'),
  },
  {
    path: '/events/:id',
    lazy: page(() => import('../features/events/EventDetailPage.tsx'), 'EventDetailPage'),
  },
  {
    path: '/events/:id/edit',
    lazy: page(() => import('../features/events/EventEditorPage.tsx'), 'EventEditorPage'),
  },
  {
    path: '/events/:id/participants',
    lazy: page(() => import('../features/participants/ParticipantsPage.tsx'), 'ParticipantsPage'),
  },
  { path: '/settings', lazy: page(() => import('../features/settings/SettingsPage.tsx'), 'SettingsPage') },
  { path: '/pricing', lazy: page(() => import('../features/billing/PricingPage.tsx'), 'PricingPage') },
  {
    path: '/settings/subscription',
    lazy: page(() => import('../features/billing/SubscriptionPage.tsx'), 'SubscriptionPage'),
  },
  {
    path: '/billing/success',
    lazy: page(() => import('../features/billing/CheckoutResultPages.tsx'), 'PaymentSuccessPage'),
  },
  {
    path: '/billing/fail',
    lazy: page(() => import('../features/billing/CheckoutResultPages.tsx'), 'PaymentFailPage'),
  },
  {
    path: '/billing/card',
    lazy: page(() => import('../features/billing/CheckoutResultPages.tsx'), 'CardRegisteredPage'),
  },
  {
    path: '/events/:id/checkin',
    lazy: page(() => import('../features/checkin/CheckinPage.tsx'), 'CheckinPage'),
  },
  {
    path: '/events/:id/drawings',
    lazy: page(() => import('../features/drawings/DrawingsPage.tsx'), 'DrawingsPage'),
  },
];

/** Signed-in pages without the chrome (full screen). */
const fullScreenRoutes: RouteObject[] = [
  {
    path: '/events/:id/drawings/projector',
    lazy: page(() => import('../features/drawings/ProjectorPage.tsx'), 'ProjectorPage'),
  },
];

export const routes: RouteObject[] = [
  {
    children: [
      { element: <PublicLayout />, children: publicRoutes },
      {
        element: <RequireAuth />,
        children: [{ element: <OrganizerLayout />, children: organizerRoutes }, ...fullScreenRoutes],
      },
      { path: '*', lazy: page(() => import('./NotFoundPage.tsx'), 'NotFoundPage') },
    ],
  },
];
