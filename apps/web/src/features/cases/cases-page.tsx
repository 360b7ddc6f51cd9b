import { PlusOutlined } from '@ant-design/icons';
import { caseStatuses, type CaseSummary } from '@qiao/contracts';
import { Button, Card, Flex, Select, Space, Switch, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { placeName } from './place-name.js';
import { CaseStatusTag, LevelTag, OverdueTag, SeverityTag } from './case-tags.js';
import { useCases, type CaseFilters } from './cases-api.js';
import { ReportCaseModal } from './report-case-modal.js';

function readFilters(params: URLSearchParams): CaseFilters {
  const status = caseStatuses.find((s) => s === params.get('status'));
  const jurisdictionId = Number(params.get('jurisdictionId'));
  const filters: CaseFilters = {
    status,
    overdue: params.get('overdue') === 'true' ? 'true' : undefined,
    escalated: params.get('escalated') === 'true' ? 'true' : undefined,
    jurisdictionId: Number.isInteger(jurisdictionId) && jurisdictionId > 0 ? jurisdictionId : undefined,
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as CaseFilters;
}

/** The case list: filters live in the address, overdue and escalated cases one switch away. */
export function CasesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const [reporting, setReporting] = useState(false);
  const query = useCases(filters);
  const cases = query.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<CaseFilters>) => {
    const next = { ...filters, ...patch };
    setParams(
      Object.fromEntries(
        Object.entries(next)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ),
      { replace: true },
    );
  };

  const columns: TableColumnsType<CaseSummary> = [
    {
      title: t('cases.case'),
      key: 'case',
      render: (_, c) => (
        <Link to={`/cases/${c.id}`} data-testid={`case-link-${c.id}`}>
          #{c.id} {t(`caseCategories.${c.category}`)}
        </Link>
      ),
    },
    { title: t('cases.severity'), key: 'severity', render: (_, c) => <SeverityTag severity={c.severity} /> },
    {
      title: t('cases.status'),
      key: 'status',
      render: (_, c) => (
        <Space size={4} wrap>
          <CaseStatusTag status={c.status} />
          <OverdueTag overdue={c.overdue} />
          <LevelTag level={c.level} />
        </Space>
      ),
    },
    {
      title: t('cases.jurisdiction'),
      key: 'jurisdiction',
      render: (_, c) => placeName(c.jurisdictionName, c.jurisdictionNameEn, i18n.language),
    },
    {
      title: t('cases.handler'),
      key: 'handler',
      render: (_, c) => (c.queue === 'department' ? c.departmentName : t('cases.centerQueue')),
    },
    {
      title: t('cases.dueAt'),
      key: 'due',
      render: (_, c) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {c.status === 'open'
            ? formatInstant(c.acknowledgeDueAt)
            : c.status === 'acknowledged'
              ? formatInstant(c.resolveDueAt)
              : '—'}
        </span>
      ),
    },
    {
      title: t('cases.reportedAt'),
      key: 'created',
      render: (_, c) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(c.createdAt)}</span>,
    },
  ];

  return (
    <>
      <PageTitle
        title={t('cases.title')}
        extra={
          can('case:report') && (
            <Button
              type="primary"
              size="large"
              icon={<PlusOutlined />}
              onClick={() => setReporting(true)}
              data-testid="case-report"
            >
              {t('cases.report')}
            </Button>
          )
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Flex wrap gap={16} align="center">
          <Select
            allowClear
            placeholder={t('cases.status')}
            style={{ minWidth: 160 }}
            value={filters.status}
            onChange={(status) => set({ status })}
            options={caseStatuses.map((s) => ({ value: s, label: t(`caseStatuses.${s}`) }))}
            aria-label={t('cases.status')}
            data-testid="case-filter-status"
          />
          {can('jurisdiction:read') && (
            <div style={{ minWidth: 220 }}>
              <JurisdictionTreeSelect
                allowClear
                value={filters.jurisdictionId}
                onChange={(jurisdictionId) => set({ jurisdictionId })}
                placeholder={t('cases.jurisdiction')}
                aria-label={t('cases.jurisdiction')}
              />
            </div>
          )}
          <label>
            <Space>
              <Switch
                checked={filters.overdue === 'true'}
                onChange={(on) => set({ overdue: on ? 'true' : undefined })}
                data-testid="case-filter-overdue"
              />
              <Typography.Text>{t('cases.overdueOnly')}</Typography.Text>
            </Space>
          </label>
          <label>
            <Space>
              <Switch
                checked={filters.escalated === 'true'}
                onChange={(on) => set({ escalated: on ? 'true' : undefined })}
                data-testid="case-filter-escalated"
              />
              <Typography.Text>{t('cases.escalatedOnly')}</Typography.Text>
            </Space>
          </label>
        </Flex>
      </Card>
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <div data-testid="cases-table">
          <Table<CaseSummary>
            rowKey="id"
            columns={columns}
            dataSource={cases}
            loading={query.isPending}
            pagination={false}
            tableLayout="auto"
            scroll={{ x: true }}
          />
          {query.hasNextPage && (
            <Flex justify="center" style={{ marginTop: 16 }}>
              <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            </Flex>
          )}
        </div>
      )}
      <ReportCaseModal open={reporting} onClose={() => setReporting(false)} />
    </>
  );
}
