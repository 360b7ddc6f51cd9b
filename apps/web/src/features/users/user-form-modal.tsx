import { roles, usernameSchema } from '@qiao/contracts';
import type { CreateUserBody, Role, UpdateUserBody, User } from '@qiao/contracts';
import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { PasswordPolicy } from '../../components/password-policy.js';
import { passwordRules } from '../../lib/password-rules.js';
import { schemaRule } from '../../lib/rules.js';
import { PlacementFields } from './placement-fields.js';
import type { PlacementValues } from './placement-fields.js';
import { useCreateUser, useUpdateUser } from './users-api.js';

interface Values extends PlacementValues {
  username: string;
  password: string;
  displayName: string;
}

interface Props {
  /** undefined: closed; null: a new user; a user: edit that user. */
  user: User | null | undefined;
  onClose(): void;
}

/** Creates or edits an account. Center staff (user:create_volunteer only) may create volunteers and nothing else. */
export function UserFormModal({ user, onClose }: Props) {
  const { t } = useTranslation();
  const { user: me, can } = useAuth();
  const [form] = Form.useForm<Values>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const editing = Boolean(user);
  const roleOptions: readonly Role[] = can('user:manage') ? roles : ['volunteer'];

  const submit = async (values: Values) => {
    const departmentId = values.role === 'department_officer' ? (values.departmentId ?? undefined) : undefined;
    const organizationId = values.role === 'ngo_officer' ? (values.organizationId ?? undefined) : undefined;
    if (user) {
      const body: UpdateUserBody = {
        displayName: values.displayName.trim(),
        role: values.role,
        jurisdictionId: values.jurisdictionId,
        departmentId: departmentId ?? null,
      };
      // Sent only when chosen: a form that could not list organizations leaves the placement as it is.
      if (organizationId !== undefined || values.role !== 'ngo_officer') body.organizationId = organizationId ?? null;
      return update.mutateAsync({ id: user.id, body });
    }
    const body: CreateUserBody = {
      username: values.username.trim(),
      password: values.password,
      displayName: values.displayName.trim(),
      role: values.role,
      jurisdictionId: values.jurisdictionId,
    };
    if (departmentId !== undefined) body.departmentId = departmentId;
    if (organizationId !== undefined) body.organizationId = organizationId;
    return create.mutateAsync(body);
  };

  const initialValues: Partial<Values> = user
    ? {
        displayName: user.displayName,
        role: user.role,
        jurisdictionId: user.jurisdictionId,
        departmentId: user.departmentId,
        organizationId: user.organizationId,
      }
    : { role: roleOptions.length === 1 ? roleOptions[0] : undefined, jurisdictionId: me?.jurisdictionId };

  return (
    <FormModal<Values>
      open={user !== undefined}
      title={
        user
          ? t('users.editTitle', { name: user.username })
          : roleOptions.length === 1
            ? t('users.createVolunteer')
            : t('users.createTitle')
      }
      form={form}
      initialValues={initialValues}
      onClose={onClose}
      submit={submit}
      submitTestId="user-form-submit"
      submitText={editing ? t('common.save') : t('common.create')}
      codeFields={{ duplicate_username: 'username' }}
    >
      {!editing && (
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameHint')}
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            schemaRule(usernameSchema, t('users.usernameInvalid')),
          ]}
        >
          <Input autoComplete="off" maxLength={64} data-testid="user-form-username" />
        </Form.Item>
      )}
      <Form.Item
        name="displayName"
        label={t('users.displayName')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64 }]}
      >
        <Input maxLength={64} data-testid="user-form-display-name" />
      </Form.Item>
      {!editing && (
        <>
          <PasswordPolicy />
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            dependencies={['username']}
            rules={passwordRules(t, () => form.getFieldValue('username') as string | undefined)}
          >
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        </>
      )}
      <PlacementFields form={form} roleOptions={roleOptions} />
    </FormModal>
  );
}
