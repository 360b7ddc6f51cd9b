import { roles } from '@qiao/contracts';
import type { AuditEvent } from '@qiao/contracts';
import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../lib/format.js';
import { AuditEventDetails } from './audit-event-details.js';

const outcomeColors: Record<AuditEvent['outcome'], string> = { success: 'green', failure: 'orange', denied: 'red' };

/** A translation where one exists; the raw value otherwise, so nothing recorded is ever hidden. */
function useVocabulary() {
  const { t, i18n } = useTranslation();
  const known = (prefix: string, value: string | null) => {
    if (!value) return '—';
    const key = `${prefix}.${value}`;
    return i18n.exists(key) ? t(key) : value;
  };
  return {
    action: (action: string) => known('auditActions', action),
    entity: (type: string | null) => known('entityTypes', type),
    role: (role: string | null) =>
      role && (roles as readonly string[]).includes(role) ? t(`roles.${role}`) : (role ?? '—'),
  };
}

export function AuditTable({ events, loading }: { events: AuditEvent[]; loading: boolean }) {
  const { t } = useTranslation();
  const vocabulary = useVocabulary();

  const columns: TableColumnsType<AuditEvent> = [
    {
      title: t('audit.time'),
      key: 'time',
      render: (_, e) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(e.occurredAt)}</span>,
    },
    { title: t('audit.actor'), key: 'actor', render: (_, e) => e.actorName ?? '—' },
    { title: t('audit.role'), key: 'role', render: (_, e) => vocabulary.role(e.actorRole) },
    {
      title: t('audit.action'),
      key: 'action',
      render: (_, e) => <span title={e.action}>{vocabulary.action(e.action)}</span>,
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_, e) =>
        e.entityType ? `${vocabulary.entity(e.entityType)}${e.entityId ? ` #${e.entityId}` : ''}` : '—',
    },
    {
      title: t('audit.outcome'),
      key: 'outcome',
      render: (_, e) => <Tag color={outcomeColors[e.outcome]}>{t(`outcomes.${e.outcome}`)}</Tag>,
    },
  ];

  return (
    <div data-testid="audit-table">
      <Table<AuditEvent>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={events}
        loading={loading}
        pagination={false}
        // A numeric width: with 'max-content' an expanded row measures itself against the table and widens it without end.
        scroll={{ x: 960 }}
        expandable={{ expandedRowRender: (event) => <AuditEventDetails event={event} /> }}
      />
    </div>
  );
}
