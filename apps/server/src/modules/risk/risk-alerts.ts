import { notify } from '../notifications/notify.js';
import type { RiskAlertSink } from './risk.service.js';

/**
 * New signals of a scan tell the center staff of each subdistrict concerned: one inbox message per
 * subdistrict and scan step (a first scan of 10^6 organizations must not send 10^6 messages), in
 * the scan's transaction. An open signal is the alert; when its rule no longer fires the signal is
 * cleared, which resolves the alert in the risk views (the message stays in the inbox as history).
 */
export const riskAlertsToCenterStaff: RiskAlertSink = {
  async raised(trx, alerts) {
    for (const a of alerts) {
      await notify(trx, {
        audience: { jurisdictionId: a.jurisdictionId, roles: ['center_staff'] },
        about: { id: a.jurisdictionId, path: a.jurisdictionPath },
        kind: 'risk.alert',
        title: `风险预警：${a.organizations} 个社会组织出现 ${a.signals} 条新风险信号`,
        params: { organizations: a.organizations, signals: a.signals },
        link: '/risk',
      });
    }
  },
};
