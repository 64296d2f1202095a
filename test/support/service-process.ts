import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  graphqlUrl: string;
  output: () => string;
  /** SIGTERM, then the exit code once the process has ended. */
  stop(): Promise<number | null>;
}

/**
 * Starts the built service (`npm test` builds first) as `npm start` would (with `nodeOptions`
 * such as its heap cap), and resolves once it prints its GraphQL URL, i.e. once it answers
 * requests.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  nodeOptions: string[] = [],
  script = MAIN,
): Promise<ServiceProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['DATABASE_URL', 'TEST_DATABASE_URL'].includes(name),
    ),
  );
  const child = spawn(process.execPath, [...nodeOptions, script], {
    // No Redis unless asked for: rate counters in a shared Redis would mix with other tests'.
    env: { ...inherited, NODE_ENV: 'development', LOG_LEVEL: 'warn', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /GraphQL: (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`service exited with ${code} before it was ready:\n${output}`)),
    );
  });
  return {
    child,
    graphqlUrl,
    output: () => output,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Starts the service exactly as `npm start` and `npm run start:prod` do: the command of
 * package.json's start:prod (the launcher, scripts/start-service.mjs, with its Node options),
 * on the bundle `npm test` builds.
 */
export async function startProdServiceProcess(
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const packageJson = fileURLToPath(new URL('../../package.json', import.meta.url));
  const { scripts } = JSON.parse(await readFile(packageJson, 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [node, ...options] = scripts['start:prod'].split(/\s+/);
  const script = options.pop()!;
  if (node !== 'node') throw new Error(`start:prod does not run node: ${scripts['start:prod']}`);
  return startServiceProcess(
    env,
    options,
    fileURLToPath(new URL(`../../${script}`, import.meta.url)),
  );
}

/** POSTs one GraphQL operation to a running service process, as a client would. */
export async function postGraphQL(
  service: Pick<ServiceProcess, 'graphqlUrl'>,
  query: string,
  token?: string,
): Promise<any> {
  const response = await fetch(service.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return response.json();
}
