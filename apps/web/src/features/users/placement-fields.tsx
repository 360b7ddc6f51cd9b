import { roleLevels } from '@qiao/contracts';
import type { Role } from '@qiao/contracts';
import { Form, Select } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { useAuth } from '../../app/auth-context.js';
import { registryPermissions } from '../../lib/registry-permissions.js';
import { useDepartments, useJurisdictions } from '../../lib/shared-queries.js';
import { useOrganizationOptions } from './users-api.js';

export interface PlacementValues {
  role: Role;
  jurisdictionId: number;
  departmentId?: number | null;
  organizationId?: number | null;
}

/**
 * Role, jurisdiction and department, which constrain each other: a role works at certain
 * levels (roleLevels), and only a department officer belongs to a department of that jurisdiction.
 */
export function PlacementFields({ form, roleOptions }: { form: FormInstance; roleOptions: readonly Role[] }) {
  const { t } = useTranslation();
  const role = Form.useWatch<Role | undefined>('role', form);
  const jurisdictionId = Form.useWatch<number | undefined>('jurisdictionId', form);
  const { byId } = useJurisdictions();
  const needsDepartment = role === 'department_officer';
  const departments = useDepartments(jurisdictionId, needsDepartment && jurisdictionId !== undefined);
  const { can } = useAuth();
  const needsOrganization = role === 'ngo_officer' && can(registryPermissions.read);
  const organizations = useOrganizationOptions(jurisdictionId, needsOrganization);

  return (
    <>
      <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          data-testid="user-form-role"
          disabled={roleOptions.length === 1}
          showSearch={{ optionFilterProp: 'label' }}
          options={roleOptions.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          onChange={() => form.setFieldsValue({ departmentId: undefined, organizationId: undefined })}
        />
      </Form.Item>
      <Form.Item
        name="jurisdictionId"
        label={t('users.jurisdiction')}
        dependencies={['role']}
        extra={
          role
            ? t('users.levelsHint', { levels: roleLevels[role].map((level) => t(`levels.${level}`)).join(' / ') })
            : undefined
        }
        rules={[
          { required: true, message: t('common.required') },
          {
            validator: async (_rule, value: number | undefined) => {
              const level = value === undefined ? undefined : byId.get(value)?.level;
              if (role && level && !roleLevels[role].includes(level)) throw new Error(t('fieldErrors.level_mismatch'));
            },
          },
        ]}
      >
        <JurisdictionTreeSelect
          data-testid="user-form-jurisdiction"
          levels={role ? roleLevels[role] : undefined}
          onChange={() => form.setFieldsValue({ departmentId: undefined, organizationId: undefined })}
        />
      </Form.Item>
      {needsDepartment && (
        <Form.Item
          name="departmentId"
          label={t('users.department')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            data-testid="user-form-department"
            loading={departments.isLoading}
            disabled={jurisdictionId === undefined}
            placeholder={jurisdictionId === undefined ? t('users.chooseJurisdictionFirst') : undefined}
            notFoundContent={t('users.noDepartments')}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
      )}
      {needsOrganization && (
        <Form.Item
          name="organizationId"
          label={t('users.organization')}
          extra={t('users.organizationHint')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            data-testid="user-form-organization"
            loading={organizations.isLoading}
            disabled={jurisdictionId === undefined}
            placeholder={jurisdictionId === undefined ? t('users.chooseJurisdictionFirst') : undefined}
            notFoundContent={t('users.noOrganizations')}
            showSearch={{ optionFilterProp: 'label' }}
            options={(organizations.data ?? []).map((o) => ({
              value: o.id,
              label: `${o.name} · ${o.uscc ?? o.filingNumber ?? ''}`,
            }))}
          />
        </Form.Item>
      )}
    </>
  );
}
