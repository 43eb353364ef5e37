import type { DomainEvent } from '@leadstream/event-sourcing';

/**
 * One stream per enterprise holds its whole department tree (`identity.orgtree-<enterpriseId>`):
 * cycle checks, moves, sibling-name checks and "delete moves children up" are then decided on
 * one consistent state and appended atomically with optimistic concurrency.
 */
export const ORG_TREE_CATEGORY = 'identity.orgtree';

export type DepartmentCreated = DomainEvent<
  'identity.DepartmentCreated',
  {
    readonly enterpriseId: string;
    readonly departmentId: string;
    readonly name: string;
    /** null: a root department. */
    readonly parentId: string | null;
    readonly createdBy: string;
    readonly createdAt: string;
  }
>;

export type DepartmentRenamed = DomainEvent<
  'identity.DepartmentRenamed',
  { readonly enterpriseId: string; readonly departmentId: string; readonly name: string; readonly renamedAt: string }
>;

export type DepartmentMoved = DomainEvent<
  'identity.DepartmentMoved',
  {
    readonly enterpriseId: string;
    readonly departmentId: string;
    readonly fromParentId: string | null;
    readonly toParentId: string | null;
    readonly movedAt: string;
  }
>;

export type DepartmentSupervisorChanged = DomainEvent<
  'identity.DepartmentSupervisorChanged',
  {
    readonly enterpriseId: string;
    readonly departmentId: string;
    /** A member id, or null when the supervisor is cleared. */
    readonly supervisorId: string | null;
    readonly changedAt: string;
  }
>;

export type DepartmentVisibilityChanged = DomainEvent<
  'identity.DepartmentVisibilityChanged',
  {
    readonly enterpriseId: string;
    readonly departmentId: string;
    readonly hidden: boolean;
    /** Members allowed to see the department while it is hidden. */
    readonly visibleToMemberIds: readonly string[];
    /** Departments whose members may see it while it is hidden. */
    readonly visibleToDepartmentIds: readonly string[];
    readonly changedAt: string;
  }
>;

export type DepartmentDeleted = DomainEvent<
  'identity.DepartmentDeleted',
  {
    readonly enterpriseId: string;
    readonly departmentId: string;
    /** The deleted department's parent (null: it was a root). */
    readonly parentId: string | null;
    /** The direct children, now under `parentId` (roots when it is null). */
    readonly childIdsMovedToParent: readonly string[];
    /**
     * Where the deleted department's members go (ORG-4): always `parentId`. The members feature
     * applies the move to its member streams; null means "no department".
     */
    readonly membersMoveToDepartmentId: string | null;
    readonly deletedAt: string;
  }
>;

export type OrgTreeEvent =
  | DepartmentCreated
  | DepartmentRenamed
  | DepartmentMoved
  | DepartmentSupervisorChanged
  | DepartmentVisibilityChanged
  | DepartmentDeleted;
