import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-registry.js';
import * as m0003 from './0003-name-search.js';
import * as m0004 from './0004-applications.js';
import * as m0006 from './0006-households.js';
import * as m0007 from './0007-market.js';
import * as m0008 from './0008-risk.js';
import * as m0009 from './0009-cases-notifications.js';
import * as m0010 from './0010-reverify-reminders.js';
import * as m0011 from './0011-change-requests.js';
import * as m0012 from './0012-service-fields.js';
import * as m0013 from './0013-import-jobs.js';
import * as m0014 from './0014-deferred-name-postings.js';
import * as m0015 from './0015-sale-returns.js';
import * as m0016 from './0016-lots.js';
import * as m0017 from './0017-volunteer-accounts-aid-evidence.js';
import * as m0018 from './0018-activity-photos-import-leases.js';

/** Every migration, in order. Migrations are frozen: they never import application code. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-registry': m0002,
  '0003-name-search': m0003,
  '0004-applications': m0004,
  '0006-households': m0006,
  '0007-market': m0007,
  '0008-risk': m0008,
  '0009-cases-notifications': m0009,
  '0010-reverify-reminders': m0010,
  '0011-change-requests': m0011,
  '0012-service-fields': m0012,
  '0013-import-jobs': m0013,
  '0014-deferred-name-postings': m0014,
  '0015-sale-returns': m0015,
  '0016-lots': m0016,
  '0017-volunteer-accounts-aid-evidence': m0017,
  '0018-activity-photos-import-leases': m0018,
};
