import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { LeadEvent } from './lead.events';

export interface LeadState {
  readonly exists: boolean;
  readonly enterpriseId: string | null;
}

export interface CreateLead {
  readonly kind: 'CreateLead';
  readonly leadId: string;
  readonly enterpriseId: string;
  readonly name?: string | null;
  readonly phone?: string | null;
  readonly qq?: string | null;
  readonly email?: string | null;
  readonly company?: string | null;
  readonly source?: string | null;
  readonly activityId?: string | null;
  readonly tags?: readonly string[] | null;
  readonly createdBy: string;
  readonly now: string;
}

export type LeadCommand = CreateLead;

/** Phone numbers: optional leading +, then 5-15 digits; spaces, dashes, dots and brackets are dropped. */
export const PHONE_PATTERN = /^\+?[0-9]{5,15}$/;
/** QQ numbers: 5-12 digits, no leading zero. */
export const QQ_PATTERN = /^[1-9][0-9]{4,11}$/;
/** A pragmatic e-mail check (the WHATWG `input type=email` rule). */
export const EMAIL_PATTERN = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
export const MAX_TAGS = 50;

export function normalisePhone(phone: string): string {
  return phone.replace(/[\s\-.()]/g, '');
}

function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.normalize('NFC').trim();
  return trimmed.length === 0 ? null : trimmed;
}

export const leadDecider: Decider<LeadCommand, LeadEvent, LeadState> = {
  initialState: () => ({ exists: false, enterpriseId: null }),

  evolve(state, event) {
    switch (event.type) {
      case 'leads.LeadCreated':
        return { ...state, exists: true, enterpriseId: event.data.enterpriseId };
      default:
        return assertNever(event.type);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'CreateLead': {
        if (state.exists) throw new DomainError('conflict', 'leads.lead-exists', 'The lead already exists.');
        const rawPhone = clean(command.phone);
        const phone = rawPhone === null ? null : normalisePhone(rawPhone);
        const qq = clean(command.qq);
        const email = clean(command.email);
        const fields: Record<string, string> = {};
        if (phone === null && qq === null && email === null) {
          const reason = 'at least one of phone, qq and email is required';
          fields['phone'] = reason;
          fields['qq'] = reason;
          fields['email'] = reason;
          throw new DomainError('invalid', 'leads.contact-required', 'A lead needs at least one of phone, QQ number or e-mail.', fields);
        }
        if (phone !== null && !PHONE_PATTERN.test(phone)) fields['phone'] = 'must be 5-15 digits, optionally starting with +';
        if (qq !== null && !QQ_PATTERN.test(qq)) fields['qq'] = 'must be 5-12 digits not starting with 0';
        if (email !== null && (email.length > 254 || !EMAIL_PATTERN.test(email))) fields['email'] = 'must be a valid e-mail address';
        const tags = [...new Set((command.tags ?? []).map((t) => t.normalize('NFC').trim()).filter((t) => t.length > 0))];
        if (tags.length > MAX_TAGS) fields['tags'] = `must hold at most ${MAX_TAGS} tags`;
        if (Object.keys(fields).length > 0) {
          throw new DomainError('invalid', 'leads.invalid-lead', 'The lead is not valid.', fields);
        }
        return [
          {
            type: 'leads.LeadCreated',
            data: {
              leadId: command.leadId,
              enterpriseId: command.enterpriseId,
              name: clean(command.name),
              phone,
              qq,
              email: email === null ? null : email.replace(/@(.*)$/, (_m, domain: string) => `@${domain.toLowerCase()}`),
              company: clean(command.company),
              source: clean(command.source),
              activityId: clean(command.activityId),
              tags,
              createdBy: command.createdBy,
              createdAt: command.now,
            },
          },
        ];
      }
      default:
        return assertNever(command.kind);
    }
  },
};
