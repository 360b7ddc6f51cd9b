import {
  maskIdNumber,
  maskPhone,
  usccWarning,
  type Organization,
  type OrganizationKind,
  type OrganizationStatus,
  type UpdateOrganizationBody,
} from '@qiao/contracts';
import type { OrganizationRow, OrganizationTable } from '../../db/schema.js';
import type { Keyring } from '../../platform/crypto.js';

export const PII_KEY = 'organization-pii';
export const PII_INDEX_KEY = 'organization-pii-index';

type Columns = Partial<Omit<OrganizationTable, 'id'>>;
type Profile = Omit<UpdateOrganizationBody, 'kind' | 'uscc' | 'contactStatus'>;

const json = (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v));

/**
 * The columns for the profile fields present in `body` (absent fields stay untouched). Personal
 * data is sealed with AES-GCM, with a masked copy for lists and a keyed index for duplicate checks.
 */
export function profileColumns(body: Partial<Profile>, keyring: Keyring): Columns {
  const c: Columns = {};
  const set = <K extends keyof Columns>(key: K, value: Columns[K] | undefined) => {
    if (value !== undefined) c[key] = value;
  };
  set('name', body.name);
  set('name_en', body.nameEn);
  set('founded_on', body.foundedOn);
  set('registered_on', body.registeredOn);
  set('registration_authority', body.registrationAuthority);
  set('supervising_unit', body.supervisingUnit);
  set('address', body.address);
  set('fields', json(body.fields ? [...new Set(body.fields)] : undefined) as string | undefined);
  set('members_count', body.membersCount);
  set('staff_count', body.staffCount);
  set('volunteers_count', body.volunteersCount);
  set('needs', json(body.needs));
  set('capabilities', json(body.capabilities));
  set('certificate_expires_on', body.certificateExpiresOn);
  if (body.partyBranch) {
    c.party_branch_kind = body.partyBranch.kind;
    c.party_branch = JSON.stringify(body.partyBranch);
  } else if (body.partyBranch === null) {
    c.party_branch_kind = 'none';
    c.party_branch = null;
  }
  if (body.personInCharge === null) {
    Object.assign(c, {
      pic_name: null,
      pic_id_sealed: null,
      pic_id_masked: null,
      pic_id_index: null,
      pic_phone_sealed: null,
      pic_phone_masked: null,
    });
  } else if (body.personInCharge) {
    // Only what is sent changes: the forms never hold the clear values, so they cannot send them back.
    const { name, idNumber, phone } = body.personInCharge;
    c.pic_name = name;
    if (idNumber !== undefined) {
      c.pic_id_sealed = idNumber ? keyring.encrypt(PII_KEY, idNumber) : null;
      c.pic_id_masked = idNumber ? maskIdNumber(idNumber) : null;
      c.pic_id_index = idNumber ? keyring.hmac(PII_INDEX_KEY, idNumber) : null;
    }
    if (phone !== undefined) {
      c.pic_phone_sealed = phone ? keyring.encrypt(PII_KEY, phone) : null;
      c.pic_phone_masked = phone ? maskPhone(phone) : null;
    }
  }
  return c;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** What the API answers; personal data masked unless `revealed` holds the clear values. */
export function presentOrganization(r: OrganizationRow): Organization {
  return {
    id: r.id,
    kind: r.kind as OrganizationKind,
    name: r.name,
    nameEn: r.name_en,
    uscc: r.uscc,
    usccWarning: r.uscc ? usccWarning(r.uscc) : null,
    filingNumber: r.filing_number,
    status: r.status as OrganizationStatus,
    jurisdictionId: r.jurisdiction_id,
    foundedOn: r.founded_on,
    registeredOn: r.registered_on,
    registrationAuthority: r.registration_authority,
    supervisingUnit: r.supervising_unit,
    address: r.address,
    personInCharge: r.pic_name
      ? { name: r.pic_name, idNumber: r.pic_id_masked, phone: r.pic_phone_masked, masked: true }
      : null,
    fields: parse<string[]>(r.fields) ?? [],
    membersCount: r.members_count,
    staffCount: r.staff_count,
    volunteersCount: r.volunteers_count,
    needs: parse(r.needs),
    capabilities: parse(r.capabilities),
    partyBranch: parse(r.party_branch),
    certificateExpiresOn: r.certificate_expires_on,
    contactStatus: r.contact_status as Organization['contactStatus'],
    unreachableSince: r.unreachable_since,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Fields compared for the change history; personal data shows as changed, masked. */
export const historyFields = [
  'kind',
  'name',
  'nameEn',
  'uscc',
  'status',
  'jurisdictionId',
  'foundedOn',
  'registeredOn',
  'registrationAuthority',
  'supervisingUnit',
  'address',
  'personInCharge',
  'fields',
  'membersCount',
  'staffCount',
  'volunteersCount',
  'needs',
  'capabilities',
  'partyBranch',
  'certificateExpiresOn',
  'contactStatus',
] as const;
