import type { JurisdictionLevel } from '@qiao/contracts';
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { buildJurisdictionTree, jurisdictionName, mapTree } from '../lib/jurisdiction-tree.js';
import { useJurisdictions } from '../lib/shared-queries.js';

interface Option {
  value: number;
  title: string;
  disabled?: boolean;
  children: Option[];
}

interface Props {
  id?: string;
  value?: number;
  onChange?: (value: number | undefined) => void;
  /** Only these levels can be chosen (a role's placement); others stay visible for orientation. */
  levels?: readonly JurisdictionLevel[];
  allowClear?: boolean;
  disabled?: boolean;
  placeholder?: string;
  'aria-label'?: string;
  'data-testid'?: string;
}

/** Picks one jurisdiction from the caller's scope, shown as the tree it is. */
export function JurisdictionTreeSelect({ levels, allowClear, placeholder, ...props }: Props) {
  const { t, i18n } = useTranslation();
  const { data = [], isLoading } = useJurisdictions();
  const treeData = useMemo(
    () =>
      mapTree<Option>(buildJurisdictionTree(data), ({ jurisdiction }, children) => ({
        value: jurisdiction.id,
        title: jurisdictionName(jurisdiction, i18n.language),
        disabled: levels ? !levels.includes(jurisdiction.level) : false,
        children,
      })),
    [data, levels, i18n.language],
  );
  return (
    <TreeSelect<number>
      {...props}
      treeData={treeData}
      loading={isLoading}
      allowClear={allowClear}
      placeholder={placeholder ?? t('common.chooseJurisdiction')}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll={data.length <= 60}
      style={{ minWidth: 220, width: '100%' }}
    />
  );
}
