import { Alert, Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/errors.js';

/** A failed query: what went wrong and a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={errorMessage(t, error)}
      action={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function PageSpinner() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: 240 }}>
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}
