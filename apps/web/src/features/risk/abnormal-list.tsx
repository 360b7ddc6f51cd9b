import { Button, Form, Input, Segmented, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { QueryError } from '../../components/query-state.js';
import { useAbnormalListings, useRemoveListing, type AbnormalListing } from './risk-api.js';

/** The abnormal-activity list (活动异常名录) of the caller's subtree, current or ended. */
export function AbnormalList() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [current, setCurrent] = useState(true);
  const query = useAbnormalListings(current);
  const remove = useRemoveListing();
  const [removing, setRemoving] = useState<AbnormalListing | null>(null);
  const [form] = Form.useForm<{ evidence: string }>();
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={current ? 'current' : 'ended'}
        onChange={(v) => setCurrent(v === 'current')}
        options={[
          { value: 'current', label: t('risk.listCurrent') },
          { value: 'ended', label: t('risk.listEnded') },
        ]}
      />
      <Table<AbnormalListing>
        rowKey="id"
        size="small"
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="abnormal-list"
        columns={[
          {
            key: 'org',
            title: t('risk.organization'),
            render: (_, l) => <Link to={`/organizations/${l.organizationId}?tab=risk`}>{l.organizationName}</Link>,
          },
          { key: 'reason', title: t('risk.reason'), render: (_, l) => t(`abnormalReasons.${l.reason}`) },
          { key: 'listed', title: t('risk.listedOnColumn'), dataIndex: 'listedOn' },
          ...(current
            ? [
                {
                  key: 'action',
                  title: '',
                  render: (_: unknown, l: AbnormalListing) =>
                    can('abnormal_list:manage') && (
                      <Button size="small" onClick={() => setRemoving(l)} data-testid={`listing-remove-${l.id}`}>
                        {t('risk.remove')}
                      </Button>
                    ),
                },
              ]
            : [
                { key: 'removed', title: t('risk.removedOn'), dataIndex: 'removedOn' },
                {
                  key: 'kind',
                  title: t('risk.removalKind'),
                  render: (_: unknown, l: AbnormalListing) =>
                    l.removalKind ? t(`abnormalRemovalKinds.${l.removalKind}`) : '—',
                },
                { key: 'evidence', title: t('risk.removalEvidence'), dataIndex: 'removalEvidence' },
              ]),
        ]}
      />
      <FormModal<{ evidence: string }>
        open={removing !== null}
        title={t('risk.removeTitle', { name: removing?.organizationName ?? '' })}
        form={form}
        onClose={() => setRemoving(null)}
        submit={(values) => remove.mutateAsync({ id: removing!.id, evidence: values.evidence })}
        submitTestId="listing-remove-submit"
      >
        <Form.Item name="evidence" label={t('risk.removalEvidence')} rules={[{ required: true, min: 4 }]}>
          <Input.TextArea rows={4} maxLength={1000} placeholder={t('risk.removalEvidenceHint')} />
        </Form.Item>
      </FormModal>
    </>
  );
}
