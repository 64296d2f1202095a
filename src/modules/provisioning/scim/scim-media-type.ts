import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { SCIM_MEDIA_TYPE } from './scim-error.js';

/** Answers in application/scim+json (RFC 7644 §3.1), which clients also accept as JSON. */
@Injectable()
class ScimMediaTypeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getResponse<Response>().type(SCIM_MEDIA_TYPE);
    return next.handle();
  }
}

export const ScimMediaType = (): ClassDecorator =>
  applyDecorators(UseInterceptors(ScimMediaTypeInterceptor));
