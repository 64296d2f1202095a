import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { badInput } from '../errors/domain-error.js';

/** Ids are UUIDs: anything else is refused before it reaches SQL. */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (typeof value !== 'string' || !isUUID(value))
      throw badInput(field, `${field} must be a UUID`);
    return value;
  }
}
