/**
 * ORG-8 permission catalogue: the one place that says which permission packages (功能套餐) exist.
 * Pure data, no imports. A role is a named set of package ids; a member's effective permissions
 * are the union of its roles' packages' permissions. A package's id is the permission it grants;
 * write/manage-style packages also grant the matching read permission.
 */
export interface PermissionPackage {
  /** Stable id, equal to the main permission it grants, e.g. `leads:export`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** The permissions (as checked by @RequirePermissions) this package grants. */
  readonly permissions: readonly string[];
  /** False: not granted by roles (org:manage is the management flag of ORG-7, set by the administrator only). */
  readonly grantableByRole: boolean;
}

export interface PermissionService {
  readonly service: string;
  readonly name: string;
  readonly packages: readonly PermissionPackage[];
}

export const PERMISSION_CATALOGUE: readonly PermissionService[] = [
  {
    service: 'org',
    name: 'Organisation',
    packages: [
      { id: 'org:read', name: 'View organisation', description: 'See members, departments and roles', permissions: ['org:read'], grantableByRole: true },
      {
        id: 'org:manage',
        name: 'Manage organisation',
        description: 'Create and change members, departments and roles; granted by the administrator with PUT /v1/members/{id}/management, not by roles',
        permissions: ['org:read', 'org:manage'],
        grantableByRole: false,
      },
    ],
  },
  {
    service: 'leads',
    name: 'Leads',
    packages: [
      { id: 'leads:read', name: 'View leads', description: 'List and read leads', permissions: ['leads:read'], grantableByRole: true },
      { id: 'leads:write', name: 'Edit leads', description: 'Create and change leads', permissions: ['leads:read', 'leads:write'], grantableByRole: true },
      { id: 'leads:export', name: 'Export leads', description: 'Export leads to files', permissions: ['leads:read', 'leads:export'], grantableByRole: true },
      { id: 'leads:import', name: 'Import leads', description: 'Import leads from files', permissions: ['leads:read', 'leads:import'], grantableByRole: true },
      { id: 'leads:assign', name: 'Assign leads', description: 'Assign leads to members', permissions: ['leads:read', 'leads:assign'], grantableByRole: true },
    ],
  },
  {
    service: 'scoring',
    name: 'Scoring',
    packages: [
      { id: 'scoring:read', name: 'View scoring', description: 'See scoring rules and scores', permissions: ['scoring:read'], grantableByRole: true },
      { id: 'scoring:manage', name: 'Manage scoring', description: 'Change scoring rules', permissions: ['scoring:read', 'scoring:manage'], grantableByRole: true },
    ],
  },
  {
    service: 'campaigns',
    name: 'Campaigns',
    packages: [
      { id: 'campaigns:read', name: 'View campaigns', description: 'See campaigns and their results', permissions: ['campaigns:read'], grantableByRole: true },
      { id: 'campaigns:write', name: 'Edit campaigns', description: 'Create and change campaigns', permissions: ['campaigns:read', 'campaigns:write'], grantableByRole: true },
      { id: 'campaigns:review', name: 'Review campaigns', description: 'Approve or reject campaigns before they run', permissions: ['campaigns:read', 'campaigns:review'], grantableByRole: true },
    ],
  },
  {
    service: 'webhooks',
    name: 'Webhooks',
    packages: [
      { id: 'webhooks:read', name: 'View webhooks', description: 'See webhook subscriptions and deliveries', permissions: ['webhooks:read'], grantableByRole: true },
      { id: 'webhooks:manage', name: 'Manage webhooks', description: 'Create, change and delete webhook subscriptions', permissions: ['webhooks:read', 'webhooks:manage'], grantableByRole: true },
    ],
  },
];

const packagesById: ReadonlyMap<string, PermissionPackage> = new Map(PERMISSION_CATALOGUE.flatMap((s) => s.packages.map((p) => [p.id, p] as const)));

export const PACKAGE_IDS: readonly string[] = [...packagesById.keys()];

export function isKnownPackage(id: string): boolean {
  return packagesById.has(id);
}

/** Whether a role may contain the package (org:manage may not: it is ORG-7's management flag). */
export function isGrantableByRole(id: string): boolean {
  return packagesById.get(id)?.grantableByRole === true;
}

/** The union of the packages' permissions, sorted; unknown ids (a package since withdrawn) grant nothing. */
export function permissionsOf(packageIds: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const id of packageIds) for (const p of packagesById.get(id)?.permissions ?? []) out.add(p);
  return [...out].sort();
}
