import {
  WorkstationError,
  type BinaryBody,
  type MethodsOf,
  type OperationDef,
} from '../../src-shared/contract/index.js';
import { buildOperationRequest, parseOperationResponse, unwrapReply } from './build-request.js';

export interface OperationClientOptions {
  /** Origin (and optional prefix) of the workstation server; '' means the page's own origin. */
  readonly baseUrl?: string;
}

export function networkError(): WorkstationError {
  return new WorkstationError('network', 'Cannot reach the workstation server. Is it running?');
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The typed methods of a table of operations over fetch: each request built from its contract
 * entry, each reply unwrapped from its family's envelope and checked against the contract (a
 * file reply comes back as its bytes).
 */
export function createOperationClient<Ops extends Readonly<Record<string, OperationDef>>>(
  ops: Ops,
  options: OperationClientOptions = {},
): MethodsOf<Ops> {
  const base = options.baseUrl ?? '';
  async function call(name: string, def: OperationDef, input: unknown): Promise<unknown> {
    const req = buildOperationRequest(name, def, (input ?? {}) as Record<string, unknown>);
    const headers: Record<string, string> = { Accept: 'application/json' };
    // A FormData body sets its own multipart type (with the boundary).
    if (typeof req.body === 'string') headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(base + req.url, { method: req.method, headers, body: req.body });
    } catch {
      throw networkError();
    }
    if (def.output?.kind === 'file' && res.ok) {
      const disposition = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
      const reply: BinaryBody = {
        filename:
          disposition?.[1] ?? decodeURIComponent(req.url.split('?')[0]?.split('/').pop() ?? 'file'),
        content_type: res.headers.get('content-type') ?? 'application/octet-stream',
        bytes: new Uint8Array(await res.arrayBuffer()),
      };
      return reply;
    }
    return parseOperationResponse(name, def, unwrapReply(def, await readJson(res), res.status));
  }
  return Object.fromEntries(
    Object.entries(ops).map(([name, def]) => [name, (input: unknown) => call(name, def, input)]),
  ) as unknown as MethodsOf<Ops>;
}
