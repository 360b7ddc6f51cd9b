import { permissions, rolePermissions, roles } from './roles.js';

/** The matrix as a Markdown table; docs/permissions.md embeds it and a test keeps the two equal. */
export function permissionsTable(): string {
  const head = `| permission | ${roles.join(' | ')} |`;
  const rule = `|---|${roles.map(() => ':-:').join('|')}|`;
  const rows = permissions.map(
    (p) => `| \`${p}\` | ${roles.map((r) => (rolePermissions[r].includes(p) ? '✓' : '')).join(' | ')} |`,
  );
  return [head, rule, ...rows].join('\n');
}
