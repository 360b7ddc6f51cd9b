import type { User } from '@qiao/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Form, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { api } from '../../lib/api.js';
import type { Volunteer } from './households-api.js';
import { useUpdateVolunteerAccount } from './my-hours-api.js';

/** Active accounts of the volunteer role the caller sees: the ones a volunteer record may be linked to. */
function useVolunteerAccounts() {
  return useQuery({
    queryKey: ['users', 'volunteer-accounts'],
    queryFn: ({ signal }) =>
      api<{ items: User[] }>('/users', { query: { role: 'volunteer', status: 'active', limit: 200 }, signal }),
    select: (d) => d.items,
    staleTime: 30_000,
  });
}

/** Picks a volunteer-role account (searchable by name and user name). */
export function VolunteerAccountSelect(props: { value?: number | null; onChange?(v: number | null): void }) {
  const accounts = useVolunteerAccounts();
  return (
    <Select<number | null>
      allowClear
      showSearch
      optionFilterProp="label"
      loading={accounts.isPending}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
      data-testid="volunteer-account"
      options={(accounts.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
    />
  );
}

/** The row action: link (or unlink) the volunteer's own account; server errors show under the field. */
export function LinkAccountButton({ volunteer }: { volunteer: Volunteer }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ userId: number | null }>();
  const update = useUpdateVolunteerAccount();
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid={`volunteer-link-${volunteer.id}`}>
        {volunteer.username ?? t('volunteers.linkAccount')}
      </Button>
      <FormModal<{ userId: number | null }>
        open={open}
        title={`${t('volunteers.linkAccount')} · ${volunteer.name}`}
        form={form}
        initialValues={{ userId: volunteer.userId }}
        onClose={() => setOpen(false)}
        submit={(v) => update.mutateAsync({ id: volunteer.id, userId: v.userId ?? null })}
        submitTestId="volunteer-link-submit"
      >
        <Form.Item name="userId" label={t('volunteers.account')} extra={t('volunteers.accountHelp')}>
          <VolunteerAccountSelect />
        </Form.Item>
      </FormModal>
    </>
  );
}
