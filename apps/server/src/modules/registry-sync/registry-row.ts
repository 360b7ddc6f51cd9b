import {
  cleanText,
  isValidUscc,
  normalizeUscc,
  registryKindAliases,
  registryStatusAliases,
  type OrganizationKind,
  type OrganizationStatus,
} from '@qiao/contracts';
import type { FileRecord } from './registry-file.js';

/** A bureau row, checked and normalized. Optional fields left empty in the file are null: "not given". */
export interface RegistryRow {
  line: number;
  uscc: string;
  name: string;
  kind: OrganizationKind;
  legalRepresentative: string | null;
  registeredOn: string | null;
  status: OrganizationStatus;
  authority: string | null;
  address: string | null;
  jurisdictionCode: string | null;
}

export interface RowError {
  field: string;
  code: string;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** YYYY-MM-DD from the forms bureau exports use: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305. */
export function parseRegistryDate(text: string, today = new Date()): string | null {
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2] ?? m[4]);
  const d = Number(m[3] ?? m[5]);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (date.getTime() > today.getTime()) return null;
  return date.toISOString().slice(0, 10);
}

function text(
  values: FileRecord['values'],
  field: string,
  max: number,
  errors: RowError[],
  opts: { required?: boolean; multiline?: boolean } = {},
): string | null {
  const raw = values[field];
  if (raw === undefined || raw === '') {
    if (opts.required) errors.push({ field, code: 'required' });
    return null;
  }
  const v = cleanText(raw);
  if (!v) {
    if (opts.required) errors.push({ field, code: 'required' });
    return null;
  }
  if (CONTROL.test(v) || (!opts.multiline && /[\r\n]/.test(v))) {
    errors.push({ field, code: 'invalid_characters' });
    return null;
  }
  if ([...v].length > max) {
    errors.push({ field, code: 'too_long' });
    return null;
  }
  return v;
}

/** Checks every field of one record and names each invalid one; nothing stops at the first error. */
export function validateRecord(record: FileRecord): { ok: true; row: RegistryRow } | { ok: false; errors: RowError[] } {
  if (record.unreadable) return { ok: false, errors: [{ field: 'line', code: record.unreadable }] };
  const v = record.values;
  const errors: RowError[] = [];

  let uscc = '';
  const rawUscc = v.uscc === undefined ? '' : normalizeUscc(v.uscc);
  if (!rawUscc) errors.push({ field: 'uscc', code: 'required' });
  else if (!isValidUscc(rawUscc)) errors.push({ field: 'uscc', code: 'invalid_uscc' });
  else uscc = rawUscc;

  const name = text(v, 'name', 100, errors, { required: true });

  const kindText = text(v, 'kind', 50, errors, { required: true });
  const kind = kindText ? registryKindAliases[kindText.toLowerCase()] : undefined;
  if (kindText && !kind) errors.push({ field: 'kind', code: 'invalid_kind' });

  const legalRepresentative = text(v, 'legal_representative', 50, errors);

  const dateText = text(v, 'registered_on', 20, errors);
  const registeredOn = dateText ? parseRegistryDate(dateText) : null;
  if (dateText && !registeredOn) errors.push({ field: 'registered_on', code: 'invalid_date' });

  const statusText = text(v, 'status', 20, errors, { required: true });
  const status = statusText ? registryStatusAliases[statusText.toLowerCase()] : undefined;
  if (statusText && !status) errors.push({ field: 'status', code: 'invalid_status' });

  const authority = text(v, 'authority', 100, errors);
  const address = text(v, 'address', 200, errors, { multiline: true });

  const codeText = text(v, 'jurisdiction_code', 12, errors);
  if (codeText && !/^\d{6,12}$/.test(codeText)) errors.push({ field: 'jurisdiction_code', code: 'invalid_code' });

  if (errors.length || !name || !kind || !status) return { ok: false, errors };
  return {
    ok: true,
    row: {
      line: record.line,
      uscc,
      name,
      kind,
      legalRepresentative,
      registeredOn,
      status,
      authority,
      address,
      jurisdictionCode: codeText,
    },
  };
}
