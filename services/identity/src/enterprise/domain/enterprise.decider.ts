import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { EnterpriseEvent } from './enterprise.events';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_SEAT_QUOTA = 100;

export interface EnterpriseState {
  readonly exists: boolean;
  readonly enterpriseId: string | null;
  readonly name: string | null;
  readonly timeZone: string;
  readonly seatQuota: number;
  /** ORG-3: an enterprise that is not enabled yet is "in beta" and its members cannot sign in. */
  readonly enabled: boolean;
  readonly adminMemberId: string | null;
}

export interface CreateEnterprise {
  readonly kind: 'CreateEnterprise';
  readonly enterpriseId: string;
  readonly name: string;
  readonly timeZone: string;
  readonly seatQuota: number;
  readonly adminMemberId: string;
  /** ORG-3: false creates the enterprise "in beta" (an EnterpriseDisabled follows the creation); default true. */
  readonly enabled?: boolean;
  readonly now: string;
}

/** ORG-2: both proofs (passwords) are checked by the handler before this command is decided. */
export interface ChangeAdministrator {
  readonly kind: 'ChangeAdministrator';
  readonly currentAdminMemberId: string;
  readonly newAdminMemberId: string;
  readonly now: string;
}

/** ORG-3: operator commands; idempotent (no event when the enterprise is already in that state). */
export interface DisableEnterprise {
  readonly kind: 'DisableEnterprise';
  readonly now: string;
}

export interface EnableEnterprise {
  readonly kind: 'EnableEnterprise';
  readonly now: string;
}

export type EnterpriseCommand = CreateEnterprise | ChangeAdministrator | DisableEnterprise | EnableEnterprise;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const enterpriseDecider: Decider<EnterpriseCommand, EnterpriseEvent, EnterpriseState> = {
  initialState: () => ({
    exists: false,
    enterpriseId: null,
    name: null,
    timeZone: DEFAULT_TIME_ZONE,
    seatQuota: DEFAULT_SEAT_QUOTA,
    enabled: false,
    adminMemberId: null,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'identity.EnterpriseCreated':
        return {
          exists: true,
          enterpriseId: event.data.enterpriseId,
          name: event.data.name,
          timeZone: event.data.timeZone,
          seatQuota: event.data.seatQuota,
          enabled: true,
          adminMemberId: event.data.adminMemberId,
        };
      case 'identity.AdministratorChanged':
        return { ...state, adminMemberId: event.data.adminMemberId };
      case 'identity.EnterpriseDisabled':
        return { ...state, enabled: false };
      case 'identity.EnterpriseEnabled':
        return { ...state, enabled: true };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'CreateEnterprise': {
        if (state.exists) throw new DomainError('conflict', 'identity.enterprise-exists', 'The enterprise already exists.');
        const name = command.name.trim();
        const fields: Record<string, string> = {};
        if (name.length === 0) fields['name'] = 'must not be empty';
        if (!isValidTimeZone(command.timeZone)) fields['timeZone'] = 'must be an IANA time zone such as Asia/Shanghai';
        if (!Number.isInteger(command.seatQuota) || command.seatQuota < 1) fields['seatQuota'] = 'must be a positive integer';
        if (Object.keys(fields).length > 0) {
          throw new DomainError('invalid', 'identity.invalid-enterprise', 'The enterprise is not valid.', fields);
        }
        return [
          {
            type: 'identity.EnterpriseCreated',
            data: {
              enterpriseId: command.enterpriseId,
              name,
              timeZone: command.timeZone,
              seatQuota: command.seatQuota,
              adminMemberId: command.adminMemberId,
              createdAt: command.now,
            },
          },
          ...(command.enabled === false
            ? [{ type: 'identity.EnterpriseDisabled' as const, data: { enterpriseId: command.enterpriseId, disabledAt: command.now } }]
            : []),
        ];
      }
      case 'ChangeAdministrator': {
        if (!state.exists) throw new DomainError('not_found', 'identity.enterprise-not-found', 'The enterprise was not found.');
        if (state.adminMemberId !== command.currentAdminMemberId) {
          throw new DomainError('forbidden', 'identity.admin-only', 'Only the administrator can change the administrator.');
        }
        if (command.newAdminMemberId === command.currentAdminMemberId) {
          throw new DomainError('unprocessable', 'identity.already-admin', 'The new administrator must be another member.');
        }
        return [
          {
            type: 'identity.AdministratorChanged',
            data: {
              enterpriseId: state.enterpriseId!,
              previousAdminMemberId: command.currentAdminMemberId,
              adminMemberId: command.newAdminMemberId,
              changedAt: command.now,
            },
          },
        ];
      }
      case 'DisableEnterprise': {
        if (!state.exists) throw new DomainError('not_found', 'identity.enterprise-not-found', 'The enterprise was not found.');
        if (!state.enabled) return [];
        return [{ type: 'identity.EnterpriseDisabled', data: { enterpriseId: state.enterpriseId!, disabledAt: command.now } }];
      }
      case 'EnableEnterprise': {
        if (!state.exists) throw new DomainError('not_found', 'identity.enterprise-not-found', 'The enterprise was not found.');
        if (state.enabled) return [];
        return [{ type: 'identity.EnterpriseEnabled', data: { enterpriseId: state.enterpriseId!, enabledAt: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },
};
