import type { Permission } from '@qiao/contracts';
import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { PageSpinner, QueryError } from '../components/query-state.js';
import { useAuth } from './auth-context.js';

/** Until a role that requires two-factor sign-in has set it up, My account is the one page that works. */
export const MFA_SETUP_PATH = '/account';

/**
 * Everything behind the login: waits for /auth/me, sends strangers to /login and back after, and
 * someone whose two-factor set-up is pending to My account.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session, sessionError, refresh } = useAuth();
  const location = useLocation();
  if (session === null) return <Navigate to="/login" replace state={{ from: location }} />;
  if (session === undefined) {
    if (sessionError) {
      return (
        <div style={{ padding: 48 }}>
          <QueryError error={sessionError} onRetry={() => void refresh()} />
        </div>
      );
    }
    return <PageSpinner />;
  }
  if (session.mfaSetupRequired && location.pathname !== MFA_SETUP_PATH) {
    return <Navigate to={MFA_SETUP_PATH} replace />;
  }
  return children;
}

/** A page the role may not open says so instead of showing an empty table. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useTranslation();
  if (can(permission)) return children;
  return (
    <Result status="403" title={t('common.forbiddenTitle')} subTitle={t('common.forbiddenText')} extra={<BackHome />} />
  );
}

function BackHome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => void navigate('/')}>
      {t('common.backHome')}
    </Button>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result status="404" title={t('common.notFoundTitle')} subTitle={t('common.notFoundText')} extra={<BackHome />} />
  );
}
