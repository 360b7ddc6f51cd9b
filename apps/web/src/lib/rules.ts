import type { FormRule } from 'antd';

interface Validator {
  safeParse(value: unknown): { success: boolean };
}

/**
 * An antd rule backed by a contract schema, so the form accepts exactly what the server will;
 * the message is the UI's own, in the reader's language. Empty values are left to `required`.
 */
export function schemaRule(schema: Validator, message: string): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === null || value === '') return;
      if (!schema.safeParse(value).success) throw new Error(message);
    },
  };
}
