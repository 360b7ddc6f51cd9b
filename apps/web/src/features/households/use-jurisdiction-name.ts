import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { useJurisdictions } from '../../lib/shared-queries.js';

/** Names a jurisdiction by id in the reader's language; volunteers know only their own from the session. */
export function useJurisdictionName(): (id: number) => string {
  const { i18n } = useTranslation();
  const { can, jurisdiction } = useAuth();
  const { byId } = useJurisdictions(can('jurisdiction:read'));
  return useCallback(
    (id: number) =>
      jurisdictionName(byId.get(id) ?? (jurisdiction?.id === id ? jurisdiction : undefined), i18n.language),
    [byId, jurisdiction, i18n.language],
  );
}
