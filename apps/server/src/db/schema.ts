import type { Generated, Insertable, Selectable } from 'kysely';

// Instants are stored as UTC ISO-8601 text and flags as 0/1 integers on both engines (ADR 0002).

export interface JurisdictionTable {
  id: Generated<number>;
  parent_id: number | null;
  level: 'city' | 'district' | 'subdistrict';
  name: string;
  name_en: string | null;
  code: string;
  /** Materialized path of ids, `/1/4/9/`: a subtree is `path LIKE '/1/4/%'`. */
  path: string;
  created_at: string;
  updated_at: string;
}

export interface CenterTable {
  jurisdiction_id: number;
  name: string;
  address: string | null;
  phone: string | null;
  opening_hours: string | null;
  updated_at: string;
}

export interface DepartmentTable {
  id: Generated<number>;
  jurisdiction_id: number;
  name: string;
  /** JSON array of department kinds. */
  kinds: string;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  username_key: string;
  display_name: string;
  password_hash: string;
  role: string;
  jurisdiction_id: number;
  department_id: number | null;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled: number;
  totp_last_step: number | null;
  elderly_mode: number;
  locale: 'zh-CN' | 'en';
  organization_id: number | null;
  /** 1 while the account may only follow and amend its own application. */
  application_only: Generated<number>;
  password_changed_at: string;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  created_by: number;
  jurisdiction_id: number;
  permissions: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface AuditEventTable {
  /** Assigned from the chain head under its lock, so ids are gap-free and in chain order. */
  id: number;
  occurred_at: string;
  actor_id: number | null;
  actor_name: string | null;
  actor_role: string | null;
  jurisdiction_id: number | null;
  scope_path: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  changes: string;
  details: string | null;
  request_id: string | null;
  ip: string | null;
  outcome: 'success' | 'failure' | 'denied';
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: number;
  last_id: number;
  last_hash: string;
}

export interface OrganizationTable {
  id: Generated<number>;
  kind: string;
  name: string;
  name_en: string | null;
  uscc: string | null;
  filing_number: string | null;
  status: string;
  jurisdiction_id: number;
  jurisdiction_path: string;
  founded_on: string | null;
  registered_on: string | null;
  registration_authority: string | null;
  supervising_unit: string | null;
  address: string | null;
  pic_name: string | null;
  /** Person in charge's ID number and phone: AES-GCM sealed, a masked copy for lists, a keyed index for duplicate checks. */
  pic_id_sealed: string | null;
  pic_id_masked: string | null;
  pic_id_index: string | null;
  pic_phone_sealed: string | null;
  pic_phone_masked: string | null;
  fields: string;
  members_count: number | null;
  staff_count: number | null;
  volunteers_count: number | null;
  needs: string | null;
  capabilities: string | null;
  party_branch_kind: string;
  party_branch: string | null;
  certificate_expires_on: string | null;
  contact_status: string;
  unreachable_since: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface OrganizationVersionTable {
  id: Generated<number>;
  organization_id: number;
  version: number;
  changed_at: string;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  reason: string | null;
  changes: string;
}

export interface OrganizationChangeRequestTable {
  id: Generated<number>;
  organization_id: number;
  pending_organization_id: number | null;
  jurisdiction_id: number;
  jurisdiction_path: string;
  status: string;
  body_sealed: string;
  preview: string;
  requested_by: number | null;
  requested_by_name: string | null;
  requested_at: string;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: string | null;
  reason: string | null;
}

export interface ActivityTable {
  id: Generated<number>;
  organization_id: number;
  occurred_on: string;
  title: string;
  field: string | null;
  participants: number | null;
  beneficiaries: number | null;
  description: string | null;
  recorded_by_id: number | null;
  recorded_by_name: string | null;
  created_at: string;
}

export interface ActivityPhotoTable {
  id: Generated<number>;
  activity_id: number;
  organization_id: number;
  storage_key: string;
  content_type: string;
  file_name: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  uploaded_by_id: number | null;
  uploaded_by_name: string | null;
  created_at: string;
}

export interface FilingSequenceTable {
  jurisdiction_id: number;
  year: number;
  last: number;
}

export interface ApplicationTable {
  id: Generated<number>;
  organization_id: number;
  applicant_id: number;
  status: string;
  jurisdiction_id: number;
  jurisdiction_path: string;
  decision_reason: string | null;
  reviewer_id: number | null;
  reviewer_name: string | null;
  submitted_at: string;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A file of evidence attached to an aid application (stored under QIAO_DATA_DIR/aid-evidence). */
export interface AidEvidenceTable {
  id: Generated<number>;
  application_id: number;
  storage_key: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by_id: number | null;
  uploaded_by_name: string | null;
  created_at: string;
}

export interface DocumentTable {
  id: Generated<number>;
  organization_id: number;
  type: string;
  storage_key: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by_id: number | null;
  uploaded_by_name: string | null;
  created_at: string;
}

/** Every two-character substring (lower-cased) of every organization name; triggers keep it in step. */
export interface OrganizationNameBigramTable {
  bigram: string;
  jurisdiction_path: string;
  organization_id: number;
}

/** A row here, inside a bulk import's transaction, makes the bigram triggers list new names as pending (migration 0014). */
export interface OrganizationNameDeferralTable {
  deferred: number | null;
}

/** Organizations whose bigram postings are not written yet: search tests their names directly (migration 0014). */
export interface OrganizationNamePendingTable {
  organization_id: number;
}

/** A household in hardship; the head's ID number and phone are sealed, masked and keyed (migration 0006). */
export interface HouseholdTable {
  id: Generated<number>;
  jurisdiction_id: number;
  jurisdiction_path: string;
  head_name: string;
  id_sealed: string;
  id_masked: string;
  id_index: string;
  phone_sealed: string | null;
  phone_masked: string | null;
  phone_index: string | null;
  category: string;
  address: string | null;
  card_number: string | null;
  verified_at: string | null;
  verified_by_id: number | null;
  verified_by_name: string | null;
  verification_note: string | null;
  /** Date YYYY-MM-DD (Asia/Shanghai) through which the verification holds. */
  valid_until: string | null;
  /** The valid_until the re-verification reminder was last sent for: once per verification period. */
  reverify_reminded_for: string | null;
  consent_data_use: number;
  consent_sharing: number;
  consent_on: string | null;
  consent_scope: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HouseholdMemberTable {
  id: Generated<number>;
  household_id: number;
  name: string;
  relation: string;
  birth_year: number | null;
  sensitive_sealed: string | null;
  created_at: string;
}

export interface HouseholdVerificationTable {
  id: Generated<number>;
  household_id: number;
  verified_at: string;
  verifier_id: number | null;
  verifier_name: string | null;
  note: string | null;
  valid_until: string;
}

export interface HouseholdDuplicateTaskTable {
  id: Generated<number>;
  jurisdiction_id: number;
  jurisdiction_path: string;
  existing_household_id: number;
  head_name: string;
  id_masked: string;
  category: string;
  attempted_by_id: number | null;
  attempted_by_name: string | null;
  status: string;
  resolution: string | null;
  resolved_by_name: string | null;
  resolved_at: string | null;
  created_at: string;
}

export interface HouseholdSettingsTable {
  id: number;
  verification_valid_days: number;
  reverify_notice_days: number;
  aid_second_approval_fen: number;
  aid_yearly_cap_fen: number;
  volunteer_points_per_hour: number;
  updated_at: string;
}

export interface AidApplicationTable {
  id: Generated<number>;
  household_id: number;
  jurisdiction_id: number;
  jurisdiction_path: string;
  kind: string;
  amount_fen: number;
  year: number;
  reason: string;
  evidence: string;
  status: string;
  needs_second_approval: number;
  applied_by_id: number | null;
  applied_by_name: string | null;
  first_approver_id: number | null;
  first_approver_name: string | null;
  first_approved_at: string | null;
  second_approver_id: number | null;
  second_approver_name: string | null;
  second_approved_at: string | null;
  decision_note: string | null;
  disbursed_fen: Generated<number>;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AidDisbursementTable {
  id: Generated<number>;
  application_id: number;
  amount_fen: number;
  paid_on: string;
  method: string;
  reference: string | null;
  recorded_by_id: number | null;
  recorded_by_name: string | null;
  created_at: string;
}

export interface VolunteerTable {
  id: Generated<number>;
  jurisdiction_id: number;
  jurisdiction_path: string;
  name: string;
  phone_sealed: string | null;
  phone_masked: string | null;
  household_id: number | null;
  skills: string | null;
  status: string;
  /** The user account of the volunteer, who then sees their record and logs their own hours. */
  user_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface VolunteerShiftTable {
  id: Generated<number>;
  jurisdiction_id: number;
  jurisdiction_path: string;
  title: string;
  place: string | null;
  starts_at: string;
  ends_at: string;
  created_at: string;
}

export interface VolunteerHoursTable {
  id: Generated<number>;
  volunteer_id: number;
  shift_id: number | null;
  jurisdiction_path: string;
  worked_on: string;
  minutes: number;
  description: string | null;
  status: string;
  /** Who logged them (a volunteer logging their own, or staff); null for hours logged before 0017. */
  logged_by_id: number | null;
  logged_by_name: string | null;
  decided_by_id: number | null;
  decided_by_name: string | null;
  decided_at: string | null;
  decision_note: string | null;
  points: number | null;
  created_at: string;
}

// ---- Charity supermarket (migration 0007) ----

export interface StoreTable {
  id: Generated<number>;
  name: string;
  jurisdiction_id: number;
  jurisdiction_path: string;
  created_at: string;
}

export interface ItemTable {
  id: Generated<number>;
  name: string;
  unit: string;
  points_price: number;
  category: string;
  barcode: string | null;
  created_at: string;
  /** 1: every movement names a lot with an expiry date (migration 0016). */
  tracks_expiry: Generated<number>;
}

/** A lot of a tracked item in a store (migration 0016); on_hand kept by a trigger, never by code. */
export interface StockLotTable {
  id: Generated<number>;
  store_id: number;
  item_id: number;
  expires_on: string;
  lot_code: Generated<string>;
  on_hand: Generated<number>;
  created_at: string;
}

export interface StockMovementTable {
  id: Generated<number>;
  store_id: number;
  item_id: number;
  kind: string;
  /** Signed: in > 0, out < 0. */
  quantity: number;
  reason: string | null;
  reference: string | null;
  reverses_id: number | null;
  actor_id: number | null;
  actor_name: string | null;
  created_at: string;
  /** The lot, for an item that tracks expiry (migration 0016). */
  lot_id: Generated<number | null>;
}

/** Kept by a trigger on stock_movements; never written by code. */
export interface StockBalanceTable {
  store_id: number;
  item_id: number;
  on_hand: number;
}

export interface ReceiptSequenceTable {
  store_id: number;
  year: number;
  series: string;
  last: number;
}

export interface DonationTable {
  id: Generated<number>;
  store_id: number;
  jurisdiction_path: string;
  year: number;
  seq: number;
  receipt_no: string;
  donor_name: string | null;
  donor_kind: string | null;
  amount_fen: number | null;
  actor_id: number | null;
  actor_name: string | null;
  created_at: string;
}

export interface FundEntryTable {
  id: Generated<number>;
  store_id: number;
  fund: 'donated' | 'operating';
  amount_fen: number;
  reference: string;
  created_at: string;
}

export interface EntitlementProgramTable {
  id: Generated<number>;
  name: string;
  period: string;
  points_by_category: string;
  visit_limit: number | null;
  active: number;
  created_at: string;
  updated_at: string;
  /** Granted points last this many months; null: they never expire (migration 0016). */
  points_valid_months: Generated<number | null>;
}

export interface ProgramQuotaTable {
  program_id: number;
  item_id: number;
  quantity: number;
}

export interface PointsEntryTable {
  id: Generated<number>;
  household_id: number;
  kind: string;
  points: number;
  reason: string | null;
  program_id: number | null;
  reference: string | null;
  actor_id: number | null;
  actor_name: string | null;
  created_at: string;
}

/** Kept by a trigger on points_entries; never written by code. */
export interface PointsBalanceTable {
  household_id: number;
  points: number;
}

export interface CheckoutTable {
  id: Generated<number>;
  store_id: number;
  household_id: number;
  jurisdiction_path: string;
  year: number;
  seq: number;
  receipt_no: string;
  points_spent: number;
  points_left: number;
  actor_id: number;
  actor_name: string | null;
  idempotency_key: string;
  request_digest: string;
  created_at: string;
}

export interface CheckoutLineTable {
  checkout_id: number;
  item_id: number;
  quantity: number;
  points: number;
}

export interface RiskRuleSettingTable {
  rule_id: string;
  enabled: number;
  weight: number;
  /** JSON object of the rule's integer parameters. */
  params: string;
  updated_at: string;
  updated_by_name: string | null;
}

export interface RiskSettingsTable {
  id: number;
  yellow: number;
  orange: number;
  red: number;
  /** Hour of the nightly scan, Asia/Shanghai. */
  scan_hour: number;
  last_scan_at: string | null;
  /** The Asia/Shanghai day of the last scan: the nightly job runs once a day. */
  last_scan_on: string | null;
  updated_at: string;
}

/** Scratch rows of one scan: what each rule found. */
export interface RiskScanHitTable {
  scan_id: string;
  rule_id: string;
  weight: number;
  organization_id: number;
  since: string | null;
  ev_date: string | null;
  ev_count: number | null;
  ev_text: string | null;
}

export interface RiskSignalTable {
  id: Generated<number>;
  organization_id: number;
  jurisdiction_path: string;
  rule_id: string;
  weight: number;
  since: string;
  ev_date: string | null;
  ev_count: number | null;
  ev_text: string | null;
  raised_at: string;
  /** Null while the signal is open (its alert stands). */
  cleared_on: string | null;
}

/** Organizations above green; an organization without a row is green with score 0. */
export interface OrganizationRiskTable {
  organization_id: number;
  jurisdiction_path: string;
  level: string;
  score: number;
  level_since: string;
  evaluated_at: string;
}

export interface RiskLevelHistoryTable {
  id: Generated<number>;
  organization_id: number;
  level: string;
  score: number;
  changed_on: string;
  changed_at: string;
}

export interface AbnormalListingTable {
  id: Generated<number>;
  organization_id: number;
  jurisdiction_path: string;
  reason: string;
  listed_on: string;
  details: string;
  removed_on: string | null;
  removal_kind: string | null;
  removal_evidence: string | null;
  removed_by_name: string | null;
}

/** Kept by a trigger on organization_versions: one row per change of the person in charge's name. */
export interface OrganizationLeaderChangeTable {
  organization_id: number;
  changed_on: string;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  title: string;
  body: string | null;
  /** JSON object: the values the web fills into the kind's translated text. */
  params: string;
  link: string | null;
  jurisdiction_id: number;
  jurisdiction_path: string;
  read_at: string | null;
  created_at: string;
}

export interface NotificationContactTable {
  user_id: number;
  /** Sealed with the keyring (purpose `notification-contacts`); the masked copy is for display. */
  email_sealed: string | null;
  email_masked: string | null;
  phone_sealed: string | null;
  phone_masked: string | null;
  email_enabled: number;
  sms_enabled: number;
  updated_at: string;
}

export interface NotificationOutboxTable {
  id: Generated<number>;
  notification_id: number | null;
  channel: 'email' | 'sms';
  /** Copied sealed from notification_contacts; opened only by the delivery worker. */
  recipient_sealed: string;
  recipient_masked: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface JobLeaseTable {
  name: string;
  holder: string | null;
  expires_at: string | null;
  due_at: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_result: string | null;
  last_error: string | null;
}

export interface RegistryImportJobTable {
  id: Generated<number>;
  actor_id: number | null;
  actor_name: string;
  scope_path: string;
  filename: string | null;
  bytes: number;
  status: 'running' | 'done' | 'failed';
  estimated_rows: number | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  result: string | null;
  error: string | null;
  error_fields: string | null;
  started_at: string;
  finished_at: string | null;
  holder: string | null;
  heartbeat_at: string | null;
  upload_file: string | null;
}

export interface SlaPolicyTable {
  severity: string;
  acknowledge_minutes: number;
  resolve_minutes: number;
  updated_at: string;
}

export interface CaseRoutingRuleTable {
  id: Generated<number>;
  category: string;
  jurisdiction_id: number;
  jurisdiction_path: string;
  target: 'center' | 'department';
  department_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface CaseTable {
  id: Generated<number>;
  category: string;
  severity: string;
  description: string;
  status: 'open' | 'acknowledged' | 'resolved';
  jurisdiction_id: number;
  jurisdiction_path: string;
  household_id: number | null;
  organization_id: number | null;
  reporter_id: number | null;
  reporter_name: string;
  reporter_role: string;
  queue: 'center' | 'department';
  department_id: number | null;
  assignee_id: number | null;
  assignee_name: string | null;
  level: 'subdistrict' | 'district' | 'city';
  level_jurisdiction_id: number;
  acknowledge_due_at: string;
  resolve_due_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  outcome: string | null;
  escalated_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CaseReferralTable {
  id: Generated<number>;
  case_id: number;
  to_department_id: number;
  reason: string;
  status: 'pending' | 'accepted' | 'declined';
  decision_note: string | null;
  created_by_name: string;
  decided_by_name: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  kind: string;
  actor_id: number | null;
  actor_name: string | null;
  actor_role: string | null;
  details: string;
  occurred_at: string;
}

export interface Database {
  jurisdictions: JurisdictionTable;
  centers: CenterTable;
  departments: DepartmentTable;
  users: UserTable;
  recovery_codes: RecoveryCodeTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  audit_events: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
  organizations: OrganizationTable;
  organization_versions: OrganizationVersionTable;
  organization_change_requests: OrganizationChangeRequestTable;
  activities: ActivityTable;
  activity_photos: ActivityPhotoTable;
  filing_sequences: FilingSequenceTable;
  applications: ApplicationTable;
  documents: DocumentTable;
  organization_name_bigrams: OrganizationNameBigramTable;
  organization_name_deferral: OrganizationNameDeferralTable;
  organization_name_pending: OrganizationNamePendingTable;
  households: HouseholdTable;
  household_members: HouseholdMemberTable;
  household_verifications: HouseholdVerificationTable;
  household_duplicate_tasks: HouseholdDuplicateTaskTable;
  household_settings: HouseholdSettingsTable;
  aid_applications: AidApplicationTable;
  aid_disbursements: AidDisbursementTable;
  aid_evidence: AidEvidenceTable;
  volunteers: VolunteerTable;
  volunteer_shifts: VolunteerShiftTable;
  volunteer_hours: VolunteerHoursTable;
  stores: StoreTable;
  items: ItemTable;
  stock_movements: StockMovementTable;
  stock_lots: StockLotTable;
  stock_balances: StockBalanceTable;
  receipt_sequences: ReceiptSequenceTable;
  donations: DonationTable;
  fund_entries: FundEntryTable;
  entitlement_programs: EntitlementProgramTable;
  program_quotas: ProgramQuotaTable;
  points_entries: PointsEntryTable;
  points_balances: PointsBalanceTable;
  checkouts: CheckoutTable;
  checkout_lines: CheckoutLineTable;
  risk_rule_settings: RiskRuleSettingTable;
  risk_settings: RiskSettingsTable;
  service_fields: ServiceFieldTable;
  risk_scan_hits: RiskScanHitTable;
  risk_signals: RiskSignalTable;
  organization_risk: OrganizationRiskTable;
  risk_level_history: RiskLevelHistoryTable;
  abnormal_listings: AbnormalListingTable;
  organization_leader_changes: OrganizationLeaderChangeTable;
  notifications: NotificationTable;
  notification_contacts: NotificationContactTable;
  notification_outbox: NotificationOutboxTable;
  job_leases: JobLeaseTable;
  registry_import_jobs: RegistryImportJobTable;
  sla_policies: SlaPolicyTable;
  case_routing_rules: CaseRoutingRuleTable;
  cases: CaseTable;
  case_referrals: CaseReferralTable;
  case_events: CaseEventTable;
}

export type OrganizationRow = Selectable<OrganizationTable>;

export type JurisdictionRow = Selectable<JurisdictionTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type ApplicationRow = Selectable<ApplicationTable>;
export type DocumentRow = Selectable<DocumentTable>;
export type HouseholdRow = Selectable<HouseholdTable>;

/** The configurable taxonomy of fields of service (migration 0012). */
export interface ServiceFieldTable {
  code: string;
  label_zh: string;
  label_en: string;
  position: number;
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}
