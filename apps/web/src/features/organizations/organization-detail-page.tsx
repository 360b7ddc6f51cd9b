import { EditOutlined, RiseOutlined, SwapOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Card, Descriptions, Result, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { KindTag, StatusTag } from '../../components/organization-tags.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { isApiError } from '../../lib/api.js';
import { formatInstant } from '../../lib/format.js';
import { registryPermissions } from '../../lib/registry-permissions.js';
import { AwaitingPlacement } from '../registry-sync/assign-jurisdiction.js';
import { OrganizationRiskPanel } from '../risk/organization-risk-card.js';
import { ActivitiesPanel } from './activities-panel.js';
import { ChangeRequestCard } from './change-request-card.js';
import { HistoryTimeline } from './history-timeline.js';
import { OrganizationFormModal } from './organization-form-modal.js';
import { allowedTargets, useOrganization } from './organizations-api.js';
import { ProfileCard } from './profile-card.js';
import { StatusChangeModal } from './status-change-modal.js';
import { UpgradeModal } from './upgrade-modal.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';

const tabs = ['profile', 'activities', 'history', 'risk'] as const;
type TabKey = (typeof tabs)[number];

function BackToList() {
  const { t } = useTranslation();
  return <Link to="/organizations">{t('organizations.backToList')}</Link>;
}

/** One organization: who it is, where it stands, what it does and how its record has changed. */
export function OrganizationDetailPage() {
  const { t } = useTranslation();
  const { can, user } = useAuth();
  const params = useParams();
  const id = Number(params['id']);
  const [search, setSearch] = useSearchParams();
  const tab: TabKey = tabs.find((k) => k === search.get('tab')) ?? 'profile';
  const query = useOrganization(id);
  const nameOf = useJurisdictionName();
  const [editing, setEditing] = useState(false);
  const [changingStatus, setChangingStatus] = useState(false);
  const [upgrading, setUpgrading] = useState(false);

  if (!Number.isInteger(id) || id <= 0 || isApiError(query.error, 'not_found')) {
    return (
      <Result
        status="404"
        title={t('organizations.notFound')}
        subTitle={t('organizations.notFoundText')}
        extra={<BackToList />}
      />
    );
  }
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <PageSpinner />;

  const org = query.data;
  const manage = can(registryPermissions.manage);
  const isOwnOfficer = user?.role === 'ngo_officer' && user.organizationId === org.id;
  const targets = allowedTargets(org.status, can, isOwnOfficer);
  // After approval the organization's own officer maintains its profile; key fields go to review.
  const officerEdits = !manage && isOwnOfficer && ['active', 'dormant', 'suspended'].includes(org.status);

  const actions = (manage || officerEdits || targets.length > 0) && (
    <Space wrap>
      {(manage || officerEdits) && (
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="org-edit">
          {t('common.edit')}
        </Button>
      )}
      {manage && org.kind === 'community_org' && (
        <Button icon={<RiseOutlined />} onClick={() => setUpgrading(true)} data-testid="org-upgrade">
          {t('organizations.upgrade')}
        </Button>
      )}
      {targets.length > 0 && (
        <Button
          type="primary"
          icon={<SwapOutlined />}
          onClick={() => setChangingStatus(true)}
          data-testid="org-status-change"
        >
          {t('organizations.changeStatus')}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to="/organizations">{t('organizations.title')}</Link> }, { title: org.name }]}
      />
      <PageTitle title={org.name} extra={actions} />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="org-summary">
        <Descriptions
          column={{ xs: 1, md: 2, xl: 4 }}
          items={[
            { key: 'kind', label: t('organizations.kind'), children: <KindTag kind={org.kind} /> },
            {
              key: 'status',
              label: t('organizations.status'),
              children: (
                <span data-testid="org-status">
                  <StatusTag status={org.status} />
                </span>
              ),
            },
            org.uscc
              ? {
                  key: 'uscc',
                  label: t('organizations.uscc'),
                  children: (
                    <Typography.Text copyable data-testid="org-uscc">
                      {org.uscc}
                    </Typography.Text>
                  ),
                }
              : {
                  key: 'filing',
                  label: t('organizations.filingNumber'),
                  children: (
                    <Typography.Text copyable={Boolean(org.filingNumber)} data-testid="org-filing-number">
                      {org.filingNumber ?? '—'}
                    </Typography.Text>
                  ),
                },
            ...(org.uscc && org.filingNumber
              ? [{ key: 'filing', label: t('organizations.filingNumber'), children: org.filingNumber }]
              : []),
            {
              key: 'jurisdiction',
              label: t('organizations.jurisdiction'),
              children: nameOf(org.jurisdictionId),
            },
            {
              key: 'contact',
              label: t('organizations.contactStatus'),
              children: (
                <Tag color={org.contactStatus === 'unreachable' ? 'red' : 'green'}>
                  {t(`contactStatuses.${org.contactStatus}`)}
                  {org.unreachableSince
                    ? ` · ${t('organizations.since', { date: org.unreachableSince.slice(0, 10) })}`
                    : ''}
                </Tag>
              ),
            },
            { key: 'updated', label: t('organizations.updatedAt'), children: formatInstant(org.updatedAt) },
            { key: 'version', label: t('organizations.version'), children: `v${org.version}` },
          ]}
        />
        {org.usccWarning && (
          <Alert type="warning" showIcon title={t('organizations.usccNotCivil')} data-testid="org-uscc-warning" />
        )}
      </Card>
      <ChangeRequestCard organization={org} canDecide={manage} />
      <AwaitingPlacement organization={org} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch(key === 'profile' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'profile', label: t('organizations.tabProfile'), children: <ProfileCard organization={org} /> },
          {
            key: 'activities',
            label: t('organizations.tabActivities'),
            children: <ActivitiesPanel organizationId={org.id} fields={org.fields} />,
          },
          {
            key: 'history',
            label: t('organizations.tabHistory'),
            children: <HistoryTimeline organizationId={org.id} />,
          },
          ...(can('risk:read')
            ? [
                {
                  key: 'risk',
                  label: t('risk.tab'),
                  children: <OrganizationRiskPanel organizationId={org.id} />,
                },
              ]
            : []),
        ]}
      />
      {manage && (
        <>
          <OrganizationFormModal organization={editing ? org : undefined} onClose={() => setEditing(false)} />
          {org.kind === 'community_org' && (
            <UpgradeModal organization={org} open={upgrading} onClose={() => setUpgrading(false)} />
          )}
        </>
      )}
      {officerEdits && (
        <OrganizationFormModal
          organization={editing ? org : undefined}
          onClose={() => setEditing(false)}
          reviewKeyFields
        />
      )}
      {targets.length > 0 && (
        <StatusChangeModal
          organization={org}
          targets={targets}
          open={changingStatus}
          onClose={() => setChangingStatus(false)}
        />
      )}
    </>
  );
}
