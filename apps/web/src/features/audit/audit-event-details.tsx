import type { AuditEvent } from '@qiao/contracts';
import { Descriptions, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatValue } from '../../lib/format.js';

type Change = AuditEvent['changes'][number];

/** The expanded row: what changed (before → after), the details, and where the request came from. */
export function AuditEventDetails({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const details = Object.entries(event.details ?? {});
  return (
    <div style={{ paddingBlock: 8 }}>
      {event.changes.length > 0 && (
        <Table<Change>
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={event.changes}
          style={{ marginBottom: 12, maxWidth: 900 }}
          columns={[
            { title: t('audit.field'), dataIndex: 'field', key: 'field' },
            {
              title: t('audit.before'),
              key: 'before',
              render: (_, change) => (
                <Typography.Text delete type="secondary">
                  {formatValue(change.before)}
                </Typography.Text>
              ),
            },
            {
              title: t('audit.after'),
              key: 'after',
              render: (_, change) => <Typography.Text strong>{formatValue(change.after)}</Typography.Text>,
            },
          ]}
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'id', label: t('audit.eventId'), children: event.id },
          {
            key: 'request',
            label: t('audit.requestId'),
            children: <Typography.Text copyable={Boolean(event.requestId)}>{event.requestId ?? '—'}</Typography.Text>,
          },
          { key: 'ip', label: t('audit.ip'), children: event.ip ?? '—' },
          ...details.map(([key, value]) => ({ key: `detail-${key}`, label: key, children: formatValue(value) })),
        ]}
      />
    </div>
  );
}
