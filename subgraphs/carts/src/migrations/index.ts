import { Carts1796666405981 } from './1796666405981-Carts';
import { IdentityValuesExact1796666405982 } from './1796666405982-IdentityValuesExact';

/** This service's MySQL migrations, oldest first. Never edit one that has landed: add another. */
export const CARTS_MIGRATIONS = [Carts1796666405981, IdentityValuesExact1796666405982];
