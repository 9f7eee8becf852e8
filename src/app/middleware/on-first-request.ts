// Routers loaded when a request first needs them.
import type { RequestHandler } from 'express';

/**
 * A router whose module is loaded by the first request that reaches it: the routers' modules and
 * what they import (zod, the ORM, multer, bcrypt, jsonwebtoken) are no part of a cold start that
 * does not need them. A module that fails to load is tried again by the next request.
 */
export function onFirstRequest(load: () => Promise<RequestHandler>): RequestHandler {
  let router: RequestHandler | undefined;
  let loading: Promise<RequestHandler> | undefined;
  return (req, res, next) => {
    // Once loaded, called directly: no promise between a warm request and its router.
    if (router) return router(req, res, next);
    (loading ??= load()).then((loaded) => {
      router = loaded;
      loaded(req, res, next);
    }, (error: unknown) => {
      loading = undefined;
      next(error);
    });
  };
}
