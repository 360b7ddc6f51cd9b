/**
 * The actions and entity types the server records today, offered as filter suggestions and
 * translated in the table. An action not listed here still shows, untranslated.
 */
export const knownAuditActions = [
  'auth.login',
  'auth.logout',
  'auth.lockout',
  'auth.password_change',
  'auth.totp_enroll',
  'auth.totp_enable',
  'auth.totp_disable',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.reset_password',
  'user.preferences',
  'jurisdiction.create',
  'jurisdiction.update',
  'center.create',
  'center.update',
  'department.create',
  'department.update',
  'api_token.create',
  'api_token.revoke',
  'audit.export',
  'permission.denied',
] as const;

export const knownEntityTypes = ['user', 'jurisdiction', 'center', 'department', 'api_token', 'audit_event'] as const;
