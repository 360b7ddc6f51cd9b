import { HomeOutlined } from '@ant-design/icons';
import { Layout, Menu, Typography } from 'antd';
import { Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { PageSpinner } from '../components/query-state.js';
import { AppHeader } from './app-header.js';
import { useAuth } from './auth-context.js';
import { MFA_SETUP_PATH } from './guards.js';
import { navItems } from './nav-items.js';
import type { NavItem } from './nav-items.js';

const homeItem: NavItem = { path: '/', labelKey: 'nav.home', testId: 'nav-home', icon: <HomeOutlined /> };

/** The deepest menu entry the page lies under: /market/till selects the till, not the market. */
export function selectedPath(pathname: string, items: readonly NavItem[]): string {
  const under = (path: string) => pathname === path || pathname.startsWith(`${path}/`);
  const match = items.filter((item) => item.path !== '/' && under(item.path));
  return match.sort((a, b) => b.path.length - a.path.length)[0]?.path ?? '/';
}

export function AppShell() {
  const { t } = useTranslation();
  const { can, mfaSetupRequired, applicantOnly } = useAuth();
  const { pathname } = useLocation();

  const items = useMemo(() => {
    // Two-factor set-up pending: the server answers nothing else, so the menu offers nothing else.
    if (mfaSetupRequired) return navItems.filter((item) => item.path === MFA_SETUP_PATH);
    const allowed = navItems.filter((item) => !item.permission || can(item.permission));
    // An applicant follows the application, and nothing else, until it is approved.
    if (applicantOnly) return allowed.filter((item) => !item.notForApplicants);
    return can('overview:read') ? allowed : [homeItem, ...allowed];
  }, [can, mfaSetupRequired, applicantOnly]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="qiao-skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <Layout.Sider breakpoint="lg" theme="light" width={220} style={{ borderRight: '1px solid #f0f0f0' }}>
        <Link to="/" style={{ display: 'block', padding: '16px 24px' }} aria-label={t('app.name')}>
          <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
            桥 <span style={{ fontWeight: 400 }}>Qiao</span>
          </Typography.Title>
        </Link>
        <nav aria-label={t('nav.label')}>
          <Menu
            mode="inline"
            selectedKeys={[selectedPath(pathname, items)]}
            items={items.map((item) => ({
              key: item.path,
              icon: item.icon,
              label: (
                <Link to={item.path} data-testid={item.testId}>
                  {t(item.labelKey)}
                </Link>
              ),
            }))}
            style={{ borderInlineEnd: 'none' }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <AppHeader />
        <Layout.Content id="main" tabIndex={-1} style={{ padding: 24, outline: 'none' }}>
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
