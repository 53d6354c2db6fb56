import type { Request, RequestHandler, Response } from 'express';

/**
 * A request body that stops arriving (headers and half a body, then nothing) would hold its
 * handler, a staged file and a socket forever. While the body is incomplete, the socket's byte
 * count is watched; if it does not move for `idleMs`, `onStall` answers (408) and the connection
 * is closed. Polling the count leaves the stream itself to the body parser.
 */
export function bodyIdleTimeout(
  idleMs: number,
  onStall: (req: Request, res: Response) => void,
): RequestHandler {
  return (req, res, next) => {
    if (req.complete || idleMs <= 0) {
      next();
      return;
    }
    const socket = req.socket;
    let last = socket.bytesRead;
    let quietSince = Date.now();
    const timer = setInterval(
      () => {
        if (req.complete || socket.destroyed) {
          clearInterval(timer);
          return;
        }
        if (socket.bytesRead !== last) {
          last = socket.bytesRead;
          quietSince = Date.now();
          return;
        }
        if (Date.now() - quietSince < idleMs) return;
        clearInterval(timer);
        if (!res.headersSent) {
          res.setHeader('Connection', 'close');
          onStall(req, res);
        }
        // The rest of the body will never come: once the reply is out, end the request (the
        // server no longer tracks it, so its readers would wait forever) and free the socket.
        const drop = (): void => {
          req.destroy();
          socket.destroy();
        };
        if (res.writableFinished) drop();
        else res.once('finish', drop);
      },
      Math.max(10, Math.floor(idleMs / 4)),
    );
    timer.unref();
    const stop = (): void => clearInterval(timer);
    req.once('end', stop);
    res.once('close', stop);
    next();
  };
}
