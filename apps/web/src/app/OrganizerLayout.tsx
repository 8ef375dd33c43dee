import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { useMe, useUpdateMe } from '../api/auth.ts';
import { useSafeLogout } from '../features/account/use-safe-logout.ts';
import { VerifyBanner } from '../features/account/VerifyBanner.tsx';
import { isAppLanguage, setLanguage } from '../i18n/index.ts';
import { Icon } from '../ui/icons.tsx';
import { Loading } from '../ui/states.tsx';
import { LanguageToggle } from './LanguageToggle.tsx';
import styles from './OrganizerLayout.module.css';

/** Top bar with the brand, language switch and sign-out; a bottom tab bar on phones. */
export function OrganizerLayout() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const updateMe = useUpdateMe();
  const navigate = useNavigate();
  const logout = useSafeLogout(() => navigate('/login'));

  // The user's saved language wins over the browser's once we know it.
  const preferred = me.data?.preferences.language;
  useEffect(() => {
    if (isAppLanguage(preferred) && preferred !== i18n.language) void setLanguage(preferred);
  }, [preferred, i18n]);

  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip}>
        {t('nav.skip')}
      </a>
      <header className={styles.top}>
        <Link to="/" className={styles.brand}>
          <img src="/icons/icon-192.png" alt="" width={28} height={28} />
          <span>eventManager</span>
        </Link>
        <nav aria-label={t('nav.main')} className={styles.desktopNav}>
          <NavLink to="/" end>
            {t('nav.events')}
          </NavLink>
          <NavLink to="/pricing">{t('nav.plans')}</NavLink>
          <NavLink to="/settings">{t('nav.settings')}</NavLink>
        </nav>
        <div className="spacer" />
        <LanguageToggle
          onChange={(lng) => {
            if (me.data) updateMe.mutate({ preferences: { language: lng } });
          }}
        />
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          disabled={logout.state.phase === 'sending'}
          onClick={logout.logout}
        >
          {t('nav.logout')}
        </button>
      </header>
      <main id="main" className={styles.main}>
        {logout.state.phase === 'sending' && (
          <p className="alert alert-info small" role="status">
            {t('account:logout.sending')}
          </p>
        )}
        {logout.state.phase === 'unsent' && (
          <div className="alert stack small" role="alert" data-testid="logout-unsent">
            <span>{t('account:logout.unsent', { count: logout.state.unsent })}</span>
            <div className="row">
              <button type="button" className="btn btn-sm" onClick={logout.logout}>
                {t('account:logout.retry')}
              </button>
              <button type="button" className="btn btn-secondary btn-sm" onClick={logout.dismiss}>
                {t('account:logout.wait')}
              </button>
            </div>
          </div>
        )}
        <VerifyBanner />
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <nav aria-label={t('nav.main')} className={styles.tabs}>
        <NavLink to="/" end>
          <Icon name="calendar" />
          {t('nav.events')}
        </NavLink>
        <NavLink to="/events/new">
          <Icon name="plus" />
          {t('nav.newEvent')}
        </NavLink>
        <NavLink to="/settings">
          <Icon name="settings" />
          {t('nav.settings')}
        </NavLink>
      </nav>
    </div>
  );
}
