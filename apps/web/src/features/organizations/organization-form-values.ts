import { normalizeIdNumber, normalizeUscc, registeredKinds } from '@qiao/contracts';
import type {
  CreateOrganizationBody,
  Organization,
  OrganizationKind,
  partyBranchKinds,
  UpdateOrganizationBody,
} from '@qiao/contracts';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';

/** A field of service's code (the taxonomy lives on the server: GET /api/service-fields). */
export type ServiceField = string;
export type PartyBranchKind = (typeof partyBranchKinds)[number];

/** What the organization form holds: dates as Dayjs, counts as numbers or null, text as typed. */
export interface OrganizationFormValues {
  kind: OrganizationKind;
  name: string;
  nameEn?: string;
  uscc?: string;
  jurisdictionId: number;
  foundedOn?: Dayjs | null;
  registeredOn?: Dayjs | null;
  registrationAuthority?: string;
  supervisingUnit?: string;
  address?: string;
  certificateExpiresOn?: Dayjs | null;
  personInCharge?: { name?: string; idNumber?: string; phone?: string };
  fields?: ServiceField[];
  membersCount?: number | null;
  staffCount?: number | null;
  volunteersCount?: number | null;
  needs?: { tags?: string[]; text?: string };
  capabilities?: { tags?: string[]; text?: string };
  partyBranch?: {
    kind?: PartyBranchKind;
    membersCount?: number | null;
    secretary?: string;
    establishedOn?: Dayjs | null;
    commitmentLetter?: boolean;
  };
  contactStatus?: Organization['contactStatus'];
}

export function isRegisteredKind(kind: OrganizationKind | undefined): boolean {
  return kind !== undefined && registeredKinds.includes(kind);
}

function text(value: string | undefined | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function day(value: Dayjs | null | undefined): string | undefined {
  return value ? value.format('YYYY-MM-DD') : undefined;
}

function count(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function tagsAndText(value: { tags?: string[]; text?: string } | undefined) {
  const tags = (value?.tags ?? []).map((tag) => tag.trim()).filter(Boolean);
  const body = text(value?.text);
  if (tags.length === 0 && !body) return undefined;
  return body ? { tags, text: body } : { tags };
}

/** Drops the keys whose value is undefined, so the body carries only what was filled in. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function personInCharge(values: OrganizationFormValues): CreateOrganizationBody['personInCharge'] {
  const name = text(values.personInCharge?.name);
  if (!name) return undefined;
  const idNumber = text(values.personInCharge?.idNumber);
  const phone = text(values.personInCharge?.phone);
  return compact({
    name,
    idNumber: idNumber ? normalizeIdNumber(idNumber) : undefined,
    phone: phone ? phone.replace(/[\s-]/g, '') : undefined,
  });
}

function partyBranch(values: OrganizationFormValues): CreateOrganizationBody['partyBranch'] {
  const branch = values.partyBranch;
  if (!branch?.kind) return undefined;
  const organized = branch.kind !== 'none';
  return compact({
    kind: branch.kind,
    membersCount: organized ? count(branch.membersCount) : undefined,
    secretary: organized ? text(branch.secretary) : undefined,
    establishedOn: organized ? day(branch.establishedOn) : undefined,
    commitmentLetter: branch.commitmentLetter,
  });
}

/** The fields both create and update carry, read from the form. */
function profile(values: OrganizationFormValues) {
  const registered = isRegisteredKind(values.kind);
  return {
    name: text(values.name),
    nameEn: text(values.nameEn),
    foundedOn: day(values.foundedOn),
    // Registration data belongs to registered kinds; a filed organization's form does not show it.
    registeredOn: registered ? day(values.registeredOn) : undefined,
    registrationAuthority: registered ? text(values.registrationAuthority) : undefined,
    certificateExpiresOn: registered ? day(values.certificateExpiresOn) : undefined,
    supervisingUnit: text(values.supervisingUnit),
    address: text(values.address),
    personInCharge: personInCharge(values),
    fields: values.fields && values.fields.length > 0 ? values.fields : undefined,
    membersCount: count(values.membersCount),
    staffCount: count(values.staffCount),
    volunteersCount: count(values.volunteersCount),
    needs: tagsAndText(values.needs),
    capabilities: tagsAndText(values.capabilities),
    partyBranch: partyBranch(values),
  };
}

export function toCreateBody(values: OrganizationFormValues): CreateOrganizationBody {
  const uscc = isRegisteredKind(values.kind) ? text(values.uscc) : undefined;
  return compact({
    kind: values.kind,
    uscc: uscc ? normalizeUscc(uscc) : undefined,
    jurisdictionId: values.jurisdictionId,
    ...profile(values),
    name: text(values.name) ?? '',
  });
}

function dayjsOrUndefined(value: string | null): Dayjs | undefined {
  return value ? dayjs(value) : undefined;
}

function numberField(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The form's starting values for an organization. The person in charge's ID number and phone
 * arrive masked and are never sent back: their inputs start empty and change them only when typed.
 */
export function fromOrganization(org: Organization): OrganizationFormValues {
  const branch = org.partyBranch ?? undefined;
  return {
    kind: org.kind,
    name: org.name,
    nameEn: org.nameEn ?? undefined,
    uscc: org.uscc ?? undefined,
    jurisdictionId: org.jurisdictionId,
    foundedOn: dayjsOrUndefined(org.foundedOn),
    registeredOn: dayjsOrUndefined(org.registeredOn),
    registrationAuthority: org.registrationAuthority ?? undefined,
    supervisingUnit: org.supervisingUnit ?? undefined,
    address: org.address ?? undefined,
    certificateExpiresOn: dayjsOrUndefined(org.certificateExpiresOn),
    personInCharge: org.personInCharge ? { name: org.personInCharge.name } : undefined,
    fields: org.fields as ServiceField[],
    membersCount: org.membersCount,
    staffCount: org.staffCount,
    volunteersCount: org.volunteersCount,
    needs: org.needs ? { tags: org.needs.tags, text: org.needs.text } : undefined,
    capabilities: org.capabilities ? { tags: org.capabilities.tags, text: org.capabilities.text } : undefined,
    partyBranch: branch
      ? {
          kind: stringField(branch['kind']) as PartyBranchKind | undefined,
          membersCount: numberField(branch['membersCount']),
          secretary: stringField(branch['secretary']),
          establishedOn: dayjsOrUndefined(stringField(branch['establishedOn']) ?? null),
          commitmentLetter: typeof branch['commitmentLetter'] === 'boolean' ? branch['commitmentLetter'] : undefined,
        }
      : undefined,
    contactStatus: org.contactStatus,
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A PATCH with only what the person changed, so the change history names exactly that. An emptied
 * list (fields, needs, capabilities) is sent empty; any other emptied field is left as it was,
 * since the update body has no way to clear one.
 */
export function toUpdateBody(values: OrganizationFormValues, org: Organization): UpdateOrganizationBody {
  const before = profile(fromOrganization(org));
  const after = profile({ ...values, kind: org.kind });
  const body: Record<string, unknown> = {};
  // Lists the person emptied are sent empty; other emptied fields cannot be cleared by an update.
  const emptied: Partial<Record<string, unknown>> = { fields: [], needs: { tags: [] }, capabilities: { tags: [] } };
  for (const [key, value] of Object.entries(after)) {
    if (key === 'personInCharge') continue;
    const previous = before[key as keyof typeof before];
    const next = value === undefined && previous !== undefined ? emptied[key] : value;
    if (next !== undefined && !same(next, previous)) body[key] = next;
  }
  // The person in charge goes whole when any of it was typed: the name, plus a new ID number or phone.
  const person = after.personInCharge;
  if (person && (person.idNumber || person.phone || person.name !== org.personInCharge?.name)) {
    body['personInCharge'] = person;
  }
  const uscc = text(values.uscc);
  if (isRegisteredKind(org.kind) && uscc && normalizeUscc(uscc) !== org.uscc) body['uscc'] = normalizeUscc(uscc);
  if (values.contactStatus && values.contactStatus !== org.contactStatus) body['contactStatus'] = values.contactStatus;
  return body as UpdateOrganizationBody;
}
