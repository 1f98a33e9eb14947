/**
 * The multi-user JupyterHub of scripts/hub_env.py for a Chromium test: alice and bob, each
 * with their own RGW user under the least-privilege bucket policy, logging in through the
 * hub's own page. Galata's server is one user with one key, where S3 never refuses anything,
 * so the hub test starts this one itself, through `hub_env.py serve`, which prints where the
 * hub is once it answers and stops it on SIGTERM. Its stdin is a pipe from this process: if
 * the test runner dies without stopping it, the pipe closes and the hub goes too.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
// Starting the hub is quick; the users' servers start later, when they first log in.
const START_TIMEOUT = 180 * 1000;
// hub_env stops the hub within 30 s and then takes its bucket policy off, which a stuck
// gateway can make wait for boto3's retries; past this, only that is left to give up.
const STOP_TIMEOUT = 90 * 1000;

/** What `hub_env.py serve` prints once the hub answers. */
export interface IHub {
  url: string;
  password: string;
  users: string[];
  homes: string;
  bucket: string;
  endpoint: string;
  log: string;
}

export class HubServer {
  hub: IHub | null = null;
  private _process: ChildProcess | null = null;
  private _stderr = '';

  /** Start the hub with these areas configured after the four of hub_env.areas(). */
  async start(extraAreas: object[] = []): Promise<IHub> {
    const args = [path.join(ROOT, 'scripts', 'hub_env.py'), 'serve'];
    args.push('--until-stdin-closes');
    for (const area of extraAreas) {
      args.push('--area', JSON.stringify(area));
    }
    const child = spawn(process.env.PYTHON || 'python', args, {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe']
    });
    this._process = child;
    child.stderr?.on('data', (chunk: Buffer) => (this._stderr += chunk));
    this.hub = await new Promise<IHub>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => fail(`did not answer within ${START_TIMEOUT / 1000} s`),
        START_TIMEOUT
      );
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`hub_env.py serve ${why}:\n${this._stderr}`));
      };
      child.once('exit', code => fail(`exited (${code})`));
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk;
        // The JSON line, once whole.
        const line = stdout
          .split('\n')
          .slice(0, -1)
          .find(l => l.startsWith('{'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as IHub);
        }
      });
    });
    return this.hub;
  }

  /** The hub's last log lines and the command's errors, for a failure's message. */
  get stderr(): string {
    return this._stderr;
  }

  /** SIGTERM, on which the hub stops the users' servers and its proxy; wait for all that. */
  async stop(): Promise<void> {
    const child = this._process;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>(resolve =>
      child.once('exit', () => resolve())
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      console.warn(`hub_env.py serve did not stop in time:\n${this._stderr}`);
      child.kill('SIGKILL');
    }, STOP_TIMEOUT);
    await exited;
    clearTimeout(timer);
  }
}
