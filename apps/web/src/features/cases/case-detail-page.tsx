import { ArrowLeftOutlined } from '@ant-design/icons';
import type { CaseDetail } from '@qiao/contracts';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { CategoryTag } from '../households/household-tags.js';
import '../households/households.css';
import { placeName } from './place-name.js';
import { CaseStatusTag, LevelTag, OverdueTag, SeverityTag } from './case-tags.js';
import { CaseStepModal, type StepDialog } from './case-step-modals.js';
import { useCase, useCaseStep } from './cases-api.js';

const eventColors: Record<string, string> = {
  reported: 'blue',
  escalated: 'red',
  acknowledged: 'green',
  resolved: 'green',
  reopened: 'orange',
  referral_declined: 'orange',
};

/** The household the case is about, masked as everywhere; a link to it for those who may open it. */
function CaseHousehold({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const h = c.household;
  if (!h) return <Typography.Text type="secondary">{t('cases.householdHidden')}</Typography.Text>;
  return (
    <Space wrap size={4} data-testid="case-household">
      <Link to={`/households/${h.id}`}>{h.headName}</Link>
      <span className="hh-mono">{h.idNumber}</span>
      {h.cardNumber && <span className="hh-mono">{h.cardNumber}</span>}
      <CategoryTag category={h.category} />
      <Typography.Text type={h.mayRedeem ? undefined : 'warning'}>
        {h.verification
          ? t('cases.householdValidUntil', { date: h.verification.validUntil })
          : t('cases.householdUnverified')}
      </Typography.Text>
    </Space>
  );
}

/** One line of the timeline in words: who did what, and the few words they gave. */
function EventText({ event }: { event: CaseDetail['timeline'][number] }) {
  const { t, i18n } = useTranslation();
  const d = event.details as Record<string, string | undefined>;
  const extra =
    event.kind === 'escalated'
      ? t('cases.events.escalatedDetail', {
          to: placeName(d.toJurisdiction ?? '', d.toJurisdictionEn, i18n.language),
          missed: t(`cases.missed.${d.missed ?? 'acknowledge'}`),
        })
      : event.kind === 'routed'
        ? (d.departmentName ?? t('cases.centerQueue'))
        : event.kind === 'referred' || event.kind === 'referral_accepted' || event.kind === 'referral_declined'
          ? [d.departmentName, d.reason].filter(Boolean).join(' · ')
          : event.kind === 'assigned'
            ? d.assigneeName
            : (d.outcome ?? d.text ?? d.reason);
  const shared = event.kind === 'commented' && (event.details as { toReporter?: boolean }).toReporter === true;
  return (
    <div style={{ paddingBottom: 8 }}>
      <Flex gap={8} wrap align="center">
        <Typography.Text strong>{formatInstant(event.occurredAt)}</Typography.Text>
        <Tag color={eventColors[event.kind]}>{t(`caseEvents.${event.kind}`)}</Tag>
        {shared && <Tag color="cyan">{t('cases.sharedWithReporter')}</Tag>}
        <Typography.Text>
          {event.actorName ?? t('cases.system')}
          {event.actorRole && <Typography.Text type="secondary"> · {t(`roles.${event.actorRole}`)}</Typography.Text>}
        </Typography.Text>
      </Flex>
      {extra && (
        <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{extra}</Typography.Paragraph>
      )}
    </div>
  );
}

export function CaseDetailPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const caseId = Number(id);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const query = useCase(caseId);
  const step = useCaseStep(caseId);
  const [dialog, setDialog] = useState<StepDialog>(null);
  const [comment, setComment] = useState('');
  const [toReporter, setToReporter] = useState(false);

  if (query.isPending) return <PageSpinner />;
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const c = query.data;
  const may = (action: CaseDetail['actions'][number]) => c.actions.includes(action);
  const run = async (body: Parameters<typeof step.mutateAsync>[0]) => {
    try {
      await step.mutateAsync(body);
      return true;
    } catch (error) {
      void message.error(errorMessage(t, error));
      return false;
    }
  };

  const actions = (
    <Space wrap>
      {may('acknowledge') && (
        <Button
          type="primary"
          size="large"
          loading={step.isPending}
          onClick={() => void run({ step: 'acknowledge' })}
          data-testid="case-acknowledge"
        >
          {t('cases.acknowledge')}
        </Button>
      )}
      {may('resolve') && (
        <Button type="primary" size="large" onClick={() => setDialog('resolve')} data-testid="case-resolve">
          {t('cases.resolve')}
        </Button>
      )}
      {may('accept_referral') && (
        <Button type="primary" onClick={() => void run({ step: 'referral/accept' })} data-testid="case-accept-referral">
          {t('cases.acceptReferral')}
        </Button>
      )}
      {may('decline_referral') && (
        <Button onClick={() => setDialog('decline')} data-testid="case-decline-referral">
          {t('cases.declineReferral')}
        </Button>
      )}
      {may('assign') && (
        <Button onClick={() => setDialog('assign')} data-testid="case-assign">
          {t('cases.assign')}
        </Button>
      )}
      {may('refer') && (
        <Button onClick={() => setDialog('refer')} data-testid="case-refer">
          {t('cases.refer')}
        </Button>
      )}
      {may('reopen') && (
        <Button onClick={() => setDialog('reopen')} data-testid="case-reopen">
          {t('cases.reopen')}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => void navigate('/cases')}
        style={{ paddingInline: 0 }}
      >
        {t('cases.backToList')}
      </Button>
      <PageTitle title={`#${c.id} ${t(`caseCategories.${c.category}`)}`} extra={actions} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('cases.details')} data-testid="case-details">
            <Space wrap style={{ marginBottom: 12 }}>
              <CaseStatusTag status={c.status} />
              <SeverityTag severity={c.severity} />
              <OverdueTag overdue={c.overdue} />
              <LevelTag level={c.level} />
            </Space>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 16 }} data-testid="case-description-text">
              {c.description}
            </Typography.Paragraph>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('cases.jurisdiction')}>
                {placeName(c.jurisdictionName, c.jurisdictionNameEn, i18n.language)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.handler')}>
                {c.queue === 'department' ? c.departmentName : t('cases.centerQueue')}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.assignee')}>{c.assigneeName ?? '—'}</Descriptions.Item>
              {c.organizationName && (
                <Descriptions.Item label={t('cases.organization')}>{c.organizationName}</Descriptions.Item>
              )}
              {c.householdId !== null && (
                <Descriptions.Item label={t('cases.household')}>
                  <CaseHousehold c={c} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('cases.reporter')}>{c.reporterName}</Descriptions.Item>
              <Descriptions.Item label={t('cases.reportedAt')}>{formatInstant(c.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('cases.acknowledgeDueAt')}>
                {c.acknowledgedAt
                  ? `${t('cases.doneAt')} ${formatInstant(c.acknowledgedAt)}`
                  : formatInstant(c.acknowledgeDueAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.resolveDueAt')}>
                {c.resolvedAt ? `${t('cases.doneAt')} ${formatInstant(c.resolvedAt)}` : formatInstant(c.resolveDueAt)}
              </Descriptions.Item>
              {c.outcome && (
                <Descriptions.Item label={t('cases.outcome')}>
                  <span data-testid="case-outcome" style={{ whiteSpace: 'pre-wrap' }}>
                    {c.outcome}
                  </span>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          {c.referrals.length > 0 && (
            <Card title={t('cases.referrals')} style={{ marginTop: 16 }}>
              {c.referrals.map((r) => (
                <Flex key={r.id} gap={8} wrap style={{ marginBottom: 8 }}>
                  <Typography.Text strong>{r.toDepartmentName}</Typography.Text>
                  <Tag>{t(`cases.referralStatuses.${r.status}`)}</Tag>
                  <Typography.Text type="secondary">{r.reason}</Typography.Text>
                  {r.decisionNote && <Typography.Text type="secondary">· {r.decisionNote}</Typography.Text>}
                </Flex>
              ))}
            </Card>
          )}
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('cases.timeline')}>
            {c.timelineView === 'reporter' && (
              <Typography.Paragraph type="secondary" data-testid="case-reporter-view">
                {t('cases.reporterView')}
              </Typography.Paragraph>
            )}
            {c.timeline.length === 0 ? (
              <Empty />
            ) : (
              <Timeline
                data-testid="case-timeline"
                items={c.timeline.map((e) => ({
                  key: e.id,
                  color: eventColors[e.kind] ?? 'gray',
                  content: <EventText event={e} />,
                }))}
              />
            )}
            {may('comment') && (
              <Flex vertical gap={8}>
                <Input.TextArea
                  rows={2}
                  maxLength={2000}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  placeholder={t('cases.commentPlaceholder')}
                  aria-label={t('cases.comment')}
                  data-testid="case-comment-text"
                />
                {c.timelineView === 'full' && c.reporterName && (
                  <Checkbox
                    checked={toReporter}
                    onChange={(e) => setToReporter(e.target.checked)}
                    data-testid="case-comment-to-reporter"
                  >
                    {t('cases.commentToReporter', { name: c.reporterName })}
                  </Checkbox>
                )}
                <Button
                  style={{ alignSelf: 'flex-end' }}
                  disabled={!comment.trim()}
                  loading={step.isPending}
                  onClick={() =>
                    void run({ step: 'comments', text: comment, toReporter: toReporter || undefined }).then((ok) => {
                      if (ok) {
                        setComment('');
                        setToReporter(false);
                      }
                    })
                  }
                  data-testid="case-comment"
                >
                  {t('cases.comment')}
                </Button>
              </Flex>
            )}
          </Card>
        </Col>
      </Row>
      <CaseStepModal caseId={caseId} dialog={dialog} onClose={() => setDialog(null)} />
    </>
  );
}
