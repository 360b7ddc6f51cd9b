import { notificationKinds, type Notification } from '@qiao/contracts';
import type { TFunction } from 'i18next';

/** A known kind in the reader's language with its params; any other shows the title it was sent with. */
export function notificationText(t: TFunction, n: Notification): string {
  if (!(notificationKinds as readonly string[]).includes(n.kind)) return n.title;
  const params = Object.fromEntries(
    Object.entries(n.params).map(([k, v]) => {
      if (k === 'category' && typeof v === 'string') return [k, t(`caseCategories.${v}`, { defaultValue: v })];
      if (k === 'missed' && typeof v === 'string') return [k, t(`notifications.missed.${v}`, { defaultValue: v })];
      return [k, v ?? ''];
    }),
  );
  return t(`notifications.kinds.${n.kind}`, { ...params, defaultValue: n.title });
}
