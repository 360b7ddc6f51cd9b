import { Descriptions, Drawer, Result, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { KindTag, StatusTag } from '../../components/organization-tags.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { isApiError } from '../../lib/api.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { usePublicOrganization } from './directory-api.js';
import type { PublicOrganization } from './directory-api.js';
import { useFieldLabel } from '../../lib/service-fields.js';

function Details({ org }: { org: PublicOrganization }) {
  const { t, i18n } = useTranslation();
  const fieldLabel = useFieldLabel(true);
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {org.name}
      </Typography.Title>
      {org.nameEn && <Typography.Paragraph type="secondary">{org.nameEn}</Typography.Paragraph>}
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'kind', label: t('organizations.kind'), children: <KindTag kind={org.kind} /> },
          { key: 'status', label: t('organizations.status'), children: <StatusTag status={org.status} /> },
          ...(org.uscc ? [{ key: 'uscc', label: t('organizations.uscc'), children: org.uscc }] : []),
          ...(org.filingNumber
            ? [{ key: 'filing', label: t('organizations.filingNumber'), children: org.filingNumber }]
            : []),
          {
            key: 'jurisdiction',
            label: t('organizations.jurisdiction'),
            children: jurisdictionName({ name: org.jurisdiction, nameEn: org.jurisdictionEn }, i18n.language),
          },
          { key: 'founded', label: t('organizations.foundedOn'), children: org.foundedOn ?? '—' },
          {
            key: 'fields',
            label: t('organizations.fields'),
            children:
              org.fields.length > 0 ? (
                <Space size={[0, 4]} wrap>
                  {org.fields.map((f) => (
                    <Tag key={f}>{fieldLabel(f)}</Tag>
                  ))}
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('directory.statusHistory')}</Typography.Title>
      {org.statusHistory.length === 0 ? (
        <Typography.Text type="secondary">—</Typography.Text>
      ) : (
        <Timeline
          data-testid="directory-status-history"
          items={org.statusHistory.map((entry, index) => ({
            key: `${entry.on}-${index}`,
            color: entry.status === 'active' ? 'green' : 'gray',
            content: (
              <>
                <Typography.Text strong>
                  {t(`orgStatuses.${entry.status}`, { defaultValue: entry.status })}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
                  {entry.on}
                </Typography.Text>
              </>
            ),
          }))}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t('directory.disclaimer')}
      </Typography.Paragraph>
    </>
  );
}

/** One organization of the directory in a drawer; its address is /directory/:id, so it can be shared. */
export function DirectoryDetail({ id, onClose }: { id: number | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const query = usePublicOrganization(id);
  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      size={520}
      title={t('directory.detailTitle')}
      destroyOnHidden
      data-testid="directory-detail"
    >
      {isApiError(query.error, 'not_found') ? (
        <Result status="404" title={t('directory.notFound')} subTitle={t('directory.notFoundText')} />
      ) : query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data ? (
        <Details org={query.data} />
      ) : (
        <PageSpinner />
      )}
    </Drawer>
  );
}
