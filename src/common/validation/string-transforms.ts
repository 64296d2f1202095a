import { Transform } from 'class-transformer';

const tidy = (value: unknown): unknown =>
  typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value;

/** Trims surrounding white space and collapses inner runs to one space (each item of a list). */
export const Tidy = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map(tidy) : tidy(value),
  );

/** Trims surrounding white space, keeping line breaks inside (descriptions, messages). */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Lower-cases and trims an e-mail address. */
export const NormalizeEmail = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );
