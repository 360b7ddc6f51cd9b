import { departmentKinds } from '@qiao/contracts';
import type { Department, DepartmentKind } from '@qiao/contracts';
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { useSaveDepartment } from './jurisdictions-api.js';

interface Values {
  name: string;
  kinds?: DepartmentKind[];
}

interface Props {
  jurisdictionId: number;
  /** undefined: closed; null: a new department; a department: edit it. */
  department: Department | null | undefined;
  onClose(): void;
}

export function DepartmentModal({ jurisdictionId, department, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const save = useSaveDepartment(jurisdictionId);
  return (
    <FormModal<Values>
      open={department !== undefined}
      title={department ? t('departments.edit') : t('departments.new')}
      form={form}
      initialValues={{ name: department?.name ?? '', kinds: department?.kinds ?? [] }}
      onClose={onClose}
      submit={(values) =>
        save.mutateAsync({
          name: values.name.trim(),
          kinds: values.kinds ?? [],
          ...(department ? { departmentId: department.id } : {}),
        })
      }
      submitTestId="department-form-submit"
      submitText={department ? t('common.save') : t('common.create')}
    >
      <Form.Item
        name="name"
        label={t('departments.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}
      >
        <Input maxLength={100} data-testid="department-form-name" placeholder={t('departments.namePlaceholder')} />
      </Form.Item>
      <Form.Item name="kinds" label={t('departments.kinds')} extra={t('departments.kindsHint')}>
        <Select
          mode="multiple"
          allowClear
          options={departmentKinds.map((kind) => ({ value: kind, label: t(`departmentKinds.${kind}`) }))}
        />
      </Form.Item>
    </FormModal>
  );
}
