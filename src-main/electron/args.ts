import * as path from 'node:path';

/** What the command line and environment ask of the desktop app. */
export interface ShellOptions {
  readonly workspaceDir: string;
  /** Port of the HTTP API for lab scripts; null: do not start it. */
  readonly apiPort: number | null;
  readonly apiHost: string;
  readonly dev: boolean;
}

export const DEFAULT_API_PORT = 8000;
export const DEFAULT_API_HOST = '127.0.0.1';

/** `--name value` or `--name=value`; the last occurrence wins. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${name}`) value = argv[i + 1];
    else if (arg?.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
  }
  return value;
}

export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

/**
 * Reads the shell's options. Paths and ports are resolved here, once, and handed to core as
 * arguments: core never reads process.env or asks Electron for paths.
 */
export function parseShellArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaultWorkspaceDir: string,
): ShellOptions {
  const workspace = flagValue(argv, 'workspace') ?? env['ASSAY_WORKSPACE'];
  const portText = flagValue(argv, 'port') ?? env['ASSAY_PORT'];
  let apiPort: number | null = DEFAULT_API_PORT;
  if (portText !== undefined) {
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ArgumentError(`--port must be an integer from 0 to 65535, got "${portText}"`);
    }
    apiPort = port;
  }
  if (argv.includes('--no-api')) apiPort = null;
  return {
    workspaceDir: path.resolve(workspace && workspace.length > 0 ? workspace : defaultWorkspaceDir),
    apiPort,
    apiHost: flagValue(argv, 'host') ?? DEFAULT_API_HOST,
    dev: argv.includes('--dev') || env['ASSAY_DEV'] === '1',
  };
}
