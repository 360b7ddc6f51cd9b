import { lazy, Suspense } from 'react';
import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { PageSpinner } from '../components/query-state.js';
import { LoginPage } from '../features/auth/login-page.js';
import { registryPermissions } from '../lib/registry-permissions.js';
import { AppShell } from './app-shell.js';
import { useAuth } from './auth-context.js';
import { NotFound, RequireAuth, RequirePermission } from './guards.js';

/** Pages load on first visit, so the login screen does not carry ECharts and every table. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const OverviewPage = page(() => import('../features/overview/overview-page.js'), 'OverviewPage');
const WelcomePage = page(() => import('../features/home/welcome-page.js'), 'WelcomePage');
const JurisdictionsPage = page(() => import('../features/jurisdictions/jurisdictions-page.js'), 'JurisdictionsPage');
const UsersPage = page(() => import('../features/users/users-page.js'), 'UsersPage');
const AuditPage = page(() => import('../features/audit/audit-page.js'), 'AuditPage');
const AccountPage = page(() => import('../features/account/account-page.js'), 'AccountPage');
const OrganizationsPage = page(() => import('../features/organizations/organizations-page.js'), 'OrganizationsPage');
const OrganizationDetailPage = page(
  () => import('../features/organizations/organization-detail-page.js'),
  'OrganizationDetailPage',
);
const ChangeRequestsPage = page(
  () => import('../features/organizations/change-requests-page.js'),
  'ChangeRequestsPage',
);
const ApplyPage = page(() => import('../features/applications/apply-page.js'), 'ApplyPage');
const MyApplicationPage = page(() => import('../features/applications/my-application-page.js'), 'MyApplicationPage');
const ApplicationsPage = page(() => import('../features/applications/applications-page.js'), 'ApplicationsPage');
const ApplicationReviewPage = page(
  () => import('../features/applications/application-review-page.js'),
  'ApplicationReviewPage',
);
const RegistrySyncPage = page(() => import('../features/registry-sync/registry-sync-page.js'), 'RegistrySyncPage');
const CasesPage = page(() => import('../features/cases/cases-page.js'), 'CasesPage');
const CaseDetailPage = page(() => import('../features/cases/case-detail-page.js'), 'CaseDetailPage');
const CaseSettingsPage = page(() => import('../features/cases/case-settings-page.js'), 'CaseSettingsPage');
const CaseDashboardSection = page(() => import('../features/cases/case-dashboard.js'), 'CaseDashboardSection');
const NotificationsPage = page(() => import('../features/notifications/notifications-page.js'), 'NotificationsPage');
const HouseholdsPage = page(() => import('../features/households/households-page.js'), 'HouseholdsPage');
const HouseholdDetailPage = page(
  () => import('../features/households/household-detail-page.js'),
  'HouseholdDetailPage',
);
const HouseholdCardPage = page(() => import('../features/households/household-card-page.js'), 'HouseholdCardPage');
const AidPage = page(() => import('../features/households/aid-page.js'), 'AidPage');
const VolunteersPage = page(() => import('../features/households/volunteers-page.js'), 'VolunteersPage');
const MyHoursPage = page(() => import('../features/households/my-hours-page.js'), 'MyHoursPage');
const MarketPage = page(() => import('../features/market/market-page.js'), 'MarketPage');
const TillPage = page(() => import('../features/market/till-page.js'), 'TillPage');
const RiskPage = page(() => import('../features/risk/risk-page.js'), 'RiskPage');
const RiskRulesPage = page(() => import('../features/risk/risk-rules-page.js'), 'RiskRulesPage');
const ServiceFieldsPage = page(() => import('../features/service-fields/service-fields-page.js'), 'ServiceFieldsPage');
const DirectoryPage = page(() => import('../features/directory/directory-page.js'), 'DirectoryPage');

/** The public directory stands outside the shell: no login, no menu. */
const directory = (
  <Suspense fallback={<PageSpinner />}>
    <DirectoryPage />
  </Suspense>
);

/** The public application form stands outside the shell too. */
const apply = (
  <Suspense fallback={<PageSpinner />}>
    <ApplyPage />
  </Suspense>
);

/**
 * Home is the overview for those who may read it, a welcome naming what is coming for others, and
 * the application itself for an applicant (who may open nothing else until it is approved).
 */
function HomePage() {
  const { can, applicantOnly } = useAuth();
  if (applicantOnly) return <Navigate to="/my-application" replace />;
  if (!can('overview:read')) return <WelcomePage />;
  return (
    <>
      <OverviewPage />
      {/* Each facet adds its own section below the overview; the case figures need case:work too. */}
      {can('case:work') && <CaseDashboardSection />}
    </>
  );
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/apply', element: apply },
  { path: '/directory', element: directory },
  { path: '/directory/:id', element: directory },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'cases',
        element: (
          <RequirePermission permission="case:report">
            <CasesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'cases/:id',
        element: (
          <RequirePermission permission="case:report">
            <CaseDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'case-settings',
        element: (
          <RequirePermission permission="case:configure">
            <CaseSettingsPage />
          </RequirePermission>
        ),
      },
      { path: 'notifications', element: <NotificationsPage /> },
      {
        path: 'applications',
        element: (
          <RequirePermission permission="application:review">
            <ApplicationsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'applications/:id',
        element: (
          <RequirePermission permission="application:review">
            <ApplicationReviewPage />
          </RequirePermission>
        ),
      },
      {
        path: 'my-application',
        element: (
          <RequirePermission permission="application:own">
            <MyApplicationPage />
          </RequirePermission>
        ),
      },
      {
        path: 'jurisdictions',
        element: (
          <RequirePermission permission="jurisdiction:read">
            <JurisdictionsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'organizations',
        element: (
          <RequirePermission permission={registryPermissions.read}>
            <OrganizationsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'organization-changes',
        element: (
          <RequirePermission permission={registryPermissions.manage}>
            <ChangeRequestsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'organizations/:id',
        element: (
          <RequirePermission permission={registryPermissions.read}>
            <OrganizationDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'registry-sync',
        element: (
          <RequirePermission permission="registry:import">
            <RegistrySyncPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households',
        element: (
          <RequirePermission permission="household:read">
            <HouseholdsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'risk',
        element: (
          <RequirePermission permission="risk:read">
            <RiskPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households/:id',
        element: (
          <RequirePermission permission="household:read">
            <HouseholdDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households/:id/card',
        element: (
          <RequirePermission permission="household:read">
            <HouseholdCardPage />
          </RequirePermission>
        ),
      },
      {
        path: 'aid',
        element: (
          <RequirePermission permission="aid:read">
            <AidPage />
          </RequirePermission>
        ),
      },
      {
        path: 'volunteers',
        element: (
          <RequirePermission permission="volunteer:read">
            <VolunteersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'my-hours',
        element: (
          <RequirePermission permission="volunteer:own">
            <MyHoursPage />
          </RequirePermission>
        ),
      },
      {
        path: 'service-fields',
        element: (
          <RequirePermission permission="taxonomy:manage">
            <ServiceFieldsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'risk/rules',
        element: (
          <RequirePermission permission="risk:read">
            <RiskRulesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'users',
        element: (
          <RequirePermission permission="user:read">
            <UsersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequirePermission permission="audit:read">
            <AuditPage />
          </RequirePermission>
        ),
      },
      {
        path: 'market',
        element: (
          <RequirePermission permission="market:read">
            <MarketPage />
          </RequirePermission>
        ),
      },
      {
        path: 'market/till',
        element: (
          <RequirePermission permission="till:checkout">
            <TillPage />
          </RequirePermission>
        ),
      },
      { path: 'account', element: <AccountPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
