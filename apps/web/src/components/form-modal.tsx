import type { ErrorCode } from '@qiao/contracts';
import { Button, Flex, Form, Modal } from 'antd';
import type { FormInstance } from 'antd';
import { useLayoutEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useServerErrors } from '../lib/use-server-errors.js';
import { FormAlert } from './form-alert.js';

interface FormModalProps<T> {
  open: boolean;
  title: string;
  form: FormInstance<T>;
  initialValues?: Partial<T>;
  onClose(): void;
  /** Sends the values; a thrown ApiError is shown on the form and keeps the modal open. */
  submit(values: T): Promise<unknown>;
  submitTestId: string;
  submitText?: string;
  codeFields?: Partial<Record<ErrorCode, string>>;
  /** Wider for long forms (an organization's profile); antd's default otherwise. */
  width?: number;
  children: ReactNode;
}

/**
 * A reused form instance keeps its old store, and rc-field-form merges that store over new
 * initialValues; resetting once the fields have mounted starts each opening from its own values.
 */
function StartFromInitialValues() {
  const form = Form.useFormInstance();
  useLayoutEffect(() => form.resetFields(), [form]);
  return null;
}

/** A modal form shaped like every other: vertical labels, server errors under their fields. */
export function FormModal<T extends object>(props: FormModalProps<T>) {
  const { open, title, form, initialValues, onClose, submit, submitTestId, submitText, codeFields, width, children } =
    props;
  const { t } = useTranslation();
  const errors = useServerErrors(form, codeFields);
  const [busy, setBusy] = useState(false);

  // Each opening mounts a fresh Form, even when the modal reopens before its close animation ends.
  const [openings, setOpenings] = useState(0);
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) setOpenings((n) => n + 1);
  }

  const onFinish = async (values: T) => {
    setBusy(true);
    errors.clear();
    try {
      await submit(values);
      onClose();
    } catch (error) {
      errors.handle(error);
      // A long form may have scrolled past the field the server refused: bring it into view.
      const refused = form.getFieldsError().find((field) => field.errors.length > 0);
      if (refused) form.scrollToField(refused.name, { block: 'center' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      width={width}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      afterClose={() => errors.clear()}
      mask={{ closable: false }}
    >
      <FormAlert message={errors.alert} />
      <Form<T>
        key={openings}
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void onFinish(values)}
        preserve={false}
        scrollToFirstError
      >
        {children}
        <StartFromInitialValues />
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={busy} data-testid={submitTestId}>
            {submitText ?? t('common.save')}
          </Button>
        </Flex>
      </Form>
    </Modal>
  );
}
