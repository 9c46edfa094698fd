import { AddressErrorCode as PostalAddressErrorCode } from '../../../../shared/address';
import { UserError, withUserErrors } from '../../../../shared/graphql/user-error';
import { CustomerErrorCode } from '../customer/customer.errors';

/** userError codes of addAddress, updateAddress and removeAddress: stable, for clients to branch on. */
export const AddressErrorCode = {
  /** Not seven digits (150-0041, full-width or not). */
  INVALID_POSTAL_CODE: PostalAddressErrorCode.INVALID_POSTAL_CODE,
  /** Not one of the 47 prefectures (東京都, 東京 and Tokyo are one). */
  INVALID_PREFECTURE: PostalAddressErrorCode.INVALID_PREFECTURE,
  /** Not a Japanese phone number (10 or 11 digits from 0, or +81). */
  INVALID_PHONE: PostalAddressErrorCode.INVALID_PHONE,
  /** Recipient, city or first line blank, or a field too long. */
  INVALID_ADDRESS_FIELD: PostalAddressErrorCode.INVALID_ADDRESS_FIELD,
  /** No address has this id, or it is not the caller's (a customer is answered alike for both). */
  UNKNOWN_ADDRESS: 'UNKNOWN_ADDRESS',
  /** The customer keeps MAX_ADDRESSES_PER_CUSTOMER (20) addresses already (a merge: both together would): remove one first. */
  TOO_MANY_ADDRESSES: 'TOO_MANY_ADDRESSES',
  /** addAddress: no customer has this id. */
  NOT_FOUND: CustomerErrorCode.NOT_FOUND,
  /** addAddress: the customer's data was erased. */
  CUSTOMER_ERASED: CustomerErrorCode.CUSTOMER_ERASED,
} as const;

export type AddressErrorCode = (typeof AddressErrorCode)[keyof typeof AddressErrorCode];

/** Every problem of an address as typed, one userError each (shared/address.ts finds them all at once). */
export class InvalidAddress extends Error {
  constructor(readonly problems: Array<{ field: string[]; code: AddressErrorCode; message: string }>) {
    super(problems.map((p) => p.message).join('; '));
  }

  toUserErrors(): UserError[] {
    return this.problems.map((p) => Object.assign(new UserError(), p));
  }
}

/** withUserErrors, with every problem of an invalid address as its own userError. */
export async function withAddressUserErrors<T extends object>(work: () => Promise<T>): Promise<T & { userErrors: UserError[] }> {
  try {
    return await withUserErrors(work);
  } catch (err) {
    if (err instanceof InvalidAddress) return { userErrors: err.toUserErrors() } as unknown as T & { userErrors: UserError[] };
    throw err;
  }
}
