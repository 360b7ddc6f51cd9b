import { EnvironmentOutlined } from '@ant-design/icons';
import type { Organization } from '@qiao/contracts';
import { Alert, App, Button, Form } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { useJurisdictions } from '../../lib/shared-queries.js';
import { useAssignJurisdiction } from './registry-sync-api.js';

interface Values {
  jurisdictionId: number;
}

const subdistricts = ['subdistrict'] as const;

/**
 * An imported organization the bureau's file could not place below district or city level waits
 * there: say so, and let those who import place it in a subdistrict.
 */
export function AwaitingPlacement({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { byId } = useJurisdictions(can('jurisdiction:read'));
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const assign = useAssignJurisdiction(organization.id);
  const level = byId.get(organization.jurisdictionId)?.level;
  if (level !== 'district' && level !== 'city') return null;
  const mayAssign = can('registry:import');

  return (
    <>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="org-awaiting-placement"
        title={t('registrySync.awaitingPlacement')}
        description={t('registrySync.awaitingPlacementText')}
        action={
          mayAssign && (
            <Button icon={<EnvironmentOutlined />} onClick={() => setOpen(true)} data-testid="assign-open">
              {t('registrySync.assign')}
            </Button>
          )
        }
      />
      {mayAssign && (
        <FormModal<Values>
          open={open}
          title={t('registrySync.assignTitle', { name: organization.name })}
          form={form}
          onClose={() => setOpen(false)}
          submit={async (values) => {
            await assign.mutateAsync(values.jurisdictionId);
            message.success(t('registrySync.assigned'));
          }}
          submitTestId="assign-submit"
          submitText={t('registrySync.assign')}
        >
          <Form.Item
            name="jurisdictionId"
            label={t('registrySync.subdistrict')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <JurisdictionTreeSelect
              levels={subdistricts}
              placeholder={t('registrySync.chooseSubdistrict')}
              data-testid="assign-jurisdiction"
            />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}
