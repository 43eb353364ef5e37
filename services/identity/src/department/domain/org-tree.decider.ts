import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { OrgTreeEvent } from './org-tree.events';
import { isVisibleTo, type Viewer } from './visibility';

export const MAX_DEPARTMENT_NAME_LENGTH = 100;
export const MAX_VISIBILITY_ENTRIES = 500;

export interface DepartmentNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly supervisorId: string | null;
  readonly hidden: boolean;
  readonly visibleToMemberIds: readonly string[];
  readonly visibleToDepartmentIds: readonly string[];
}

export interface OrgTreeState {
  readonly enterpriseId: string | null;
  readonly departments: ReadonlyMap<string, DepartmentNode>;
}

interface Base {
  readonly enterpriseId: string;
  /** Who asks: hidden departments the actor may not see behave as absent (404). */
  readonly actor: Viewer;
  readonly now: string;
}

export interface CreateDepartment extends Base {
  readonly kind: 'CreateDepartment';
  readonly departmentId: string;
  readonly name: string;
  readonly parentId: string | null;
}
export interface RenameDepartment extends Base {
  readonly kind: 'RenameDepartment';
  readonly departmentId: string;
  readonly name: string;
}
export interface MoveDepartment extends Base {
  readonly kind: 'MoveDepartment';
  readonly departmentId: string;
  readonly parentId: string | null;
}
export interface SetDepartmentSupervisor extends Base {
  readonly kind: 'SetDepartmentSupervisor';
  readonly departmentId: string;
  /** null clears it. Only the id's format is checked here: membership is the members feature's. */
  readonly supervisorId: string | null;
}
export interface SetDepartmentVisibility extends Base {
  readonly kind: 'SetDepartmentVisibility';
  readonly departmentId: string;
  readonly hidden: boolean;
  readonly visibleToMemberIds: readonly string[];
  readonly visibleToDepartmentIds: readonly string[];
}
export interface DeleteDepartment extends Base {
  readonly kind: 'DeleteDepartment';
  readonly departmentId: string;
}

export type OrgTreeCommand =
  | CreateDepartment
  | RenameDepartment
  | MoveDepartment
  | SetDepartmentSupervisor
  | SetDepartmentVisibility
  | DeleteDepartment;

function normaliseName(name: string): string {
  return name.trim().toLocaleLowerCase();
}

function notFound(id: string): DomainError {
  return new DomainError('not_found', 'identity.department-not-found', `Department ${id} was not found.`);
}

function unchanged<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The department, if it exists and the actor may see it; otherwise 404. */
function visible(state: OrgTreeState, id: string, actor: Viewer): DepartmentNode {
  const node = state.departments.get(id);
  if (!node || !isVisibleTo((d) => state.departments.get(d), id, actor)) throw notFound(id);
  return node;
}

/** A parent named in the body: absent or invisible → 422 naming `parentId`. */
function visibleParent(state: OrgTreeState, parentId: string | null, actor: Viewer): void {
  if (parentId === null) return;
  const parent = state.departments.get(parentId);
  if (!parent || !isVisibleTo((d) => state.departments.get(d), parentId, actor)) {
    throw new DomainError('unprocessable', 'identity.parent-department-not-found', `Parent department ${parentId} was not found.`, {
      parentId: 'no such department in this enterprise',
    });
  }
}

function validName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > MAX_DEPARTMENT_NAME_LENGTH) {
    throw new DomainError('invalid', 'identity.invalid-department', 'The department is not valid.', {
      name: `must be 1-${MAX_DEPARTMENT_NAME_LENGTH} characters (not only spaces)`,
    });
  }
  return name;
}

/** Sibling departments have distinct names (case-insensitive, trimmed). */
function assertUniqueAmongSiblings(state: OrgTreeState, parentId: string | null, name: string, except: string | null): void {
  const wanted = normaliseName(name);
  for (const d of state.departments.values()) {
    if (d.id !== except && d.parentId === parentId && normaliseName(d.name) === wanted) {
      throw new DomainError('conflict', 'identity.department-name-taken', `A sibling department is already named "${name}".`, {
        name: 'is already used by a department with the same parent',
      });
    }
  }
}

/** Whether `candidate` is `id` itself or one of its descendants. */
export function isSelfOrDescendant(state: OrgTreeState, id: string, candidate: string): boolean {
  const seen = new Set<string>();
  let current: string | null = candidate;
  while (current !== null && !seen.has(current)) {
    if (current === id) return true;
    seen.add(current);
    current = state.departments.get(current)?.parentId ?? null;
  }
  return false;
}

function withNode(state: OrgTreeState, node: DepartmentNode): OrgTreeState {
  const departments = new Map(state.departments);
  departments.set(node.id, node);
  return { ...state, departments };
}

function update(state: OrgTreeState, id: string, change: Partial<DepartmentNode>): OrgTreeState {
  const node = state.departments.get(id);
  return node ? withNode(state, { ...node, ...change }) : state;
}

export const orgTreeDecider: Decider<OrgTreeCommand, OrgTreeEvent, OrgTreeState> = {
  initialState: () => ({ enterpriseId: null, departments: new Map() }),

  evolve(state, event) {
    switch (event.type) {
      case 'identity.DepartmentCreated': {
        const d = event.data;
        return withNode(
          { ...state, enterpriseId: d.enterpriseId },
          { id: d.departmentId, name: d.name, parentId: d.parentId, supervisorId: null, hidden: false, visibleToMemberIds: [], visibleToDepartmentIds: [] },
        );
      }
      case 'identity.DepartmentRenamed':
        return update(state, event.data.departmentId, { name: event.data.name });
      case 'identity.DepartmentMoved':
        return update(state, event.data.departmentId, { parentId: event.data.toParentId });
      case 'identity.DepartmentSupervisorChanged':
        return update(state, event.data.departmentId, { supervisorId: event.data.supervisorId });
      case 'identity.DepartmentVisibilityChanged':
        return update(state, event.data.departmentId, {
          hidden: event.data.hidden,
          visibleToMemberIds: [...event.data.visibleToMemberIds],
          visibleToDepartmentIds: [...event.data.visibleToDepartmentIds],
        });
      case 'identity.DepartmentDeleted': {
        const d = event.data;
        const departments = new Map(state.departments);
        departments.delete(d.departmentId);
        for (const childId of d.childIdsMovedToParent) {
          const child = departments.get(childId);
          if (child) departments.set(childId, { ...child, parentId: d.parentId });
        }
        // a list naming the deleted department no longer needs it
        for (const [id, node] of departments) {
          if (node.visibleToDepartmentIds.includes(d.departmentId)) {
            departments.set(id, { ...node, visibleToDepartmentIds: node.visibleToDepartmentIds.filter((x) => x !== d.departmentId) });
          }
        }
        return { ...state, departments };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    const { enterpriseId, actor, now } = command;
    switch (command.kind) {
      case 'CreateDepartment': {
        if (state.departments.has(command.departmentId)) {
          throw new DomainError('conflict', 'identity.department-exists', `Department ${command.departmentId} already exists.`);
        }
        const name = validName(command.name);
        visibleParent(state, command.parentId, actor);
        assertUniqueAmongSiblings(state, command.parentId, name, null);
        return [
          {
            type: 'identity.DepartmentCreated',
            data: { enterpriseId, departmentId: command.departmentId, name, parentId: command.parentId, createdBy: actor.memberId, createdAt: now },
          },
        ];
      }
      case 'RenameDepartment': {
        const node = visible(state, command.departmentId, actor);
        const name = validName(command.name);
        if (name === node.name) return [];
        assertUniqueAmongSiblings(state, node.parentId, name, node.id);
        return [{ type: 'identity.DepartmentRenamed', data: { enterpriseId, departmentId: node.id, name, renamedAt: now } }];
      }
      case 'MoveDepartment': {
        const node = visible(state, command.departmentId, actor);
        visibleParent(state, command.parentId, actor);
        if (command.parentId !== null && isSelfOrDescendant(state, node.id, command.parentId)) {
          throw new DomainError(
            'unprocessable',
            'identity.department-cycle',
            'A department cannot be moved under itself or one of its descendants.',
            { parentId: command.parentId === node.id ? 'is the department itself' : 'is a descendant of the department' },
          );
        }
        if (command.parentId === node.parentId) return [];
        assertUniqueAmongSiblings(state, command.parentId, node.name, node.id);
        return [
          {
            type: 'identity.DepartmentMoved',
            data: { enterpriseId, departmentId: node.id, fromParentId: node.parentId, toParentId: command.parentId, movedAt: now },
          },
        ];
      }
      case 'SetDepartmentSupervisor': {
        const node = visible(state, command.departmentId, actor);
        if (node.supervisorId === command.supervisorId) return [];
        return [
          {
            type: 'identity.DepartmentSupervisorChanged',
            data: { enterpriseId, departmentId: node.id, supervisorId: command.supervisorId, changedAt: now },
          },
        ];
      }
      case 'SetDepartmentVisibility': {
        const node = visible(state, command.departmentId, actor);
        const memberIds = [...new Set(command.visibleToMemberIds)].sort();
        const departmentIds = [...new Set(command.visibleToDepartmentIds)].sort();
        const fields: Record<string, string> = {};
        if (memberIds.length > MAX_VISIBILITY_ENTRIES) fields['visibleToMemberIds'] = `at most ${MAX_VISIBILITY_ENTRIES} members`;
        if (departmentIds.length > MAX_VISIBILITY_ENTRIES) fields['visibleToDepartmentIds'] = `at most ${MAX_VISIBILITY_ENTRIES} departments`;
        const unknown = departmentIds.filter((id) => !state.departments.has(id));
        if (unknown.length > 0) fields['visibleToDepartmentIds'] = `no such department: ${unknown.join(', ')}`;
        if (Object.keys(fields).length > 0) {
          throw new DomainError('unprocessable', 'identity.invalid-department-visibility', 'The visibility list is not valid.', fields);
        }
        if (node.hidden === command.hidden && unchanged(node.visibleToMemberIds, memberIds) && unchanged(node.visibleToDepartmentIds, departmentIds)) {
          return [];
        }
        return [
          {
            type: 'identity.DepartmentVisibilityChanged',
            data: {
              enterpriseId,
              departmentId: node.id,
              hidden: command.hidden,
              visibleToMemberIds: memberIds,
              visibleToDepartmentIds: departmentIds,
              changedAt: now,
            },
          },
        ];
      }
      case 'DeleteDepartment': {
        const node = visible(state, command.departmentId, actor);
        const childIds = [...state.departments.values()].filter((d) => d.parentId === node.id).map((d) => d.id).sort();
        // children keep their names; two siblings named alike after the move would be ambiguous
        for (const childId of childIds) {
          const child = state.departments.get(childId)!;
          const clash = [...state.departments.values()].find(
            (d) => d.parentId === node.parentId && d.id !== node.id && normaliseName(d.name) === normaliseName(child.name),
          );
          if (clash) {
            throw new DomainError(
              'conflict',
              'identity.department-name-taken',
              `Deleting would put two departments named "${child.name}" under the same parent; rename or move one first.`,
              { name: `child "${child.name}" clashes with a sibling of the deleted department` },
            );
          }
        }
        return [
          {
            type: 'identity.DepartmentDeleted',
            data: {
              enterpriseId,
              departmentId: node.id,
              parentId: node.parentId,
              childIdsMovedToParent: childIds,
              membersMoveToDepartmentId: node.parentId,
              deletedAt: now,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};
