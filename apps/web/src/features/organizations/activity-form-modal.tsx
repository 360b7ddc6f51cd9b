import { PictureOutlined } from '@ant-design/icons';
import { MAX_ACTIVITY_PHOTOS } from '@qiao/contracts';
import { App, Button, Col, DatePicker, Form, Input, InputNumber, Row, Select, Upload } from 'antd';
import type { UploadFile } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { errorMessage } from '../../lib/errors.js';
import { PHOTO_ACCEPT } from './activity-photos.js';
import { useAddActivityPhoto, useRecordActivity } from './organizations-api.js';
import type { RecordActivityInput } from './organizations-api.js';
import { useFieldOptions } from '../../lib/service-fields.js';

interface Values {
  occurredOn: Dayjs;
  title: string;
  field?: string;
  participants?: number | null;
  beneficiaries?: number | null;
  description?: string;
  photos?: UploadFile[];
}

function toBody(values: Values): RecordActivityInput {
  const body: RecordActivityInput = { occurredOn: values.occurredOn.format('YYYY-MM-DD'), title: values.title.trim() };
  if (values.field) body.field = values.field;
  if (typeof values.participants === 'number') body.participants = values.participants;
  if (typeof values.beneficiaries === 'number') body.beneficiaries = values.beneficiaries;
  if (values.description?.trim()) body.description = values.description.trim();
  return body;
}

interface Props {
  organizationId: number;
  /** The organization's own fields of service come first in the list. */
  defaultField?: string;
  open: boolean;
  onClose(): void;
}

/** Records something an organization did: when, what, for whom, how many took part. */
export function ActivityFormModal({ organizationId, defaultField, open, onClose }: Props) {
  const { t } = useTranslation();
  const fieldOptions = useFieldOptions();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const record = useRecordActivity(organizationId);
  const addPhoto = useAddActivityPhoto(organizationId);
  return (
    <FormModal<Values>
      open={open}
      title={t('activities.recordTitle')}
      form={form}
      width={640}
      initialValues={{ occurredOn: dayjs(), field: defaultField }}
      onClose={onClose}
      submit={async (values) => {
        const activity = await record.mutateAsync(toBody(values));
        // The activity is kept whatever becomes of its photos; one that is refused is named, and may be added again.
        const failed: string[] = [];
        for (const photo of values.photos ?? []) {
          if (!photo.originFileObj) continue;
          await addPhoto
            .mutateAsync({ activityId: activity.id, file: photo.originFileObj })
            .catch((e: unknown) => failed.push(`${photo.name}: ${errorMessage(t, e)}`));
        }
        if (failed.length) message.warning(t('activities.recordedPhotosFailed', { list: failed.join('；') }), 8);
        else message.success(t('activities.recorded'));
      }}
      submitTestId="org-activity-submit"
      submitText={t('common.save')}
    >
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name="occurredOn"
            label={t('activities.occurredOn')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <DatePicker
              format="YYYY-MM-DD"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              data-testid="org-activity-form-date"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name="title"
            label={t('activities.title')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}
          >
            <Input maxLength={100} data-testid="org-activity-form-title" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="field" label={t('activities.field')}>
            <Select allowClear data-testid="org-activity-form-field" options={fieldOptions} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="participants" label={t('activities.participants')}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="org-activity-form-participants" />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="beneficiaries" label={t('activities.beneficiaries')}>
            <InputNumber
              min={0}
              precision={0}
              style={{ width: '100%' }}
              data-testid="org-activity-form-beneficiaries"
            />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="description" label={t('activities.description')} rules={[{ max: 2000 }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="org-activity-form-description" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="photos"
            label={t('activities.photos')}
            extra={t('activities.photosHint', { max: MAX_ACTIVITY_PHOTOS })}
            valuePropName="fileList"
            getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(0, MAX_ACTIVITY_PHOTOS)}
          >
            <Upload
              accept={PHOTO_ACCEPT}
              multiple
              listType="picture"
              beforeUpload={() => false}
              maxCount={MAX_ACTIVITY_PHOTOS}
            >
              <Button icon={<PictureOutlined />} data-testid="org-activity-form-photos">
                {t('activities.photoChoose')}
              </Button>
            </Upload>
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
