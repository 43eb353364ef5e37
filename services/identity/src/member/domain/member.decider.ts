import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { MemberEvent } from './member.events';

export interface MemberState {
  readonly exists: boolean;
  readonly memberId: string | null;
  readonly enterpriseId: string | null;
  readonly accountNumber: string | null;
  readonly accountName: string | null;
  readonly realName: string | null;
  readonly nickname: string | null;
  readonly passwordHash: string | null;
  readonly isAdmin: boolean;
  /** Holds the management permission (`org:manage`, ORG-7). */
  readonly manager: boolean;
  readonly marketingOnly: boolean;
  readonly disabled: boolean;
  /** Departments as last set by a move (ORG-5); a deleted one stays here until the next move. */
  readonly departmentIds: readonly string[];
}

export interface CreateMember {
  readonly kind: 'CreateMember';
  readonly memberId: string;
  readonly enterpriseId: string;
  readonly accountNumber: string;
  readonly accountName: string;
  readonly realName: string | null;
  readonly passwordHash: string;
  readonly isAdmin: boolean;
  readonly now: string;
  readonly nickname?: string | null;
  readonly marketingOnly?: boolean;
  readonly manager?: boolean;
  /** ORG-5: the member's departments at creation, checked against `knownDepartmentIds`. */
  readonly departmentIds?: readonly string[];
  readonly knownDepartmentIds?: ReadonlySet<string>;
  readonly by?: string;
}

/** ORG-5: set the member's departments (the whole set); every id must be in the org tree. */
export interface MoveMember {
  readonly kind: 'MoveMember';
  readonly departmentIds: readonly string[];
  readonly knownDepartmentIds: ReadonlySet<string>;
  readonly by: string;
  readonly now: string;
}

export const MAX_MEMBER_DEPARTMENTS = 50;

/** Unknown or too many departments → 422 naming `departmentIds`. Returns the ids de-duplicated. */
export function checkDepartmentIds(departmentIds: readonly string[], known: ReadonlySet<string>): string[] {
  const ids = [...new Set(departmentIds)];
  if (ids.length > MAX_MEMBER_DEPARTMENTS) {
    throw new DomainError('unprocessable', 'identity.too-many-departments', 'A member belongs to at most 50 departments.', {
      departmentIds: `must name at most ${MAX_MEMBER_DEPARTMENTS} departments`,
    });
  }
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new DomainError('unprocessable', 'identity.unknown-department', `departmentIds names a department that does not exist in this enterprise: ${unknown.join(', ')}.`, {
      departmentIds: `unknown department(s): ${unknown.join(', ')}`,
    });
  }
  return ids;
}

export interface ChangeProfile {
  readonly kind: 'ChangeProfile';
  /** undefined: leave as it is; null or blank: clear. */
  readonly realName?: string | null;
  readonly nickname?: string | null;
  readonly now: string;
}

export interface ChangePassword {
  readonly kind: 'ChangePassword';
  readonly passwordHash: string;
  readonly reset: boolean;
  readonly by: string;
  readonly now: string;
}

export interface DisableMember {
  readonly kind: 'DisableMember';
  readonly by: string;
  readonly now: string;
}

export interface EnableMember {
  readonly kind: 'EnableMember';
  readonly by: string;
  readonly now: string;
  /** Seats in use in the enterprise (this member's included: a disabled member keeps its seat). */
  readonly seatsInUse: number;
  readonly seatQuota: number;
}

export interface SetManagement {
  readonly kind: 'SetManagement';
  readonly manager: boolean;
  readonly by: string;
  readonly now: string;
}

/** ORG-2: follows the enterprise's AdministratorChanged (idempotent). */
export interface SetAdminStatus {
  readonly kind: 'SetAdminStatus';
  readonly isAdmin: boolean;
  readonly now: string;
}

export type MemberCommand = CreateMember | ChangeProfile | ChangePassword | DisableMember | EnableMember | SetManagement | SetAdminStatus | MoveMember;

/** Account names compare case-insensitively after Unicode normalisation. */
export function normaliseAccountName(accountName: string): string {
  return accountName.normalize('NFKC').trim().toLowerCase();
}

export const ACCOUNT_NAME_PATTERN = /^[\p{L}\p{N}._@-]{1,64}$/u;
export const ACCOUNT_NUMBER_PATTERN = /^[0-9]{5,12}$/;

export const memberNotFound = () => new DomainError('not_found', 'identity.member-not-found', 'The member was not found.');

function cleanText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState> = {
  initialState: () => ({
    exists: false,
    memberId: null,
    enterpriseId: null,
    accountNumber: null,
    accountName: null,
    realName: null,
    nickname: null,
    passwordHash: null,
    isAdmin: false,
    manager: false,
    marketingOnly: false,
    disabled: false,
    departmentIds: [],
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'identity.MemberCreated':
        return {
          ...state,
          exists: true,
          memberId: event.data.memberId,
          enterpriseId: event.data.enterpriseId,
          accountNumber: event.data.accountNumber,
          accountName: event.data.accountName,
          realName: event.data.realName,
          nickname: event.data.nickname ?? null,
          passwordHash: event.data.passwordHash,
          isAdmin: event.data.isAdmin,
          manager: event.data.manager ?? false,
          marketingOnly: event.data.marketingOnly ?? false,
        };
      case 'identity.MemberProfileChanged':
        return { ...state, realName: event.data.realName, nickname: event.data.nickname };
      case 'identity.MemberPasswordChanged':
        return { ...state, passwordHash: event.data.passwordHash };
      case 'identity.MemberDisabled':
        return { ...state, disabled: true };
      case 'identity.MemberEnabled':
        return { ...state, disabled: false };
      case 'identity.MemberManagementChanged':
        return { ...state, manager: event.data.manager };
      case 'identity.MemberMoved':
        return { ...state, departmentIds: event.data.departmentIds };
      case 'identity.MemberAdminStatusChanged':
        // an administrator holds every permission; a demoted one is a plain member (no management)
        return { ...state, isAdmin: event.data.isAdmin, manager: false };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (command.kind !== 'CreateMember' && !state.exists) throw memberNotFound();
    const memberId = state.memberId!;
    const enterpriseId = state.enterpriseId!;
    switch (command.kind) {
      case 'CreateMember': {
        if (state.exists) throw new DomainError('conflict', 'identity.member-exists', 'The member already exists.');
        const accountName = command.accountName.normalize('NFKC').trim();
        if (!ACCOUNT_NAME_PATTERN.test(accountName)) {
          throw new DomainError('invalid', 'identity.invalid-account-name', 'The account name is not valid.', {
            accountName: 'must be 1-64 letters, digits or . _ @ -',
          });
        }
        const data = {
          memberId: command.memberId,
          enterpriseId: command.enterpriseId,
          accountNumber: command.accountNumber,
          accountName,
          realName: cleanText(command.realName),
          passwordHash: command.passwordHash,
          isAdmin: command.isAdmin,
          createdAt: command.now,
        };
        // the optional attributes are written only when given, so the administrator's event keeps its shape
        const extra = {
          ...(command.nickname !== undefined ? { nickname: cleanText(command.nickname) } : {}),
          ...(command.marketingOnly !== undefined ? { marketingOnly: command.marketingOnly } : {}),
          ...(command.manager !== undefined ? { manager: command.manager } : {}),
        };
        const departmentIds = command.departmentIds ? checkDepartmentIds(command.departmentIds, command.knownDepartmentIds ?? new Set()) : [];
        const created: MemberEvent = { type: 'identity.MemberCreated', data: { ...data, ...extra } };
        if (departmentIds.length === 0) return [created];
        return [
          created,
          {
            type: 'identity.MemberMoved',
            data: { memberId: command.memberId, enterpriseId: command.enterpriseId, departmentIds, movedBy: command.by ?? command.memberId, movedAt: command.now },
          },
        ];
      }
      case 'ChangeProfile': {
        const realName = command.realName === undefined ? state.realName : cleanText(command.realName);
        const nickname = command.nickname === undefined ? state.nickname : cleanText(command.nickname);
        if (realName !== null && realName.length > 100) {
          throw new DomainError('invalid', 'identity.invalid-profile', 'The profile is not valid.', { realName: 'must be at most 100 characters' });
        }
        if (nickname !== null && nickname.length > 100) {
          throw new DomainError('invalid', 'identity.invalid-profile', 'The profile is not valid.', { nickname: 'must be at most 100 characters' });
        }
        if (realName === state.realName && nickname === state.nickname) return [];
        return [{ type: 'identity.MemberProfileChanged', data: { memberId, enterpriseId, realName, nickname, changedAt: command.now } }];
      }
      case 'ChangePassword':
        return [
          {
            type: 'identity.MemberPasswordChanged',
            data: { memberId, enterpriseId, passwordHash: command.passwordHash, reset: command.reset, changedBy: command.by, changedAt: command.now },
          },
        ];
      case 'DisableMember':
        if (state.isAdmin) {
          throw new DomainError('unprocessable', 'identity.admin-cannot-be-disabled', 'The administrator cannot be disabled; change the administrator first.');
        }
        if (state.disabled) return [];
        return [{ type: 'identity.MemberDisabled', data: { memberId, enterpriseId, disabledBy: command.by, disabledAt: command.now } }];
      case 'EnableMember':
        if (!state.disabled) return [];
        if (command.seatsInUse > command.seatQuota) {
          throw new DomainError(
            'conflict',
            'identity.seat-quota-exceeded',
            `The enterprise uses ${command.seatsInUse} seats of its quota of ${command.seatQuota}; enabling this member would exceed it.`,
          );
        }
        return [{ type: 'identity.MemberEnabled', data: { memberId, enterpriseId, enabledBy: command.by, enabledAt: command.now } }];
      case 'SetManagement':
        if (state.isAdmin) {
          throw new DomainError('unprocessable', 'identity.admin-is-manager', 'The administrator always holds every permission.');
        }
        if (state.manager === command.manager) return [];
        return [{ type: 'identity.MemberManagementChanged', data: { memberId, enterpriseId, manager: command.manager, changedBy: command.by, changedAt: command.now } }];
      case 'MoveMember': {
        const departmentIds = checkDepartmentIds(command.departmentIds, command.knownDepartmentIds);
        const same = departmentIds.length === state.departmentIds.length && departmentIds.every((id) => state.departmentIds.includes(id));
        if (same) return [];
        return [{ type: 'identity.MemberMoved', data: { memberId, enterpriseId, departmentIds, movedBy: command.by, movedAt: command.now } }];
      }
      case 'SetAdminStatus':
        if (state.isAdmin === command.isAdmin) return [];
        return [{ type: 'identity.MemberAdminStatusChanged', data: { memberId, enterpriseId, isAdmin: command.isAdmin, changedAt: command.now } }];
      default:
        return assertNever(command);
    }
  },
};
