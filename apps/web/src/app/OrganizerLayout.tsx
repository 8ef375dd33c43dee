import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { useLogout, useMe, useUpdateMe } from '../api/auth.ts';
import { isAppLanguage, setLanguage } from '../i18n/index.ts';
import { Icon } from '../ui/icons.tsx';
import { Loading } from '../ui/states.tsx';
import { LanguageToggle } from './LanguageToggle.tsx';
import styles from './OrganizerLayout.module.css';

/** Top bar with the brand, language switch and sign-out; a bottom tab bar on phones. */
export function OrganizerLayout() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const updateMe = useUpdateMe();
  const navigate = useNavigate();

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
          onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login') })}
        >
          {t('nav.logout')}
        </button>
      </header>
      <main id="main" className={styles.main}>
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
