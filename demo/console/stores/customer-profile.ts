/**
 * The customer behind a conversation (`GET/PATCH /api/customers/:id`): attributes and tags staff
 * can set, validated with the protocol's `customerProfilePatchSchema` before they are sent.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { CustomerProfilePatch, CustomerRecord } from '../../../src/index.js';
import { ApiError, type ApiErrorCode } from '../api.js';
import * as api from '../api-broadcasts.js';
import { customerProfilePatchSchema } from '../lib/broadcast-core.js';
import { check, type FieldErrors } from '../lib/form-errors.js';
import { codeOf, withToken } from './rest.js';

export interface ProfileState {
  customer: CustomerRecord | null;
  loading: boolean;
  error: ApiErrorCode | null;
  saving: boolean;
}

export type PatchResult = { ok: true } | { ok: false; errors: FieldErrors; message: string | null };

export interface CustomerProfileStore {
  readonly $profile: ReadableAtom<ProfileState>;
  reload(): Promise<void>;
  /** Checks and sends a change; the field errors (schema paths) or the server's refusal when it fails. */
  patch(patch: CustomerProfilePatch): Promise<PatchResult>;
}

export function createCustomerProfile(id: string): CustomerProfileStore {
  const $profile = atom<ProfileState>({ customer: null, loading: false, error: null, saving: false });
  let asked = 0;
  const reload = async () => {
    const mine = ++asked;
    $profile.set({ ...$profile.get(), loading: true });
    try {
      const customer = await withToken((t) => api.getCustomer(t, id));
      if (mine === asked) $profile.set({ ...$profile.get(), customer, loading: false, error: null });
    } catch (e) {
      if (mine === asked) $profile.set({ ...$profile.get(), loading: false, error: codeOf(e) });
    }
  };
  const patch = async (change: CustomerProfilePatch): Promise<PatchResult> => {
    const checked = check(customerProfilePatchSchema, change);
    if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
    $profile.set({ ...$profile.get(), saving: true });
    try {
      const customer = await withToken((t) => api.patchCustomer(t, id, checked.value));
      asked++;
      $profile.set({ customer, loading: false, error: null, saving: false });
      return { ok: true };
    } catch (e) {
      $profile.set({ ...$profile.get(), saving: false });
      const message = e instanceof Error ? e.message : String(e);
      const m = /^([\w.:-]+): (.*)$/.exec(message);
      const errors: FieldErrors = e instanceof ApiError && e.code === 'invalid_payload' && m ? { [m[1]]: m[2] } : {};
      return { ok: false, errors, message };
    }
  };
  void reload();
  return { $profile, reload, patch };
}
