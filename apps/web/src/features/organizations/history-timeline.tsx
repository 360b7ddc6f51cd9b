import { Empty, Flex, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { useFieldLabel } from '../../lib/service-fields.js';
import type { OrganizationVersion } from './organizations-api.js';
import { useOrganizationVersions } from './organizations-api.js';
import { describeValue, fieldLabel } from './organization-values.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';

type Change = OrganizationVersion['changes'][number];

const actionColors: Record<string, string> = { create: 'green', status: 'blue', upgrade: 'purple' };

/** `organization.status` → `status`: the history names the registry's own actions. */
function verb(action: string): string {
  return action.slice(action.lastIndexOf('.') + 1);
}

/** Who changed which field from what to what, and when: newest first. */
export function HistoryTimeline({ organizationId }: { organizationId: number }) {
  const { t } = useTranslation();
  const query = useOrganizationVersions(organizationId);
  const nameOf = useJurisdictionName();
  const serviceFieldLabel = useFieldLabel();

  if (query.isPending) return <PageSpinner />;
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.length === 0) return <Empty description={t('history.empty')} />;

  return (
    <Timeline
      data-testid="org-history"
      items={query.data.map((version) => ({
        key: version.version,
        color: actionColors[verb(version.action)] ?? 'gray',
        content: (
          <div style={{ paddingBottom: 8 }}>
            <Flex gap={8} wrap align="center" style={{ marginBottom: 4 }}>
              <Typography.Text strong>{formatInstant(version.changedAt)}</Typography.Text>
              <Tag color={actionColors[verb(version.action)]}>
                {t(`history.actions.${verb(version.action)}`, { defaultValue: version.action })}
              </Tag>
              <Typography.Text title={version.actorName ?? undefined}>
                {version.actorDisplayName ?? version.actorName ?? t('history.system')}
              </Typography.Text>
              <Typography.Text type="secondary">v{version.version}</Typography.Text>
            </Flex>
            {version.reason && (
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
                {t('history.reason')}: {version.reason}
              </Typography.Paragraph>
            )}
            {version.changes.length > 0 && (
              <Table<Change>
                size="small"
                rowKey="field"
                pagination={false}
                dataSource={version.changes}
                style={{ maxWidth: 960 }}
                tableLayout="fixed"
                columns={[
                  { title: t('audit.field'), key: 'field', render: (_, c) => fieldLabel(t, c.field), width: '22%' },
                  {
                    title: t('audit.before'),
                    key: 'before',
                    width: '39%',
                    render: (_, c) => (
                      <Typography.Text delete type="secondary">
                        {describeValue(t, c.field, c.before, nameOf, serviceFieldLabel)}
                      </Typography.Text>
                    ),
                  },
                  {
                    title: t('audit.after'),
                    key: 'after',
                    render: (_, c) => (
                      <Typography.Text strong>
                        {describeValue(t, c.field, c.after, nameOf, serviceFieldLabel)}
                      </Typography.Text>
                    ),
                  },
                ]}
              />
            )}
          </div>
        ),
      }))}
    />
  );
}
