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
  email: string | null;
  phone: string | null;
  email_enabled: number;
  sms_enabled: number;
  updated_at: string;
}

export interface NotificationOutboxTable {
  id: Generated<number>;
  notification_id: number | null;
  channel: 'email' | 'sms';
  recipient: string;
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
  activities: ActivityTable;
  filing_sequences: FilingSequenceTable;
  applications: ApplicationTable;
  documents: DocumentTable;
  organization_name_bigrams: OrganizationNameBigramTable;
  risk_rule_settings: RiskRuleSettingTable;
  risk_settings: RiskSettingsTable;
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
