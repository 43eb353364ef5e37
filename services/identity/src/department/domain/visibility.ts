/** What visibility needs to know about a department. */
export interface VisibilityNode {
  readonly parentId: string | null;
  readonly supervisorId: string | null;
  readonly hidden: boolean;
  readonly visibleToMemberIds: readonly string[];
  readonly visibleToDepartmentIds: readonly string[];
}

/** Who is looking. `departmentIds`: the viewer's departments (empty until members carry departments). */
export interface Viewer {
  readonly memberId: string;
  readonly isAdmin: boolean;
  readonly departmentIds?: readonly string[];
}

/**
 * ORG-4: a hidden department is seen only by the administrator, its supervisor, the members on
 * its visibility list and the members of the departments on that list. Hiding covers the subtree:
 * to see a department one must be allowed to see every hidden department above it (and itself).
 */
export function isVisibleTo(lookup: (id: string) => VisibilityNode | undefined, departmentId: string, viewer: Viewer): boolean {
  if (viewer.isAdmin) return true;
  const seen = new Set<string>();
  let id: string | null = departmentId;
  while (id !== null && !seen.has(id)) {
    seen.add(id);
    const node = lookup(id);
    if (!node) return false;
    if (node.hidden && !allowedOn(node, viewer)) return false;
    id = node.parentId;
  }
  return true;
}

function allowedOn(node: VisibilityNode, viewer: Viewer): boolean {
  if (node.supervisorId === viewer.memberId) return true;
  if (node.visibleToMemberIds.includes(viewer.memberId)) return true;
  return (viewer.departmentIds ?? []).some((d) => node.visibleToDepartmentIds.includes(d));
}
