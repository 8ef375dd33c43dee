import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { Loading } from '../ui/states.tsx';
import { LanguageToggle } from './LanguageToggle.tsx';

/** Public pages: no navigation, just the content and a language switch in the corner. */
export function PublicLayout() {
  return (
    <>
      <div style={{ position: 'absolute', top: 10, right: 12, zIndex: 2 }}>
        <LanguageToggle />
      </div>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}
