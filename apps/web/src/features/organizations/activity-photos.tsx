import { DeleteOutlined, PictureOutlined } from '@ant-design/icons';
import { MAX_ACTIVITY_PHOTOS } from '@qiao/contracts';
import { App, Button, Flex, Image, Popconfirm, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.js';
import type { Activity } from './organizations-api.js';
import { activityPhotoUrl, useAddActivityPhoto, useDeleteActivityPhoto } from './organizations-api.js';

/** What the photo picker accepts; the server checks the content again. */
export const PHOTO_ACCEPT = '.jpg,.jpeg,.png,image/jpeg,image/png';

const THUMB = 56;

interface Props {
  organizationId: number;
  activity: Activity;
  canAdd: boolean;
  canDelete: boolean;
}

/**
 * An activity's photos as thumbnails (the browser scales the stored image down; no copy is made on
 * the server) that open in a viewer with arrow keys and Esc; adding for those who record activities,
 * deleting for staff.
 */
export function ActivityPhotos({ organizationId, activity, canAdd, canDelete }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const add = useAddActivityPhoto(organizationId);
  const remove = useDeleteActivityPhoto(organizationId);
  const room = MAX_ACTIVITY_PHOTOS - activity.photos.length;

  return (
    <Flex gap={6} wrap align="center" data-testid={`activity-photos-${activity.id}`}>
      <Image.PreviewGroup>
        {activity.photos.map((p, i) => (
          <div key={p.id} style={{ position: 'relative' }}>
            <Image
              width={THUMB}
              height={THUMB}
              style={{ objectFit: 'cover', borderRadius: 4 }}
              src={activityPhotoUrl(organizationId, activity.id, p.id)}
              alt={t('activities.photoAlt', { title: activity.title, n: i + 1 })}
              loading="lazy"
              data-testid="activity-photo"
            />
            {canDelete && (
              <Popconfirm
                title={t('activities.photoDeleteConfirm')}
                okText={t('activities.photoDelete')}
                okButtonProps={{ danger: true, 'data-testid': 'activity-photo-delete-ok' }}
                onConfirm={() =>
                  remove
                    .mutateAsync({ activityId: activity.id, photoId: p.id })
                    .then(() => message.success(t('activities.photoDeleted')))
                    .catch((e: unknown) => message.error(errorMessage(t, e)))
                }
              >
                <Button
                  size="small"
                  danger
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('activities.photoDelete')}
                  data-testid="activity-photo-delete"
                  style={{ position: 'absolute', top: 0, right: 0, background: 'rgba(255,255,255,0.85)' }}
                />
              </Popconfirm>
            )}
          </div>
        ))}
      </Image.PreviewGroup>
      {canAdd && room > 0 && (
        <Upload
          accept={PHOTO_ACCEPT}
          multiple
          showUploadList={false}
          beforeUpload={(file) => {
            add
              .mutateAsync({ activityId: activity.id, file })
              .then(() => message.success(t('activities.photoAdded', { name: file.name })))
              .catch((e: unknown) => message.error(`${file.name}: ${errorMessage(t, e)}`));
            return false;
          }}
        >
          <Button
            size="small"
            icon={<PictureOutlined />}
            loading={add.isPending}
            aria-label={t('activities.photoAdd')}
            data-testid={`activity-photo-add-${activity.id}`}
          >
            {activity.photos.length === 0 ? t('activities.photoAdd') : null}
          </Button>
        </Upload>
      )}
      {!canAdd && activity.photos.length === 0 && '—'}
    </Flex>
  );
}
