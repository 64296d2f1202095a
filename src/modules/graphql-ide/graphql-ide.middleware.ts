import type { NextFunction, Request, Response } from 'express';
import { prefersHtml, sendIdePage } from './graphql-ide-files.js';

/**
 * GET /graphql from a browser (it prefers HTML) gets the IDE; every other request (GraphQL
 * over GET with JSON, and so on) goes on to Apollo untouched, CSRF prevention included.
 */
export function ideForBrowsers(request: Request, response: Response, next: NextFunction): void {
  // One URL, two representations: caches must keep them apart.
  response.vary('Accept');
  if (prefersHtml(request)) sendIdePage(response);
  else next();
}
