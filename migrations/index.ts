import { Foundation1763740000000 } from './1763740000000-Foundation';

/** Every migration in order. Reviewed files only; never generated at run time. */
export const MIGRATIONS: Function[] = [Foundation1763740000000];
