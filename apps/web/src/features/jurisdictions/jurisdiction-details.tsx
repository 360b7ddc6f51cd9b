import { EditOutlined } from '@ant-design/icons';
import type { Jurisdiction } from '@qiao/contracts';
import { Button, Card, Descriptions, Flex } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { formatInstant } from '../../lib/format.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { CenterCard } from './center-card.js';
import { DepartmentsCard } from './departments-card.js';
import { RenameJurisdictionModal } from './rename-jurisdiction-modal.js';

export function JurisdictionDetails({
  jurisdiction,
  parent,
}: {
  jurisdiction: Jurisdiction;
  parent: Jurisdiction | undefined;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [renaming, setRenaming] = useState(false);

  return (
    <Flex vertical gap={16}>
      <Card
        title={jurisdictionName(jurisdiction, i18n.language)}
        extra={
          can('jurisdiction:manage') && (
            <Button icon={<EditOutlined />} onClick={() => setRenaming(true)} data-testid="jurisdiction-rename">
              {t('jurisdictions.rename')}
            </Button>
          )
        }
        data-testid="jurisdiction-details"
      >
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'name', label: t('jurisdictions.name'), children: jurisdiction.name },
            { key: 'nameEn', label: t('jurisdictions.nameEn'), children: jurisdiction.nameEn ?? '—' },
            { key: 'level', label: t('jurisdictions.level'), children: t(`levels.${jurisdiction.level}`) },
            { key: 'code', label: t('jurisdictions.code'), children: jurisdiction.code },
            {
              key: 'parent',
              label: t('jurisdictions.parent'),
              children: parent ? jurisdictionName(parent, i18n.language) : '—',
            },
            { key: 'created', label: t('common.createdAt'), children: formatInstant(jurisdiction.createdAt) },
          ]}
        />
      </Card>
      {(jurisdiction.level === 'subdistrict' || jurisdiction.center) && (
        <CenterCard key={jurisdiction.id} jurisdiction={jurisdiction} canManage={can('center:manage')} />
      )}
      {can('department:read') && (
        <DepartmentsCard jurisdictionId={jurisdiction.id} canManage={can('department:manage')} />
      )}
      <RenameJurisdictionModal jurisdiction={jurisdiction} open={renaming} onClose={() => setRenaming(false)} />
    </Flex>
  );
}
