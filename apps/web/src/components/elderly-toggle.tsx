import { App, Space, Switch } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePreferences } from '../app/preferences.js';
import { errorMessage } from '../lib/errors.js';

export function ElderlyToggle({ testId = 'elderly-toggle' }: { testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { elderlyMode, setElderlyMode } = usePreferences();
  const labelId = useId();
  return (
    <Space size={8}>
      <span id={labelId}>{t('preferences.elderlyMode')}</span>
      <Switch
        aria-labelledby={labelId}
        data-testid={testId}
        checked={elderlyMode}
        onChange={(on) => setElderlyMode(on).catch((error: unknown) => message.error(errorMessage(t, error)))}
      />
    </Space>
  );
}
