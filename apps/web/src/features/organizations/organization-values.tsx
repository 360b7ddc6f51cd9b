import type { Organization } from '@qiao/contracts';
import { Space, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { formatValue } from '../../lib/format.js';
import { i18n } from '../../lib/i18n.js';
import { useFieldLabel } from '../../lib/service-fields.js';

/** Fields whose history key differs from their label's key. */
const labelAliases: Record<string, string> = { jurisdictionId: 'jurisdiction' };

function subLabel(t: TFunction, part: string): string {
  const key = `organizations.sub.${part}`;
  return i18n.exists(key) ? t(key) : part;
}

/** The reader's name for a profile field as the change history names it (`personInCharge.phone` too). */
export function fieldLabel(t: TFunction, field: string): string {
  const [head = field, ...rest] = field.split('.');
  const key = `organizations.${labelAliases[head] ?? head}`;
  const label = i18n.exists(key) ? t(key) : head;
  return rest.length === 0 ? label : `${label} · ${subLabel(t, rest.join('.'))}`;
}

function translated(t: TFunction, prefix: string, value: unknown): string {
  if (typeof value !== 'string') return formatValue(value);
  const key = `${prefix}.${value}`;
  return i18n.exists(key) ? t(key) : value;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * A before/after value of the change history as a person reads it: labels, not codes. Fields of
 * service are named by `serviceFieldLabel` (the taxonomy's labels, admin-added fields included).
 */
export function describeValue(
  t: TFunction,
  field: string,
  value: unknown,
  jurisdictionName: (id: number) => string,
  serviceFieldLabel: (code: string) => string = (code) => translated(t, 'serviceFields', code),
): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value) && value.length === 0) return '—';
  const [head, sub] = field.split('.');
  if (head === 'partyBranch' && sub === 'kind') return translated(t, 'partyBranchKinds', value);
  switch (head) {
    case 'status':
      return translated(t, 'orgStatuses', value);
    case 'kind':
      return translated(t, 'orgKinds', value);
    case 'contactStatus':
      return translated(t, 'contactStatuses', value);
    case 'jurisdictionId':
      return typeof value === 'number' ? jurisdictionName(value) : formatValue(value);
    case 'fields':
      return Array.isArray(value)
        ? value.map((f) => (typeof f === 'string' ? serviceFieldLabel(f) : formatValue(f))).join('、')
        : formatValue(value);
    default: {
      // An object (person in charge, party branch, needs): each part named, in the reader's words.
      const object = record(value);
      if (!object) return Array.isArray(value) ? value.map(formatValue).join('、') : formatValue(value);
      return (
        Object.entries(object)
          // `masked` says how personal data is shown, not what it is.
          .filter(([k, v]) => k !== 'masked' && v !== null && v !== undefined && v !== '')
          .map(
            ([k, v]) =>
              `${subLabel(t, k)}: ${describeValue(t, `${head}.${k}`, v, jurisdictionName, serviceFieldLabel)}`,
          )
          .join('; ')
      );
    }
  }
}

/** Tags, one per field of service. */
export function ServiceFieldTags({ fields }: { fields: readonly string[]; t?: TFunction }) {
  const label = useFieldLabel();
  if (fields.length === 0) return <>—</>;
  return (
    <Space size={[0, 4]} wrap>
      {fields.map((f) => (
        <Tag key={f}>{label(f)}</Tag>
      ))}
    </Space>
  );
}

/** The registry number a person quotes: the USCC of a registered organization, else the filing number. */
export function registryNumber(org: Pick<Organization, 'uscc' | 'filingNumber'>): string {
  return org.uscc ?? org.filingNumber ?? '—';
}
