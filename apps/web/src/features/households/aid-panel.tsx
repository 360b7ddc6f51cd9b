import { aidKinds, aidStatuses, disbursementMethods } from '@qiao/contracts';
import { Alert, Button, DatePicker, Descriptions, Flex, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { AidEvidenceFiles } from './aid-evidence.js';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import {
  formatFen,
  useAidApplications,
  useAidYear,
  useApplyForAid,
  useDecideAid,
  useHouseholdSettings,
  useRecordDisbursement,
  yuanToFen,
  type AidApplication,
  type AidStatus,
} from './households-api.js';

const statusColors: Record<AidStatus, string> = {
  pending: 'gold',
  awaiting_second_approval: 'orange',
  approved: 'blue',
  disbursed: 'green',
  rejected: 'red',
};

export function AidStatusTag({ status }: { status: AidStatus }) {
  const { t } = useTranslation();
  return <Tag color={statusColors[status]}>{t(`aidStatuses.${status}`)}</Tag>;
}

interface ApplyValues {
  kind: (typeof aidKinds)[number];
  amountYuan: string;
  reason: string;
  evidence: string;
}

/** Applies for aid for one household: kind, amount in yuan (sent as fen), reason and the evidence seen. */
export function ApplyForAidModal({
  householdId,
  open,
  onClose,
}: {
  householdId: number;
  open: boolean;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ApplyValues>();
  const apply = useApplyForAid();
  const settings = useHouseholdSettings();
  return (
    <FormModal<ApplyValues>
      open={open}
      title={t('aid.apply')}
      form={form}
      initialValues={{ kind: 'medical' }}
      onClose={onClose}
      submit={(v) =>
        apply.mutateAsync({
          householdId,
          kind: v.kind,
          amountFen: yuanToFen(v.amountYuan)!,
          reason: v.reason,
          evidence: v.evidence
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        })
      }
      submitTestId="aid-apply-submit"
      codeFields={{ aid_cap_exceeded: 'amountYuan' }}
    >
      {settings.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('aid.thresholds', {
            second: formatFen(settings.data.aidSecondApprovalFen),
            cap: formatFen(settings.data.aidYearlyCapFen),
          })}
        />
      )}
      <Form.Item name="kind" label={t('aid.kind')} rules={[{ required: true }]}>
        <Select options={aidKinds.map((k) => ({ value: k, label: t(`aidKinds.${k}`) }))} />
      </Form.Item>
      <Form.Item
        name="amountYuan"
        label={t('aid.amountYuan')}
        rules={[
          { required: true },
          {
            validator: async (_, value: string) => {
              const fen = yuanToFen(value);
              if (!fen) throw new Error(t('aid.amountInvalid'));
            },
          },
        ]}
      >
        <Input inputMode="decimal" suffix="元" data-testid="aid-amount" />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('aid.reason')}
        rules={[{ required: true, whitespace: true, min: 2, max: 1000 }]}
      >
        <Input.TextArea rows={3} maxLength={1000} data-testid="aid-reason" />
      </Form.Item>
      <Form.Item
        name="evidence"
        label={t('aid.evidence')}
        extra={t('aid.evidenceHelp')}
        rules={[{ required: true, whitespace: true }]}
      >
        <Input.TextArea rows={3} data-testid="aid-evidence" />
      </Form.Item>
    </FormModal>
  );
}

interface PayValues {
  amountYuan: string;
  paidOn: Dayjs;
  method: (typeof disbursementMethods)[number];
  reference?: string;
}

function DisburseModal({ application, onClose }: { application?: AidApplication; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PayValues>();
  const pay = useRecordDisbursement();
  const left = application ? application.amountFen - application.disbursedFen : 0;
  return (
    <FormModal<PayValues>
      open={application !== undefined}
      title={t('aid.disburse')}
      form={form}
      initialValues={{ amountYuan: (left / 100).toFixed(2), paidOn: dayjs(), method: 'bank_transfer' }}
      onClose={onClose}
      submit={(v) =>
        pay.mutateAsync({
          id: application!.id,
          amountFen: yuanToFen(v.amountYuan)!,
          paidOn: v.paidOn.format('YYYY-MM-DD'),
          method: v.method,
          reference: v.reference?.trim() || undefined,
        })
      }
      submitTestId="aid-disburse-submit"
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('aid.leftToPay', { amount: formatFen(left) })}
      />
      <Form.Item
        name="amountYuan"
        label={t('aid.amountYuan')}
        rules={[
          { required: true },
          {
            validator: async (_, value: string) => {
              const fen = yuanToFen(value);
              if (!fen) throw new Error(t('aid.amountInvalid'));
              if (fen > left) throw new Error(t('errors.disbursement_exceeds_grant'));
            },
          },
        ]}
      >
        <Input inputMode="decimal" suffix="元" />
      </Form.Item>
      <Form.Item name="paidOn" label={t('aid.paidOn')} rules={[{ required: true }]}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="method" label={t('aid.method')} rules={[{ required: true }]}>
        <Select options={disbursementMethods.map((m) => ({ value: m, label: t(`disbursementMethods.${m}`) }))} />
      </Form.Item>
      <Form.Item name="reference" label={t('aid.reference')}>
        <Input maxLength={100} />
      </Form.Item>
    </FormModal>
  );
}

/** Aid applications with the actions this person may take on each. */
export function AidApplicationsTable({
  householdId,
  showHousehold,
}: {
  householdId?: number;
  showHousehold?: boolean;
}) {
  const { t } = useTranslation();
  const { can, user } = useAuth();
  const [status, setStatus] = useState<AidStatus>();
  const query = useAidApplications({ householdId, status });
  const decide = useDecideAid();
  const [paying, setPaying] = useState<AidApplication>();
  const [rejecting, setRejecting] = useState<AidApplication>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  const mayApprove = (a: AidApplication) =>
    (a.status === 'pending' && can('aid:manage')) ||
    (a.status === 'awaiting_second_approval' && can('aid:approve_large') && a.firstApproval?.by !== user?.username);

  const run = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(errorMessage(t, e));
      return false;
    }
  };

  const columns: TableColumnsType<AidApplication> = [
    ...(showHousehold
      ? [
          {
            title: t('households.headName'),
            key: 'household',
            render: (_: unknown, a: AidApplication) => (
              <Link to={`/households/${a.householdId}`}>{a.householdName}</Link>
            ),
          },
        ]
      : []),
    {
      title: t('aid.kind'),
      key: 'kind',
      render: (_, a) => <span style={{ whiteSpace: 'nowrap' }}>{t(`aidKinds.${a.kind}`)}</span>,
    },
    {
      title: t('aid.amount'),
      key: 'amount',
      align: 'right',
      render: (_, a) => <span style={{ whiteSpace: 'nowrap' }}>¥{formatFen(a.amountFen)}</span>,
    },
    { title: t('aid.reason'), dataIndex: 'reason', ellipsis: true },
    {
      title: t('aid.evidence'),
      key: 'evidence',
      render: (_, a) => (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {a.evidence.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ),
    },
    {
      title: t('aid.status'),
      key: 'status',
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <AidStatusTag status={a.status} />
          {a.needsSecondApproval && <small>{t('aid.needsSecond')}</small>}
        </Space>
      ),
    },
    {
      title: t('aid.approvals'),
      key: 'approvals',
      render: (_, a) => (
        <div style={{ fontSize: '0.9em', minWidth: 220 }}>
          <div>
            {t('aid.appliedBy')}: {a.appliedBy ?? '—'} {formatInstant(a.createdAt)}
          </div>
          {a.firstApproval && (
            <div>
              {t('aid.firstApproval')}: {a.firstApproval.by ?? '—'} {formatInstant(a.firstApproval.at)}
            </div>
          )}
          {a.secondApproval && (
            <div>
              {t('aid.secondApproval')}: {a.secondApproval.by ?? '—'} {formatInstant(a.secondApproval.at)}
            </div>
          )}
          {a.decisionNote && (
            <div>
              {t('aid.note')}: {a.decisionNote}
            </div>
          )}
        </div>
      ),
    },
    { title: t('aid.paid'), key: 'paid', align: 'right', render: (_, a) => `¥${formatFen(a.disbursedFen)}` },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, a) => (
        <Space wrap>
          {mayApprove(a) && (
            <Button
              type="primary"
              loading={decide.isPending}
              onClick={() => void run(() => decide.mutateAsync({ id: a.id, decision: 'approve' }))}
              data-testid={`aid-approve-${a.id}`}
            >
              {t('aid.approve')}
            </Button>
          )}
          {mayApprove(a) && (
            <Button danger onClick={() => setRejecting(a)} data-testid={`aid-reject-${a.id}`}>
              {t('aid.reject')}
            </Button>
          )}
          {a.status === 'approved' && can('aid:manage') && (
            <Button onClick={() => setPaying(a)} data-testid={`aid-pay-${a.id}`}>
              {t('aid.disburse')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12, display: 'flex' }}>
        <Select
          allowClear
          value={status}
          placeholder={t('aid.status')}
          aria-label={t('aid.status')}
          style={{ width: 200 }}
          onChange={(v?: AidStatus) => setStatus(v)}
          options={aidStatuses.map((s) => ({ value: s, label: t(`aidStatuses.${s}`) }))}
        />
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          closable
          title={error}
          style={{ marginBottom: 12 }}
          onClose={() => setError(undefined)}
        />
      )}
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table<AidApplication>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={query.isPending}
          pagination={false}
          scroll={{ x: true }}
          expandable={{
            expandedRowRender: (a) => <AidEvidenceFiles applicationId={a.id} canUpload={can('aid:manage')} />,
          }}
          data-testid="aid-table"
        />
      )}
      {query.hasNextPage && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => void query.fetchNextPage()}>{t('common.loadMore')}</Button>
        </Flex>
      )}
      <DisburseModal application={paying} onClose={() => setPaying(undefined)} />
      <Modal
        open={rejecting !== undefined}
        title={t('aid.reject')}
        okText={t('aid.reject')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        cancelText={t('common.cancel')}
        onCancel={() => setRejecting(undefined)}
        onOk={async () => {
          if (await run(() => decide.mutateAsync({ id: rejecting!.id, decision: 'reject', text: reason.trim() }))) {
            setRejecting(undefined);
            setReason('');
          }
        }}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={reason}
          aria-label={t('aid.rejectReason')}
          placeholder={t('aid.rejectReason')}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}

/** The household's aid this year against the cap. */
export function AidYearSummary({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const year = useAidYear(householdId);
  if (!year.data) return null;
  const y = year.data;
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 4 }}
      style={{ marginBottom: 12 }}
      items={[
        { key: 'cap', label: t('aid.capYear', { year: y.year }), children: `¥${formatFen(y.capFen)}` },
        { key: 'committed', label: t('aid.committed'), children: `¥${formatFen(y.committedFen)}` },
        { key: 'paid', label: t('aid.paid'), children: `¥${formatFen(y.disbursedFen)}` },
        { key: 'remaining', label: t('aid.remaining'), children: <strong>¥{formatFen(y.remainingFen)}</strong> },
      ]}
    />
  );
}
