import { Alert, Button, Form, Input, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import {
  useCreateServiceField,
  useServiceFields,
  useUpdateServiceField,
  type ServiceField,
} from '../../lib/service-fields.js';

interface Values {
  code: string;
  labelZh: string;
  labelEn: string;
  retired: boolean;
}

/** The city admin's page: the fields of service, adding one, renaming its labels, retiring it. */
export function ServiceFieldsPage() {
  const { t } = useTranslation();
  const fields = useServiceFields();
  const create = useCreateServiceField();
  const update = useUpdateServiceField();
  const [editing, setEditing] = useState<ServiceField | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  if (fields.error) return <QueryError error={fields.error} onRetry={() => void fields.refetch()} />;
  if (fields.isPending) return <PageSpinner />;
  const isNew = editing === 'new';

  return (
    <>
      <PageTitle
        title={t('serviceFieldsAdmin.title')}
        extra={
          <Button type="primary" onClick={() => setEditing('new')} data-testid="service-field-add">
            {t('serviceFieldsAdmin.add')}
          </Button>
        }
      />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('serviceFieldsAdmin.hint')} />
      <Table<ServiceField>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={fields.data}
        data-testid="service-fields"
        columns={[
          { key: 'code', title: t('serviceFieldsAdmin.code'), dataIndex: 'code' },
          { key: 'labelZh', title: t('serviceFieldsAdmin.labelZh'), dataIndex: 'labelZh' },
          { key: 'labelEn', title: t('serviceFieldsAdmin.labelEn'), dataIndex: 'labelEn' },
          {
            key: 'retired',
            title: t('serviceFieldsAdmin.state'),
            render: (_, f) =>
              f.retired ? (
                <Tag>{t('serviceFieldsAdmin.retired')}</Tag>
              ) : (
                <Tag color="green">{t('serviceFieldsAdmin.inUse')}</Tag>
              ),
          },
          { key: 'updatedAt', title: t('serviceFieldsAdmin.updatedAt'), render: (_, f) => formatInstant(f.updatedAt) },
          {
            key: 'edit',
            title: '',
            render: (_, f) => (
              <Button size="small" onClick={() => setEditing(f)} data-testid={`service-field-edit-${f.code}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal<Values>
        open={editing !== null}
        title={isNew ? t('serviceFieldsAdmin.add') : editing ? editing.code : ''}
        form={form}
        initialValues={
          editing && !isNew
            ? { code: editing.code, labelZh: editing.labelZh, labelEn: editing.labelEn, retired: editing.retired }
            : { retired: false }
        }
        onClose={() => setEditing(null)}
        submit={({ code, labelZh, labelEn, retired }) =>
          isNew
            ? create.mutateAsync({ code, labelZh, labelEn })
            : update.mutateAsync({ code: (editing as ServiceField).code, body: { labelZh, labelEn, retired } })
        }
        codeFields={{ duplicate_code: 'code' }}
        submitTestId="service-field-submit"
      >
        <Form.Item
          name="code"
          label={t('serviceFieldsAdmin.code')}
          extra={t('serviceFieldsAdmin.codeHint')}
          rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('serviceFieldsAdmin.codeHint') }]}
        >
          <Input disabled={!isNew} data-testid="service-field-code" />
        </Form.Item>
        <Form.Item name="labelZh" label={t('serviceFieldsAdmin.labelZh')} rules={[{ required: true, max: 30 }]}>
          <Input data-testid="service-field-label-zh" />
        </Form.Item>
        <Form.Item name="labelEn" label={t('serviceFieldsAdmin.labelEn')} rules={[{ required: true, max: 60 }]}>
          <Input data-testid="service-field-label-en" />
        </Form.Item>
        {!isNew && (
          <Form.Item
            name="retired"
            label={t('serviceFieldsAdmin.retired')}
            valuePropName="checked"
            extra={t('serviceFieldsAdmin.retiredHint')}
          >
            <Switch data-testid="service-field-retired" />
          </Form.Item>
        )}
      </FormModal>
    </>
  );
}
