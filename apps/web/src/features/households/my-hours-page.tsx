import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { isApiError } from '../../lib/api.js';
import { formatInstant } from '../../lib/format.js';
import type { VolunteerHours, VolunteerShift } from './households-api.js';
import { useLogMyHours, useMyHours, useMyShifts, useMyVolunteer } from './my-hours-api.js';

const hoursColors: Record<VolunteerHours['status'], string> = { pending: 'gold', approved: 'green', rejected: 'red' };

interface Values {
  shiftId?: number;
  workedOn: Dayjs;
  hours: number;
  description?: string;
}

function LogMyHoursModal({ open, onClose, shifts }: { open: boolean; onClose(): void; shifts: VolunteerShift[] }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const log = useLogMyHours();
  return (
    <FormModal<Values>
      open={open}
      title={t('myHours.log')}
      form={form}
      initialValues={{ workedOn: dayjs() }}
      onClose={onClose}
      submit={(v) =>
        log.mutateAsync({
          shiftId: v.shiftId,
          workedOn: v.workedOn.format('YYYY-MM-DD'),
          minutes: Math.round(v.hours * 60),
          description: v.description?.trim() || undefined,
        })
      }
      submitTestId="my-hours-submit"
      submitText={t('myHours.submit')}
    >
      <Form.Item name="workedOn" label={t('volunteers.workedOn')} rules={[{ required: true }]}>
        <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="my-hours-date" />
      </Form.Item>
      <Form.Item
        name="hours"
        label={t('myHours.hours')}
        extra={t('myHours.hoursHelp')}
        rules={[{ required: true, type: 'number', min: 0.25, max: 24 }]}
      >
        <InputNumber min={0.25} max={24} step={0.5} style={{ width: 160 }} data-testid="my-hours-hours" autoFocus />
      </Form.Item>
      <Form.Item name="shiftId" label={t('volunteers.shift')}>
        <Select
          allowClear
          data-testid="my-hours-shift"
          options={shifts.map((s) => ({ value: s.id, label: `${s.title} ${formatInstant(s.startsAt).slice(0, 16)}` }))}
        />
      </Form.Item>
      <Form.Item name="description" label={t('volunteers.description')}>
        <Input.TextArea rows={2} maxLength={500} data-testid="my-hours-description" />
      </Form.Item>
    </FormModal>
  );
}

/**
 * A volunteer's own page: their record's approved hours and time-bank points, the hours they logged
 * and what became of them, the shifts of their subdistrict, and logging new hours for approval.
 */
export function MyHoursPage() {
  const { t } = useTranslation();
  const me = useMyVolunteer();
  const linked = me.data !== undefined;
  const hours = useMyHours(linked);
  const shifts = useMyShifts(linked);
  const [logging, setLogging] = useState(false);

  if (me.error) {
    return (
      <>
        <PageTitle title={t('myHours.title')} />
        {isApiError(me.error, 'not_found') ? (
          <Alert type="info" showIcon title={t('myHours.notLinked')} data-testid="my-hours-not-linked" />
        ) : (
          <QueryError error={me.error} onRetry={() => void me.refetch()} />
        )}
      </>
    );
  }

  return (
    <>
      <PageTitle
        title={t('myHours.title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            disabled={!linked || me.data.status !== 'active'}
            onClick={() => setLogging(true)}
            data-testid="my-hours-log"
          >
            {t('myHours.log')}
          </Button>
        }
      />
      {me.data && (
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 3 }}
          style={{ marginBottom: 16 }}
          data-testid="my-hours-summary"
          items={[
            { key: 'name', label: t('volunteers.name'), children: me.data.name },
            {
              key: 'hours',
              label: t('volunteers.approvedHours'),
              children: <span data-testid="my-hours-approved">{(me.data.approvedMinutes / 60).toFixed(1)}</span>,
            },
            {
              key: 'points',
              label: t('volunteers.points'),
              children: <strong data-testid="my-hours-points">{me.data.earnedPoints}</strong>,
            },
          ]}
        />
      )}
      <Card size="small" title={t('myHours.logged')} style={{ marginBottom: 16 }}>
        {hours.error ? (
          <QueryError error={hours.error} onRetry={() => void hours.refetch()} />
        ) : (
          <Table<VolunteerHours>
            rowKey="id"
            size="small"
            pagination={false}
            loading={hours.isPending && linked}
            dataSource={hours.data ?? []}
            locale={{ emptyText: t('myHours.none') }}
            data-testid="my-hours-table"
            columns={[
              { key: 'on', title: t('volunteers.workedOn'), dataIndex: 'workedOn' },
              { key: 'h', title: t('myHours.hours'), render: (_, h) => (h.minutes / 60).toFixed(2) },
              { key: 'd', title: t('volunteers.description'), render: (_, h) => h.description ?? '—' },
              {
                key: 's',
                title: t('volunteers.status'),
                render: (_, h) => (
                  <Tag color={hoursColors[h.status]} data-testid={`my-hours-status-${h.id}`}>
                    {t(`volunteerHoursStatuses.${h.status}`)}
                  </Tag>
                ),
              },
              { key: 'p', title: t('volunteers.points'), render: (_, h) => h.points ?? '—' },
              {
                key: 'n',
                title: t('myHours.decision'),
                render: (_, h) => (h.decidedBy ? `${h.decidedBy}${h.decisionNote ? `: ${h.decisionNote}` : ''}` : '—'),
              },
            ]}
          />
        )}
      </Card>
      <Card size="small" title={t('myHours.shifts')}>
        <Table<VolunteerShift>
          rowKey="id"
          size="small"
          pagination={false}
          loading={shifts.isPending && linked}
          dataSource={shifts.data ?? []}
          locale={{ emptyText: t('myHours.noShifts') }}
          columns={[
            { key: 't', title: t('volunteers.shiftTitle'), dataIndex: 'title' },
            { key: 'p', title: t('volunteers.place'), render: (_, s) => s.place ?? '—' },
            {
              key: 'w',
              title: t('volunteers.when'),
              render: (_, s) => `${formatInstant(s.startsAt).slice(0, 16)} – ${formatInstant(s.endsAt).slice(11, 16)}`,
            },
          ]}
        />
      </Card>
      <LogMyHoursModal open={logging} onClose={() => setLogging(false)} shifts={shifts.data ?? []} />
    </>
  );
}
