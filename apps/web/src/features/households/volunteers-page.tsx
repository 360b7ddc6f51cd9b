import { PlusOutlined } from '@ant-design/icons';
import { volunteerHoursStatuses } from '@qiao/contracts';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import {
  useCreateShift,
  useCreateVolunteer,
  useDecideHours,
  useHouseholdSettings,
  useLogHours,
  useShifts,
  useVolunteerHours,
  useVolunteers,
  type Volunteer,
  type VolunteerHours,
  type VolunteerShift,
} from './households-api.js';
import { HouseholdPicker } from './household-picker.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';
import { LinkAccountButton, VolunteerAccountSelect } from './volunteer-account.js';

interface VolunteerValues {
  name: string;
  jurisdictionId: number;
  phone?: string;
  householdId?: number;
  skills?: string;
  userId?: number | null;
}

function VolunteerModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { jurisdiction } = useAuth();
  const [form] = Form.useForm<VolunteerValues>();
  const create = useCreateVolunteer();
  return (
    <FormModal<VolunteerValues>
      open={open}
      title={t('volunteers.create')}
      form={form}
      initialValues={{ jurisdictionId: jurisdiction?.level === 'subdistrict' ? jurisdiction.id : undefined }}
      onClose={onClose}
      submit={(v) =>
        create.mutateAsync({
          name: v.name,
          jurisdictionId: v.jurisdictionId,
          phone: v.phone?.trim() || undefined,
          householdId: v.householdId || undefined,
          skills: v.skills?.trim() || undefined,
          userId: v.userId || undefined,
        })
      }
      submitTestId="volunteer-submit"
    >
      <Form.Item name="name" label={t('volunteers.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
        <Input maxLength={50} autoFocus data-testid="volunteer-name" />
      </Form.Item>
      <Form.Item name="jurisdictionId" label={t('households.jurisdiction')} rules={[{ required: true }]}>
        <JurisdictionTreeSelect levels={['subdistrict']} />
      </Form.Item>
      <Form.Item name="phone" label={t('households.phone')}>
        <Input maxLength={20} inputMode="tel" />
      </Form.Item>
      <Form.Item name="householdId" label={t('volunteers.household')} extra={t('volunteers.householdHelp')}>
        <HouseholdPicker data-testid="volunteer-household" />
      </Form.Item>
      <Form.Item name="skills" label={t('volunteers.skills')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="userId" label={t('volunteers.account')} extra={t('volunteers.accountHelp')}>
        <VolunteerAccountSelect />
      </Form.Item>
    </FormModal>
  );
}

interface ShiftValues {
  jurisdictionId: number;
  title: string;
  place?: string;
  range: [Dayjs, Dayjs];
}

function ShiftModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { jurisdiction } = useAuth();
  const [form] = Form.useForm<ShiftValues>();
  const create = useCreateShift();
  return (
    <FormModal<ShiftValues>
      open={open}
      title={t('volunteers.createShift')}
      form={form}
      initialValues={{ jurisdictionId: jurisdiction?.level === 'subdistrict' ? jurisdiction.id : undefined }}
      onClose={onClose}
      submit={(v) =>
        create.mutateAsync({
          jurisdictionId: v.jurisdictionId,
          title: v.title,
          place: v.place?.trim() || undefined,
          startsAt: v.range[0].toISOString(),
          endsAt: v.range[1].toISOString(),
        })
      }
      submitTestId="shift-submit"
    >
      <Form.Item
        name="title"
        label={t('volunteers.shiftTitle')}
        rules={[{ required: true, whitespace: true, max: 100 }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="jurisdictionId" label={t('households.jurisdiction')} rules={[{ required: true }]}>
        <JurisdictionTreeSelect levels={['subdistrict']} />
      </Form.Item>
      <Form.Item name="place" label={t('volunteers.place')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="range" label={t('volunteers.when')} rules={[{ required: true }]}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
    </FormModal>
  );
}

interface HoursValues {
  volunteerId: number;
  shiftId?: number;
  workedOn: Dayjs;
  hours: number;
  description?: string;
}

function HoursModal({
  open,
  onClose,
  volunteers,
  shifts,
}: {
  open: boolean;
  onClose(): void;
  volunteers: Volunteer[];
  shifts: VolunteerShift[];
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<HoursValues>();
  const log = useLogHours();
  return (
    <FormModal<HoursValues>
      open={open}
      title={t('volunteers.logHours')}
      form={form}
      initialValues={{ workedOn: dayjs() }}
      onClose={onClose}
      submit={(v) =>
        log.mutateAsync({
          volunteerId: v.volunteerId,
          shiftId: v.shiftId,
          workedOn: v.workedOn.format('YYYY-MM-DD'),
          minutes: Math.round(v.hours * 60),
          description: v.description?.trim() || undefined,
        })
      }
      submitTestId="hours-submit"
    >
      <Form.Item name="volunteerId" label={t('volunteers.volunteer')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          options={volunteers.filter((v) => v.status === 'active').map((v) => ({ value: v.id, label: v.name }))}
        />
      </Form.Item>
      <Form.Item name="shiftId" label={t('volunteers.shift')}>
        <Select
          allowClear
          options={shifts.map((s) => ({ value: s.id, label: `${s.title} ${formatInstant(s.startsAt).slice(0, 16)}` }))}
        />
      </Form.Item>
      <Form.Item name="workedOn" label={t('volunteers.workedOn')} rules={[{ required: true }]}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="hours" label={t('volunteers.hours')} rules={[{ required: true }]}>
        <InputNumber min={0.25} max={24} step={0.5} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="description" label={t('volunteers.description')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}

const hoursColors = { pending: 'gold', approved: 'green', rejected: 'red' } as const;

/** Volunteers, their shifts and hours: the time bank of mutual aid. */
export function VolunteersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const manage = can('volunteer:manage');
  const [params, setParams] = useSearchParams();
  const tab = ['volunteers', 'shifts', 'hours'].find((k) => k === params.get('tab')) ?? 'volunteers';
  const [q, setQ] = useState<string>();
  const volunteers = useVolunteers(q);
  const shifts = useShifts();
  const [hoursStatus, setHoursStatus] = useState<string | undefined>('pending');
  const hours = useVolunteerHours(hoursStatus);
  const settings = useHouseholdSettings();
  const decide = useDecideHours();
  const nameOf = useJurisdictionName();
  const [creating, setCreating] = useState<'volunteer' | 'shift' | 'hours'>();
  const [rejecting, setRejecting] = useState<VolunteerHours>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();

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

  const volunteerColumns: TableColumnsType<Volunteer> = [
    { title: t('volunteers.name'), dataIndex: 'name' },
    { title: t('households.phone'), key: 'phone', render: (_, v) => v.phone ?? '—' },
    { title: t('households.jurisdiction'), key: 'j', render: (_, v) => nameOf(v.jurisdictionId) },
    {
      title: t('volunteers.household'),
      key: 'household',
      render: (_, v) =>
        v.householdId ? <Link to={`/households/${v.householdId}`}>{t('volunteers.beneficiary')}</Link> : '—',
    },
    { title: t('volunteers.skills'), key: 'skills', render: (_, v) => v.skills ?? '—' },
    {
      title: t('volunteers.account'),
      key: 'account',
      render: (_, v) => (can('volunteer:manage') ? <LinkAccountButton volunteer={v} /> : (v.username ?? '—')),
    },
    {
      title: t('volunteers.approvedHours'),
      key: 'h',
      align: 'right',
      render: (_, v) => (v.approvedMinutes / 60).toFixed(1),
    },
    { title: t('volunteers.points'), dataIndex: 'earnedPoints', align: 'right' },
    {
      title: t('volunteers.status'),
      key: 'status',
      render: (_, v) => (
        <Tag color={v.status === 'active' ? 'green' : 'default'}>{t(`volunteerStatuses.${v.status}`)}</Tag>
      ),
    },
  ];
  const shiftColumns: TableColumnsType<VolunteerShift> = [
    { title: t('volunteers.shiftTitle'), dataIndex: 'title' },
    { title: t('volunteers.place'), key: 'place', render: (_, s) => s.place ?? '—' },
    {
      title: t('volunteers.when'),
      key: 'when',
      render: (_, s) => `${formatInstant(s.startsAt)} – ${formatInstant(s.endsAt).slice(11)}`,
    },
    { title: t('households.jurisdiction'), key: 'j', render: (_, s) => nameOf(s.jurisdictionId) },
  ];
  const hoursColumns: TableColumnsType<VolunteerHours> = [
    { title: t('volunteers.volunteer'), dataIndex: 'volunteerName' },
    { title: t('volunteers.workedOn'), dataIndex: 'workedOn' },
    { title: t('volunteers.hours'), key: 'hours', align: 'right', render: (_, h) => (h.minutes / 60).toFixed(2) },
    { title: t('volunteers.description'), key: 'd', render: (_, h) => h.description ?? '—' },
    {
      title: t('volunteers.status'),
      key: 'status',
      render: (_, h) => (
        <>
          <Tag color={hoursColors[h.status]}>{t(`volunteerHoursStatuses.${h.status}`)}</Tag>
          {h.selfLogged && <Tag>{t('volunteers.selfLogged')}</Tag>}
        </>
      ),
    },
    { title: t('volunteers.points'), key: 'points', align: 'right', render: (_, h) => h.points ?? '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, h) =>
        h.status === 'pending' && manage ? (
          <Space>
            <Button
              type="primary"
              onClick={() => void run(() => decide.mutateAsync({ id: h.id, decision: 'approve' }))}
              data-testid={`hours-approve-${h.id}`}
            >
              {t('volunteers.approve')}
            </Button>
            <Button danger onClick={() => setRejecting(h)}>
              {t('volunteers.reject')}
            </Button>
          </Space>
        ) : (
          (h.decidedBy ?? '—')
        ),
    },
  ];

  const anyError = volunteers.error ?? shifts.error ?? hours.error;
  return (
    <>
      <PageTitle
        title={t('volunteers.title')}
        extra={
          manage && (
            <Space wrap>
              <Button icon={<PlusOutlined />} onClick={() => setCreating('volunteer')} data-testid="volunteer-create">
                {t('volunteers.create')}
              </Button>
              <Button onClick={() => setCreating('shift')}>{t('volunteers.createShift')}</Button>
              <Button type="primary" onClick={() => setCreating('hours')} data-testid="hours-log">
                {t('volunteers.logHours')}
              </Button>
            </Space>
          )
        }
      />
      {settings.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('volunteers.rate', { points: settings.data.volunteerPointsPerHour })}
        />
      )}
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
      {anyError && <QueryError error={anyError} />}
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'volunteers' ? {} : { tab: key }, { replace: true })}
        items={[
          {
            key: 'volunteers',
            label: t('volunteers.tabVolunteers'),
            children: (
              <>
                <Input.Search
                  allowClear
                  placeholder={t('volunteers.search')}
                  aria-label={t('volunteers.search')}
                  onSearch={(v) => setQ(v.trim() || undefined)}
                  style={{ width: 300, marginBottom: 12 }}
                />
                <Table
                  rowKey="id"
                  data-testid="volunteers-table"
                  columns={volunteerColumns}
                  dataSource={volunteers.data ?? []}
                  loading={volunteers.isPending}
                  pagination={false}
                  scroll={{ x: true }}
                />
              </>
            ),
          },
          {
            key: 'shifts',
            label: t('volunteers.tabShifts'),
            children: (
              <Table
                rowKey="id"
                columns={shiftColumns}
                dataSource={shifts.data ?? []}
                loading={shifts.isPending}
                pagination={false}
                scroll={{ x: true }}
              />
            ),
          },
          {
            key: 'hours',
            label: t('volunteers.tabHours'),
            children: (
              <>
                <Select
                  allowClear
                  value={hoursStatus}
                  aria-label={t('volunteers.status')}
                  placeholder={t('volunteers.status')}
                  style={{ width: 200, marginBottom: 12 }}
                  onChange={(v?: string) => setHoursStatus(v)}
                  options={volunteerHoursStatuses.map((s) => ({ value: s, label: t(`volunteerHoursStatuses.${s}`) }))}
                />
                <Table
                  rowKey="id"
                  columns={hoursColumns}
                  dataSource={hours.data ?? []}
                  loading={hours.isPending}
                  pagination={false}
                  scroll={{ x: true }}
                  data-testid="hours-table"
                />
              </>
            ),
          },
        ]}
      />
      <VolunteerModal open={creating === 'volunteer'} onClose={() => setCreating(undefined)} />
      <ShiftModal open={creating === 'shift'} onClose={() => setCreating(undefined)} />
      <HoursModal
        open={creating === 'hours'}
        onClose={() => setCreating(undefined)}
        volunteers={volunteers.data ?? []}
        shifts={shifts.data ?? []}
      />
      <Modal
        open={rejecting !== undefined}
        title={t('volunteers.reject')}
        okText={t('volunteers.reject')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        cancelText={t('common.cancel')}
        onCancel={() => setRejecting(undefined)}
        onOk={async () => {
          if (await run(() => decide.mutateAsync({ id: rejecting!.id, decision: 'reject', reason: reason.trim() }))) {
            setRejecting(undefined);
            setReason('');
          }
        }}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={reason}
          aria-label={t('volunteers.rejectReason')}
          placeholder={t('volunteers.rejectReason')}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
