import { PlusOutlined } from '@ant-design/icons';
import type { Jurisdiction } from '@qiao/contracts';
import { Button, Card, Col, Empty, Row, Space, Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { buildJurisdictionTree, jurisdictionName, mapTree } from '../../lib/jurisdiction-tree.js';
import { useJurisdictions } from '../../lib/shared-queries.js';
import { CreateJurisdictionModal } from './create-jurisdiction-modal.js';
import type { NewLevel } from './create-jurisdiction-modal.js';
import { JurisdictionDetails } from './jurisdiction-details.js';

/** Where a new subdistrict goes by default: the selected district, or the selected subdistrict's. */
function districtFor(selected: Jurisdiction | undefined, byId: Map<number, Jurisdiction>): Jurisdiction | undefined {
  if (selected?.level === 'district') return selected;
  if (selected?.level === 'subdistrict' && selected.parentId !== undefined) return byId.get(selected.parentId);
  return undefined;
}

/** The ids of a node's ancestors within the caller's scope, nearest first. */
function ancestorIds(jurisdiction: Jurisdiction, byId: Map<number, Jurisdiction>): number[] {
  const ids: number[] = [];
  for (let id = jurisdiction.parentId; id !== undefined; id = byId.get(id)?.parentId) {
    if (!byId.has(id)) break;
    ids.push(id);
  }
  return ids;
}

export function JurisdictionsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { data, error, isPending, refetch, byId } = useJurisdictions();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState<NewLevel | null>(null);
  // null until the person expands or collapses a node: then their choice, not the default.
  const [expanded, setExpanded] = useState<number[] | null>(null);

  const tree = useMemo(() => buildJurisdictionTree(data ?? []), [data]);
  const treeData = useMemo(
    () =>
      mapTree<TreeDataNode>(tree, ({ jurisdiction }, children) => ({
        key: jurisdiction.id,
        title: jurisdictionName(jurisdiction, i18n.language),
        children,
      })),
    [tree, i18n.language],
  );

  const selectedId = Number(params.get('id')) || tree[0]?.jurisdiction.id;
  const selected = selectedId === undefined ? undefined : byId.get(selectedId);
  const select = (id: number) => setParams({ id: String(id) }, { replace: true });

  const items = [...(data ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const cities = items.filter((j) => j.level === 'city');
  const districts = items.filter((j) => j.level === 'district');
  const manage = can('jurisdiction:manage');
  const expandedKeys = expanded ?? [...cities, ...districts].slice(0, 50).map((j) => j.id);

  // Each new selection (a deep link, a node just created under a collapsed parent) opens its
  // ancestors once, as soon as the node is in the list; collapsing them afterwards stays the
  // person's choice.
  const [revealedId, setRevealedId] = useState<number>();
  if (selected && selected.id !== revealedId) {
    setRevealedId(selected.id);
    const closed = ancestorIds(selected, byId).filter((id) => !expandedKeys.includes(id));
    if (closed.length > 0) setExpanded([...expandedKeys, ...closed]);
  }

  // …and scrolls the tree card (never the page) to it once the expanding motion has run.
  const treeBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (revealedId === undefined) return;
    const timer = setTimeout(() => {
      const box = treeBox.current;
      const node = box?.querySelector('.ant-tree-treenode-selected');
      if (!box || !node) return;
      const { top, bottom } = node.getBoundingClientRect();
      const view = box.getBoundingClientRect();
      if (top < view.top) box.scrollTop -= view.top - top;
      else if (bottom > view.bottom) box.scrollTop += bottom - view.bottom;
    }, 300);
    return () => clearTimeout(timer);
  }, [revealedId]);

  const actions = manage && (
    <Space wrap>
      <Button
        icon={<PlusOutlined />}
        onClick={() => setCreating('district')}
        disabled={cities.length === 0}
        data-testid="create-district"
      >
        {t('jurisdictions.newDistrict')}
      </Button>
      <Button
        icon={<PlusOutlined />}
        onClick={() => setCreating('subdistrict')}
        disabled={districts.length === 0}
        data-testid="create-subdistrict"
      >
        {t('jurisdictions.newSubdistrict')}
      </Button>
    </Space>
  );

  return (
    <>
      <PageTitle title={t('jurisdictions.title')} extra={actions} />
      {isPending && <PageSpinner />}
      {error && <QueryError error={error} onRetry={() => void refetch()} />}
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={9} xl={8}>
            <Card title={t('jurisdictions.tree')}>
              {treeData.length === 0 ? (
                <Empty />
              ) : (
                <div ref={treeBox} style={{ maxHeight: '70vh', overflow: 'auto' }}>
                  <Tree
                    aria-label={t('jurisdictions.tree')}
                    data-testid="jurisdiction-tree"
                    treeData={treeData}
                    selectedKeys={selectedId === undefined ? [] : [selectedId]}
                    expandedKeys={expandedKeys}
                    onExpand={(keys) => setExpanded(keys.map(Number))}
                    onSelect={(keys) => keys[0] !== undefined && select(Number(keys[0]))}
                    blockNode
                    showLine
                  />
                </div>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={15} xl={16}>
            {selected ? (
              <JurisdictionDetails
                jurisdiction={selected}
                parent={selected.parentId === undefined ? undefined : byId.get(selected.parentId)}
              />
            ) : (
              <Card>
                <Empty description={t('jurisdictions.selectHint')} />
              </Card>
            )}
          </Col>
        </Row>
      )}
      <CreateJurisdictionModal
        level={creating}
        parents={creating === 'district' ? cities : districts}
        defaultParent={creating === 'district' ? cities[0] : (districtFor(selected, byId) ?? districts[0])}
        onClose={() => setCreating(null)}
        onCreated={(created) => select(created.id)}
      />
    </>
  );
}
