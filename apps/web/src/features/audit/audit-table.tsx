import { auditActions, auditEntityTypes, roles } from '@qiao/contracts';
import type { AuditEvent } from '@qiao/contracts';
import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../lib/format.js';
import { AuditEventDetails } from './audit-event-details.js';

const outcomeColors: Record<AuditEvent['outcome'], string> = { success: 'green', failure: 'orange', denied: 'red' };

function isOneOf<T extends string>(list: readonly T[], value: string | null): value is T {
  return value !== null && (list as readonly string[]).includes(value);
}

/**
 * The contracts' vocabulary translated (the locale test checks every member); anything else, such
 * as an action recorded by an older version, shows raw, so nothing recorded is ever hidden.
 */
function useVocabulary() {
  const { t } = useTranslation();
  return {
    action: (action: string) => (isOneOf(auditActions, action) ? t(`auditActions.${action}`) : action),
    entity: (type: string | null) => (isOneOf(auditEntityTypes, type) ? t(`entityTypes.${type}`) : (type ?? '—')),
    role: (role: string | null) => (isOneOf(roles, role) ? t(`roles.${role}`) : (role ?? '—')),
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
