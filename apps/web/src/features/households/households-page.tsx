import { PlusOutlined } from '@ant-design/icons';
import { hardshipCategories } from '@qiao/contracts';
import { Alert, Button, Flex, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { CategoryTag, VerificationTag } from './household-tags.js';
import { HouseholdCreateModal } from './household-form-modal.js';
import {
  useDueHouseholds,
  useDuplicateTasks,
  useHouseholds,
  useResolveDuplicate,
  type DuplicateTask,
  type HouseholdSummary,
} from './households-api.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';
import './households.css';

const tabs = ['all', 'due', 'duplicates'] as const;
type TabKey = (typeof tabs)[number];

function HouseholdsTable({ rows, loading }: { rows: HouseholdSummary[]; loading: boolean }) {
  const { t } = useTranslation();
  const nameOf = useJurisdictionName();
  const columns: TableColumnsType<HouseholdSummary> = [
    {
      title: t('households.headName'),
      key: 'name',
      render: (_, h) => (
        <Link to={`/households/${h.id}`} data-testid={`household-link-${h.id}`}>
          {h.headName}
        </Link>
      ),
    },
    { title: t('households.idNumber'), key: 'id', render: (_, h) => <span className="hh-mono">{h.idNumber}</span> },
    { title: t('households.category'), key: 'category', render: (_, h) => <CategoryTag category={h.category} /> },
    {
      title: t('households.cardNumber'),
      key: 'card',
      render: (_, h) => <span className="hh-mono">{h.cardNumber ?? '—'}</span>,
    },
    { title: t('households.verification'), key: 'verified', render: (_, h) => <VerificationTag household={h} /> },
    { title: t('households.jurisdiction'), key: 'jurisdiction', render: (_, h) => nameOf(h.jurisdictionId) },
  ];
  return (
    <Table<HouseholdSummary>
      rowKey="id"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: true }}
      data-testid="households-table"
    />
  );
}

function AllHouseholds() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? undefined;
  const category = hardshipCategories.find((c) => c === params.get('category'));
  const query = useHouseholds({ q, category });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          defaultValue={q}
          placeholder={t('households.searchPlaceholder')}
          aria-label={t('households.searchPlaceholder')}
          onSearch={(value) => set('q', value.trim() || undefined)}
          style={{ width: 360 }}
          data-testid="households-search"
        />
        <Select
          allowClear
          value={category}
          placeholder={t('households.category')}
          aria-label={t('households.category')}
          style={{ width: 200 }}
          onChange={(value?: string) => set('category', value)}
          options={hardshipCategories.map((c) => ({ value: c, label: t(`hardshipCategories.${c}`) }))}
        />
      </Space>
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <HouseholdsTable rows={rows} loading={query.isPending} />
      )}
      <Flex justify="center" align="center" gap={16} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {t('common.shown', { count: rows.length })}
        </Typography.Text>
        {query.hasNextPage && (
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
    </>
  );
}

function DueHouseholds() {
  const { t } = useTranslation();
  const query = useDueHouseholds();
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('households.dueHelp', { date: query.data?.until ?? '…' })}
      />
      <HouseholdsTable rows={query.data?.items ?? []} loading={query.isPending} />
    </>
  );
}

function DuplicateTasks() {
  const { t } = useTranslation();
  const query = useDuplicateTasks(true);
  const resolve = useResolveDuplicate();
  const nameOf = useJurisdictionName();
  const [task, setTask] = useState<DuplicateTask>();
  const [resolution, setResolution] = useState('');
  const [error, setError] = useState<string>();
  const columns: TableColumnsType<DuplicateTask> = [
    { title: t('households.attemptedAt'), key: 'at', render: (_, d) => formatInstant(d.createdAt) },
    { title: t('households.jurisdiction'), key: 'j', render: (_, d) => nameOf(d.jurisdictionId) },
    { title: t('households.headName'), dataIndex: 'headName' },
    { title: t('households.idNumber'), key: 'id', render: (_, d) => <span className="hh-mono">{d.idNumber}</span> },
    { title: t('households.attemptedBy'), key: 'by', render: (_, d) => d.attemptedBy ?? '—' },
    {
      title: t('households.existing'),
      key: 'existing',
      render: (_, d) =>
        d.existingHouseholdId ? (
          <Link to={`/households/${d.existingHouseholdId}`}>{t('households.openExisting')}</Link>
        ) : (
          <Typography.Text type="secondary">{t('households.existingElsewhere')}</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, d) =>
        d.status === 'open' ? (
          <Button onClick={() => setTask(d)} data-testid={`duplicate-resolve-${d.id}`}>
            {t('households.resolve')}
          </Button>
        ) : (
          <Tag color="green" title={d.resolution ?? ''}>
            {t('households.resolved', { by: d.resolvedBy ?? '—' })}
          </Tag>
        ),
    },
  ];
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('households.duplicatesHelp')} />
      <Table<DuplicateTask>
        rowKey="id"
        columns={columns}
        dataSource={query.data ?? []}
        loading={query.isPending}
        pagination={false}
        scroll={{ x: true }}
      />
      <Modal
        open={task !== undefined}
        title={t('households.resolve')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={resolve.isPending}
        okButtonProps={{ disabled: resolution.trim().length < 2 }}
        onCancel={() => {
          setTask(undefined);
          setError(undefined);
        }}
        onOk={async () => {
          try {
            await resolve.mutateAsync({ id: task!.id, resolution: resolution.trim() });
            setTask(undefined);
            setResolution('');
            setError(undefined);
          } catch (e) {
            setError(errorMessage(t, e));
          }
        }}
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={resolution}
          aria-label={t('households.resolution')}
          placeholder={t('households.resolution')}
          onChange={(e) => setResolution(e.target.value)}
        />
      </Modal>
    </>
  );
}

/** Households in hardship of the caller's subtree: search, enter, re-verification reminders, duplicate checks. */
export function HouseholdsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const visible = tabs.filter((k) => k !== 'duplicates' || can('household:resolve_duplicate'));
  const tab: TabKey = visible.find((k) => k === params.get('tab')) ?? 'all';
  return (
    <>
      <PageTitle
        title={t('households.title')}
        extra={
          can('household:manage') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="household-create"
            >
              {t('households.create')}
            </Button>
          )
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'all' ? {} : { tab: key }, { replace: true })}
        items={visible.map((key) => ({
          key,
          label: {
            all: t('households.tabAll'),
            due: t('households.tabDue'),
            duplicates: t('households.tabDuplicates'),
          }[key],
          children: key === 'all' ? <AllHouseholds /> : key === 'due' ? <DueHouseholds /> : <DuplicateTasks />,
        }))}
      />
      <HouseholdCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(h) => void navigate(`/households/${h.id}`)}
      />
    </>
  );
}
