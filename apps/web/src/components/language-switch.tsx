import { App, Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePreferences } from '../app/preferences.js';
import { errorMessage } from '../lib/errors.js';
import type { Locale } from '../lib/i18n.js';

const options: { label: string; value: Locale }[] = [
  { label: '中文', value: 'zh-CN' },
  { label: 'English', value: 'en' },
];

/** Each option names its language in that language, so anyone can find their own. */
export function LanguageSwitch({ testId = 'language-switch' }: { testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { locale, setLocale } = usePreferences();
  return (
    <Segmented<Locale>
      aria-label={t('preferences.language')}
      data-testid={testId}
      options={options}
      value={locale}
      onChange={(value) => setLocale(value).catch((error: unknown) => message.error(errorMessage(t, error)))}
    />
  );
}
