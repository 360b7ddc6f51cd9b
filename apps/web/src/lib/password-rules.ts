import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

/**
 * The parts of the password policy a browser can check (length, classes, username); the
 * common-password list stays on the server, which answers weak_password with field errors.
 */
export function passwordRules(t: TFunction, username: () => string | undefined): FormRule[] {
  return [
    { required: true, message: t('common.required') },
    { min: 12, message: t('password.policyLength') },
    { max: 128, message: t('password.tooLong') },
    {
      validator: async (_rule, value: unknown) => {
        if (typeof value !== 'string' || value.length < 12) return;
        if (CLASSES.filter((re) => re.test(value)).length < 3) throw new Error(t('password.policyClasses'));
        const name = username()?.trim().toLowerCase();
        if (name && name.length >= 3 && value.toLowerCase().includes(name))
          throw new Error(t('password.policyUsername'));
      },
    },
  ];
}

/** "Type it again" must match the field it repeats. */
export function confirmRule(t: TFunction, field: string): FormRule {
  return ({ getFieldValue }) => ({
    validator: async (_rule, value: unknown) => {
      if (value && value !== getFieldValue(field)) throw new Error(t('password.mismatch'));
    },
  });
}
