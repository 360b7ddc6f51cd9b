import type { Jurisdiction } from '@qiao/contracts';

export interface JurisdictionNode {
  jurisdiction: Jurisdiction;
  children: JurisdictionNode[];
}

/**
 * Builds the tree from the flat list. A node whose parent is outside the caller's scope (or
 * absent, for the city) is a root: a district officer's tree starts at their district.
 */
export function buildJurisdictionTree(items: readonly Jurisdiction[]): JurisdictionNode[] {
  const nodes = new Map<number, JurisdictionNode>();
  for (const jurisdiction of items) nodes.set(jurisdiction.id, { jurisdiction, children: [] });
  const roots: JurisdictionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.jurisdiction.parentId === undefined ? undefined : nodes.get(node.jurisdiction.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const byCode = (a: JurisdictionNode, b: JurisdictionNode) => a.jurisdiction.code.localeCompare(b.jurisdiction.code);
  for (const node of nodes.values()) node.children.sort(byCode);
  return roots.sort(byCode);
}

/** Maps the tree into any node shape (antd Tree, TreeSelect). */
export function mapTree<T>(nodes: readonly JurisdictionNode[], map: (node: JurisdictionNode, children: T[]) => T): T[] {
  return nodes.map((node) => map(node, mapTree(node.children, map)));
}

/** The display name in the reader's language: the English name when there is one. */
export function jurisdictionName(
  jurisdiction: Pick<Jurisdiction, 'name' | 'nameEn'> | undefined,
  language: string,
): string {
  if (!jurisdiction) return '—';
  return language === 'en' && jurisdiction.nameEn ? jurisdiction.nameEn : jurisdiction.name;
}
