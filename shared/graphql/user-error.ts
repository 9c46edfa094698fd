import { Directive, Field, ObjectType } from 'type-graphql';
import { AppError, ErrorCode } from '../errors';

/**
 * An expected business outcome that stopped a mutation (an identity that belongs to someone else,
 * not enough stock): returned in the payload's `userErrors`, never thrown.
 */
@ObjectType({ description: 'Why a mutation did not do what was asked; an expected outcome, not a failure.' })
@Directive('@shareable')
export class UserError {
  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, e.g. ["input", "identity", "value"].' })
  field!: string[] | null;

  @Field({ description: 'Stable, machine-readable code, e.g. IDENTITY_TAKEN.' })
  code!: string;

  @Field({ description: 'What happened, for people.' })
  message!: string;
}

/** Thrown by a service for an expected outcome; the resolver turns it into a payload's userErrors. */
export class UserErrorException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string[] | null = null,
  ) {
    super(message);
  }

  toUserError(): UserError {
    return Object.assign(new UserError(), { field: this.field, code: this.code, message: this.message });
  }
}

/**
 * For queries, which have no payload to carry userErrors: an expected refusal of the service becomes
 * a BAD_USER_INPUT error (its code in `extensions.reason`), not an unexpected one.
 */
export async function refusalsAsInputErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UserErrorException) throw new AppError(ErrorCode.BAD_USER_INPUT, err.message, { reason: err.code, field: err.field });
    throw err;
  }
}

/**
 * Runs a mutation's work; an expected outcome becomes `{ userErrors: [it] }` with every other field of
 * the payload null, anything else propagates as an error.
 */
export async function withUserErrors<T extends object>(work: () => Promise<T>): Promise<T & { userErrors: UserError[] }> {
  try {
    return { ...(await work()), userErrors: [] };
  } catch (err) {
    if (err instanceof UserErrorException) return { userErrors: [err.toUserError()] } as unknown as T & { userErrors: UserError[] };
    throw err;
  }
}
