export * from './audit.js';
export * from './auth.js';
export * from './errors.js';
export * from './jurisdictions.js';
export * from './overview.js';
export * from './roles.js';
export * from './text.js';
export * from './users.js';
