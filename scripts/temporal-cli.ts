/**
 * Finds the `temporal` CLI (which embeds the dev server), installing it when it can.
 *
 * Order: $TEMPORAL_CLI, then PATH, then Go's bin dir; if none, `go install` a pinned tag when `go`
 * is on PATH; else the Temporal SDK's own cached download (needs internet); else an error that
 * says how to install it. The machines this project is built on reach only package registries,
 * so `go install` from the Go module proxy is the path that works there.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

/** v1.5.1 is the newest tag that `go install` accepts: later tags carry a `replace` directive. */
export const TEMPORAL_CLI_GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the SDK fallback downloads the CLI (kept under the project, ignored by git). */
export const SDK_DOWNLOAD_DIR = path.join(projectRoot, '.temporal', 'cli-download');

export class TemporalCliNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      [
        'The Temporal CLI (`temporal`) was not found and could not be installed.',
        `Tried: ${tried.join('; ')}.`,
        'Install it one of these ways, then run the command again:',
        `  - with Go >= 1.23: go install ${TEMPORAL_CLI_GO_PACKAGE}   (puts it in $(go env GOPATH)/bin)`,
        '  - with Homebrew: brew install temporal',
        '  - download a release from https://github.com/temporalio/cli/releases and put it on PATH',
        '  - or point TEMPORAL_CLI at an existing binary: export TEMPORAL_CLI=/path/to/temporal',
      ].join('\n'),
    );
    this.name = 'TemporalCliNotFoundError';
  }
}

export interface FindOptions {
  /** Environment to read TEMPORAL_CLI and PATH from (tests pass a reduced one). */
  env?: NodeJS.ProcessEnv;
  /** Install with `go install` / the SDK download when not found (default true). */
  install?: boolean;
  /** Progress messages for the user (installs take minutes the first time). */
  log?: (message: string) => void;
}

/** An executable regular file: a directory is "executable" (searchable) too, and no program. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

async function goBinDir(goExe: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const { stdout: gobin } = await run(goExe, ['env', 'GOBIN'], { env });
    if (gobin.trim()) return gobin.trim();
    const { stdout: gopath } = await run(goExe, ['env', 'GOPATH'], { env });
    const first = gopath.trim().split(path.delimiter)[0];
    return first ? path.join(first, 'bin') : undefined;
  } catch {
    return undefined;
  }
}

function sdkDownloaded(): string | undefined {
  if (!existsSync(SDK_DOWNLOAD_DIR)) return undefined;
  const found = readdirSync(SDK_DOWNLOAD_DIR, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(SDK_DOWNLOAD_DIR, name))
    .find((file) => /temporal[^/]*$/.test(path.basename(file)) && isExecutable(file));
  return found;
}

/** The SDK's downloader only runs as part of starting a server, so start one and stop it. */
async function sdkDownload(log: (m: string) => void): Promise<string | undefined> {
  log('Downloading the Temporal CLI through the Temporal SDK (needs internet access)...');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir: SDK_DOWNLOAD_DIR } },
  });
  await env.teardown();
  return sdkDownloaded();
}

/** Returns the path of a working `temporal` binary, or throws TemporalCliNotFoundError. */
export async function findTemporalCli(options: FindOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((m: string) => console.error(m));
  const tried: string[] = [];

  if (env.TEMPORAL_CLI) {
    if (isExecutable(env.TEMPORAL_CLI)) return env.TEMPORAL_CLI;
    // An explicit setting that is wrong is a mistake to report, not to paper over.
    throw new Error(`TEMPORAL_CLI is set to "${env.TEMPORAL_CLI}", which is not an executable file.`);
  }
  tried.push('$TEMPORAL_CLI (unset)');

  const fromPath = onPath('temporal', env);
  if (fromPath) return fromPath;
  tried.push('PATH');

  const goExe = onPath('go', env);
  const binDir = goExe ? await goBinDir(goExe, env) : undefined;
  if (binDir && isExecutable(path.join(binDir, 'temporal'))) return path.join(binDir, 'temporal');
  tried.push(goExe ? `Go's bin dir (${binDir ?? 'unknown'})` : "Go's bin dir (go not on PATH)");

  const downloaded = sdkDownloaded();
  if (downloaded) return downloaded;

  if (options.install === false) throw new TemporalCliNotFoundError(tried);

  if (goExe && binDir) {
    log(`Installing the Temporal CLI with \`go install ${TEMPORAL_CLI_GO_PACKAGE}\`.`);
    log('This builds the CLI from source and takes several minutes the first time (cached after).');
    try {
      await run(goExe, ['install', TEMPORAL_CLI_GO_PACKAGE], { env, maxBuffer: 64 * 1024 * 1024 });
      const installed = path.join(binDir, 'temporal');
      if (isExecutable(installed)) return installed;
      tried.push(`go install (finished, but ${installed} is missing)`);
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? String(err);
      tried.push(`go install (failed: ${stderr.trim().split('\n').slice(-3).join(' | ')})`);
    }
  } else {
    tried.push('go install (go not on PATH)');
  }

  try {
    const fromSdk = await sdkDownload(log);
    if (fromSdk) return fromSdk;
    tried.push('SDK download (finished, but no binary found)');
  } catch (err) {
    tried.push(`SDK download (failed: ${(err as Error).message.split('\n')[0]})`);
  }
  throw new TemporalCliNotFoundError(tried);
}
