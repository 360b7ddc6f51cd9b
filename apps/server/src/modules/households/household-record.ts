import { maskIdNumber, maskPhone, type HardshipCategory, type Household, type HouseholdSummary } from '@qiao/contracts';
import type { Selectable } from 'kysely';
import type { HouseholdMemberTable, HouseholdRow } from '../../db/schema.js';
import type { Keyring } from '../../platform/crypto.js';
import { redeemBlock, shanghaiToday } from './household-rules.js';

/** Purposes of the keys derived from QIAO_SECRET: one to seal, one per blind index. */
export const HOUSEHOLD_PII_KEY = 'household-pii';
export const HOUSEHOLD_ID_INDEX_KEY = 'household-id-index';
export const HOUSEHOLD_PHONE_INDEX_KEY = 'household-phone-index';

/** Sealed, masked and indexed columns of an ID number. */
export function idNumberColumns(keyring: Keyring, idNumber: string) {
  return {
    id_sealed: keyring.encrypt(HOUSEHOLD_PII_KEY, idNumber),
    id_masked: maskIdNumber(idNumber),
    id_index: keyring.hmac(HOUSEHOLD_ID_INDEX_KEY, idNumber),
  };
}

/** Sealed, masked and indexed columns of a phone number; null clears them. */
export function phoneColumns(keyring: Keyring, phone: string | null) {
  return {
    phone_sealed: phone ? keyring.encrypt(HOUSEHOLD_PII_KEY, phone) : null,
    phone_masked: phone ? maskPhone(phone) : null,
    phone_index: phone ? keyring.hmac(HOUSEHOLD_PHONE_INDEX_KEY, phone) : null,
  };
}

type MemberRow = Selectable<HouseholdMemberTable>;

/** A list row: personal data masked, no members. */
export function presentHouseholdSummary(r: HouseholdRow, today = shanghaiToday()): HouseholdSummary {
  const block = redeemBlock(r, today);
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    headName: r.head_name,
    idNumber: r.id_masked,
    phone: r.phone_masked,
    masked: true,
    category: r.category as HardshipCategory,
    address: r.address,
    cardNumber: r.card_number,
    verification:
      r.verified_at && r.valid_until
        ? {
            verifiedAt: r.verified_at,
            verifiedBy: r.verified_by_name,
            note: r.verification_note,
            validUntil: r.valid_until,
          }
        : null,
    mayRedeem: block === null,
    redeemBlock: block,
    consent:
      r.consent_on && r.consent_scope
        ? {
            dataUse: r.consent_data_use === 1,
            sharing: r.consent_sharing === 1,
            on: r.consent_on,
            scope: r.consent_scope,
          }
        : null,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function presentHousehold(r: HouseholdRow, members: MemberRow[], today = shanghaiToday()): Household {
  return {
    ...presentHouseholdSummary(r, today),
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      relation: m.relation as Household['members'][number]['relation'],
      birthYear: m.birth_year,
      hasSensitive: m.sensitive_sealed !== null,
    })),
  };
}

/** Fields compared for the audit trail; the ID number and phone appear only masked. */
export const auditedFields = [
  'headName',
  'idNumber',
  'phone',
  'category',
  'address',
  'cardNumber',
  'verification',
  'consent',
  'jurisdictionId',
] as const;
