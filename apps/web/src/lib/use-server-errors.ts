import type { ErrorCode } from '@qiao/contracts';
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api.js';
import { applyFieldErrors, errorMessage, fieldErrorMessage } from './errors.js';

/**
 * Routes a failed submit: field errors go under their fields, anything else becomes the form's
 * alert. `codeFields` places a problem that is about one field (`duplicate_username` →
 * `username`) under that field too.
 */
export function useServerErrors(form: FormInstance, codeFields: Partial<Record<ErrorCode, string>> = {}) {
  const { t } = useTranslation();
  const [alert, setAlert] = useState<string>();

  const handle = (error: unknown) => {
    const field = isApiError(error) && error.code !== 'network_error' ? codeFields[error.code] : undefined;
    if (field) {
      form.setFields([{ name: field, errors: [errorMessage(t, error)] }]);
      setAlert(undefined);
      return;
    }
    const unmatched = applyFieldErrors(form, error, t);
    const hasFieldErrors = isApiError(error) && error.fieldErrors.length > 0;
    if (hasFieldErrors && unmatched.length === 0) setAlert(undefined);
    else if (unmatched.length > 0) setAlert(unmatched.map((e) => `${e.field}: ${fieldErrorMessage(t, e)}`).join('; '));
    else setAlert(errorMessage(t, error));
  };
  return { alert, handle, clear: () => setAlert(undefined) };
}
