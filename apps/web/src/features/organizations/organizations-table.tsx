import type { Organization } from '@qiao/contracts';
import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { KindTag, StatusTag } from '../../components/organization-tags.js';
import { formatInstant } from '../../lib/format.js';
import { registryNumber, ServiceFieldTags } from './organization-values.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';

const MAX_FIELD_TAGS = 3;

export function OrganizationsTable({ organizations, loading }: { organizations: Organization[]; loading: boolean }) {
  const { t } = useTranslation();
  const nameOf = useJurisdictionName();

  const columns: TableColumnsType<Organization> = [
    {
      title: t('organizations.name'),
      key: 'name',
      render: (_, o) => (
        <>
          <Link to={`/organizations/${o.id}`} data-testid={`org-link-${o.id}`}>
            {o.name}
          </Link>
          {o.nameEn && (
            <div>
              <Typography.Text type="secondary">{o.nameEn}</Typography.Text>
            </div>
          )}
        </>
      ),
    },
    { title: t('organizations.kind'), key: 'kind', render: (_, o) => <KindTag kind={o.kind} /> },
    {
      title: t('organizations.registryNumber'),
      key: 'number',
      render: (_, o) => <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{registryNumber(o)}</span>,
    },
    {
      title: t('organizations.jurisdiction'),
      key: 'jurisdiction',
      render: (_, o) => nameOf(o.jurisdictionId),
    },
    {
      title: t('organizations.fields'),
      key: 'fields',
      render: (_, o) => (
        <>
          <ServiceFieldTags fields={o.fields.slice(0, MAX_FIELD_TAGS)} t={t} />
          {o.fields.length > MAX_FIELD_TAGS && <Tag>+{o.fields.length - MAX_FIELD_TAGS}</Tag>}
        </>
      ),
    },
    {
      title: t('organizations.status'),
      key: 'status',
      render: (_, o) => (
        <>
          <StatusTag status={o.status} />
          {o.contactStatus === 'unreachable' && <Tag color="red">{t('contactStatuses.unreachable')}</Tag>}
        </>
      ),
    },
    {
      title: t('organizations.updatedAt'),
      key: 'updatedAt',
      render: (_, o) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(o.updatedAt)}</span>,
    },
  ];

  return (
    <div data-testid="orgs-table">
      <Table<Organization>
        rowKey="id"
        columns={columns}
        dataSource={organizations}
        loading={loading}
        pagination={false}
        tableLayout="auto"
        scroll={{ x: 1040 }}
        locale={{ emptyText: t('organizations.empty') }}
      />
    </div>
  );
}
