import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '@leadstream/platform';
import { IdentityServiceConfig, LeadsServiceConfig, ServiceConfig } from './service-config';

/**
 * Keeps the deployment files (deploy/docker/Dockerfile, docker-compose.yml, deploy/k8s) in step
 * with the configuration classes: every variable a process reads is set explicitly (defaults
 * included), nothing it does not read is set (typos), secrets stay secret, and the health paths,
 * ports and names agree. Libraries never import services, so the all-in-one host's HostConfig is
 * read from its source file.
 */

const root = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

type ConfigClass = new () => object;

/**
 * Which config class each service's main.ts loads. Kept by hand: when a service moves to a class
 * of its own, change it here (the "loads" test below notices).
 */
const SERVICES: ReadonlyArray<{ readonly name: 'identity' | 'leads'; readonly config: ConfigClass }> = [
  { name: 'identity', config: IdentityServiceConfig },
  { name: 'leads', config: LeadsServiceConfig },
];

/** Never a literal in compose or a ConfigMap: compose passes them through, Kubernetes reads a Secret. */
const SECRETS = new Set(['OPERATOR_SECRET', 'IDENTITY_SIGNING_KEY', 'IDENTITY_MASTER_KEY']);

const HEALTH_LIVE = '/health/live';
const HEALTH_READY = '/health/ready';

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** The variables loadConfig reads for a class: its validated properties, inherited ones included. */
function variablesOf(cls: ConfigClass): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', true, false)
    .map((m) => m.propertyName);
  const undecorated = Object.keys(new cls()).filter((name) => !validated.includes(name));
  // loadConfig validates with whitelist: a property without a decorator is stripped, never read.
  assert.deepEqual(undecorated, [], `${cls.name}: properties without a class-validator decorator cannot be configured`);
  return sorted(validated);
}

/** The decorated properties of `export class <name>` in a TypeScript file, without importing it. */
function variablesInSource(path: string, className: string): string[] {
  const source = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
  const cls = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className);
  assert.ok(cls, `${path} declares no class ${className}`);
  assert.equal(cls.heritageClauses, undefined, `${className} extends another class: teach this test to follow it`);
  const names: string[] = [];
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    assert.ok((ts.getDecorators(member) ?? []).length > 0, `${className}.${member.name.text} has no decorator, so loadConfig never reads it`);
    names.push(member.name.text);
  }
  return sorted(names);
}

/** Asserts that `actual` holds exactly the variables `expected`, naming what is missing and what is extra. */
function assertSameVariables(actual: Iterable<string>, expected: readonly string[], where: string): void {
  const have = new Set(actual);
  const missing = expected.filter((v) => !have.has(v));
  const unknown = [...have].filter((v) => !expected.includes(v)).sort();
  assert.deepEqual(
    { missing, unknown },
    { missing: [], unknown: [] },
    `${where}: every variable the service reads must be set explicitly (missing), and nothing it does not read (unknown)`,
  );
}

// ------------------------------------------------------------------------------------ compose

interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly dockerfile?: string; readonly args?: Record<string, unknown> };
  readonly environment?: Record<string, string | number | boolean | null> | string[];
  readonly healthcheck?: { readonly test?: string | string[]; readonly disable?: boolean };
  readonly depends_on?: string[] | Record<string, { readonly condition?: string }>;
  readonly ports?: Array<string | { readonly target?: number; readonly host_ip?: string; readonly published?: string | number }>;
  readonly volumes?: Array<string | { readonly target?: string }>;
  readonly profiles?: string[];
}

const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };

function composeService(name: string): ComposeService {
  const service = compose.services[name];
  assert.ok(service, `docker-compose.yml has no service ${name}`);
  return service;
}

/** name → value; null for pass-through entries (`NAME:` or `- NAME`), set from the shell or .env. */
function composeEnvironment(name: string): Map<string, string | null> {
  const environment = composeService(name).environment ?? {};
  const entries: Array<[string, string | number | boolean | null]> = Array.isArray(environment)
    ? environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, null] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(environment);
  return new Map(entries.map(([key, value]) => [key, value === null ? null : String(value)]));
}

/** Compose's `${NAME:-default}` / `${NAME-default}` as the default, `$$` as `$`, for validating values. */
const withComposeDefaults = (value: string): string => value.replace(/\$\{[A-Za-z0-9_]+:?-([^}]*)\}/g, '$1').replace(/\$\$/g, '$');

function composeValues(name: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of composeEnvironment(name)) if (value !== null) values[key] = withComposeDefaults(value);
  return values;
}

const healthTestOf = (test: string | string[] | undefined): string => (Array.isArray(test) ? test.join(' ') : (test ?? ''));

const mountTargets = (service: ComposeService): string[] =>
  (service.volumes ?? []).map((v) => (typeof v === 'string' ? (v.split(':')[1] ?? v) : (v.target ?? '')));

// ----------------------------------------------------------------------------------- kubernetes

interface PodTemplate {
  readonly metadata: { readonly labels: Record<string, string> };
  readonly spec: {
    readonly containers: Container[];
    readonly securityContext?: { readonly runAsNonRoot?: boolean };
    readonly volumes?: Array<{ readonly name: string; readonly emptyDir?: object }>;
  };
}

interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: {
    /** Deployment */
    readonly template?: PodTemplate;
    /** Service (a Deployment's is `{ matchLabels }`) */
    readonly selector?: Record<string, string>;
    /** Service */
    readonly ports?: Array<{ readonly port: number; readonly targetPort: string | number }>;
  };
  readonly data?: Record<string, string>;
}

interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { name: string; key: string }; readonly configMapKeyRef?: { name: string; key: string } };
}

interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port?: string | number };
}

interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports?: Array<{ readonly name?: string; readonly containerPort: number }>;
  readonly env?: EnvVar[];
  readonly envFrom?: Array<{ readonly configMapRef?: { name: string }; readonly secretRef?: { name: string } }>;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly securityContext?: { readonly readOnlyRootFilesystem?: boolean; readonly allowPrivilegeEscalation?: boolean; readonly runAsNonRoot?: boolean };
  readonly volumeMounts?: Array<{ readonly name: string; readonly mountPath: string }>;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
}

const k8sDir = 'deploy/k8s';
const kustomization = parse(read(`${k8sDir}/kustomization.yaml`)) as {
  namespace?: string;
  resources?: string[];
  configMapGenerator?: Array<{ name: string; envs?: string[]; literals?: string[]; files?: string[] }>;
};
const manifestFiles = readdirSync(join(root, k8sDir))
  .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
  .sort();
const k8sObjects: K8sObject[] = manifestFiles.flatMap((file) =>
  parseAllDocuments(read(`${k8sDir}/${file}`)).flatMap((doc) => {
    assert.deepEqual(doc.errors, [], `${k8sDir}/${file} is not valid YAML`);
    const object = doc.toJS() as K8sObject | null;
    return object ? [object] : [];
  }),
);

function k8sObject(kind: string, name: string): K8sObject {
  const found = k8sObjects.filter((o) => o.kind === kind && o.metadata.name === name);
  assert.equal(found.length, 1, `${k8sDir}: expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

/** KEY=value lines of a kustomize env file (`#` comments and blank lines skipped). */
function parseEnvFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of read(path).split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const at = trimmed.indexOf('=');
    assert.ok(at > 0, `${path}: not KEY=value: ${trimmed}`);
    const key = trimmed.slice(0, at);
    assert.equal(values[key], undefined, `${path}: ${key} is set twice`);
    values[key] = trimmed.slice(at + 1);
  }
  return values;
}

/** The data of a ConfigMap, from a manifest or from the kustomization's configMapGenerator. */
function configMapData(name: string): Record<string, string> {
  const generator = kustomization.configMapGenerator?.find((g) => g.name === name);
  if (generator) {
    assert.equal(generator.files, undefined, `configMapGenerator ${name}: use envs or literals (files make one key per file)`);
    const data: Record<string, string> = {};
    for (const file of generator.envs ?? []) Object.assign(data, parseEnvFile(`${k8sDir}/${file}`));
    for (const literal of generator.literals ?? []) {
      const at = literal.indexOf('=');
      data[literal.slice(0, at)] = literal.slice(at + 1);
    }
    return data;
  }
  return { ...(k8sObject('ConfigMap', name).data ?? {}) };
}

function deploymentContainer(name: string): { pod: PodTemplate; container: Container } {
  const pod = k8sObject('Deployment', name).spec?.template;
  assert.ok(pod, `Deployment ${name} has a pod template`);
  const container = pod.spec.containers.find((c) => c.name === name);
  assert.ok(container, `Deployment ${name} has no container named ${name}`);
  return { pod, container };
}

type EnvSource = 'configMap' | 'secret' | 'value';

/** Every variable the container gets, with where it comes from; a variable set twice fails. */
function k8sEnvironment(name: string): Map<string, { source: EnvSource; value?: string }> {
  const { container } = deploymentContainer(name);
  const env = new Map<string, { source: EnvSource; value?: string }>();
  const add = (variable: string, entry: { source: EnvSource; value?: string }) => {
    assert.ok(!env.has(variable), `Deployment ${name}: ${variable} is set more than once`);
    env.set(variable, entry);
  };
  for (const from of container.envFrom ?? []) {
    assert.equal(from.secretRef, undefined, `Deployment ${name}: envFrom secretRef hides which keys are set; use env with secretKeyRef`);
    assert.ok(from.configMapRef, `Deployment ${name}: envFrom other than configMapRef`);
    for (const [key, value] of Object.entries(configMapData(from.configMapRef.name))) add(key, { source: 'configMap', value });
  }
  for (const variable of container.env ?? []) {
    if (variable.valueFrom?.secretKeyRef) add(variable.name, { source: 'secret' });
    else if (variable.valueFrom?.configMapKeyRef) {
      const { name: map, key } = variable.valueFrom.configMapKeyRef;
      add(variable.name, { source: 'configMap', value: configMapData(map)[key] });
    } else add(variable.name, { source: 'value', value: variable.value });
  }
  return env;
}

function k8sValues(name: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, entry] of k8sEnvironment(name)) if (entry.value !== undefined) values[key] = entry.value;
  return values;
}

/** The container port a probe or Service port refers to (by name or number). */
function containerPortOf(container: Container, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

// ---------------------------------------------------------------------------------------- tests

describe('deployment configuration matches the config classes', () => {
  const hostVariables = variablesInSource('services/host/src/config.ts', 'HostConfig');

  it('collects every variable a config class reads, inherited ones included', () => {
    const base = variablesOf(ServiceConfig);
    for (const name of ['PORT', 'HOST', 'LOG_LEVEL', 'EVENTSTORE_URL', 'EVENTSTORE_SYNC', 'KAFKA_BROKERS', 'MONGODB_URL']) assert.ok(base.includes(name), name);
    const identity = variablesOf(IdentityServiceConfig);
    const leads = variablesOf(LeadsServiceConfig);
    for (const name of base) {
      assert.ok(identity.includes(name), `identity inherits ${name}`);
      assert.ok(leads.includes(name), `leads inherits ${name}`);
    }
    for (const name of ['DATA_DIR', 'IDENTITY_SIGNING_KEY', 'OPERATOR_SECRET', 'ACCESS_TOKEN_TTL_SECONDS']) assert.ok(identity.includes(name), name);
    assert.ok(leads.includes('IDENTITY_URL') && leads.includes('ASSETS_DIR'));
    assert.ok(hostVariables.includes('DATA_DIR') && hostVariables.includes('OPERATOR_SECRET'));
    for (const name of [...identity, ...leads, ...hostVariables]) assert.match(name, /^[A-Z][A-Z0-9_]*$/);
  });

  for (const { name, config } of SERVICES) {
    describe(name, () => {
      const variables = variablesOf(config);

      it(`services/${name}/src/main.ts loads ${config.name}`, () => {
        const main = `services/${name}/src/main.ts`;
        assert.ok(existsSync(join(root, main)), `${main} exists`);
        assert.match(read(main), new RegExp(`\\b${config.name}\\b`), `${main} no longer uses ${config.name}: update SERVICES in this test`);
      });

      it('docker-compose.yml sets exactly the variables it reads, with valid values and secrets passed through', () => {
        const environment = composeEnvironment(name);
        assertSameVariables(environment.keys(), variables, `docker-compose.yml service ${name}`);
        for (const [key, value] of environment) {
          if (SECRETS.has(key)) assert.equal(value, null, `docker-compose.yml ${name}: ${key} must be passed through (\`${key}:\`), not written down`);
          else assert.notEqual(value, null, `docker-compose.yml ${name}: ${key} has no value`);
        }
        assert.doesNotThrow(() => loadConfig(config, composeValues(name)), `docker-compose.yml ${name}: values fail ${config.name}`);
      });

      it('the Kubernetes Deployment gets exactly the variables it reads, secrets from a Secret, valid values', () => {
        const environment = k8sEnvironment(name);
        assertSameVariables(environment.keys(), variables, `${k8sDir} Deployment ${name} (env + envFrom)`);
        for (const [key, { source }] of environment) {
          if (SECRETS.has(key)) assert.equal(source, 'secret', `Deployment ${name}: ${key} must come from a Secret (secretKeyRef)`);
        }
        assert.doesNotThrow(() => loadConfig(config, k8sValues(name)), `${k8sDir} ${name}: values fail ${config.name}`);
      });

      it('compose builds and runs it from deploy/docker/Dockerfile, healthy only when ready', () => {
        const service = composeService(name);
        assert.equal(service.image, `leadstream/${name}:latest`);
        assert.equal(service.build?.context, '.');
        assert.equal(service.build.dockerfile, 'deploy/docker/Dockerfile');
        assert.equal(service.build.args?.['SERVICE'], name);
        assert.ok(healthTestOf(service.healthcheck?.test).includes(HEALTH_READY), `${name}'s healthcheck asks ${HEALTH_READY}`);
        const port = Number(composeValues(name)['PORT']);
        const published = service.ports ?? [];
        assert.ok(published.length > 0, `${name} publishes a port`);
        for (const p of published) {
          if (typeof p === 'string') {
            assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes on 127.0.0.1 only`);
            assert.equal(Number(p.split(':')[2]), port, `${name} publishes its PORT`);
          } else {
            assert.equal(p.host_ip, '127.0.0.1');
            assert.equal(p.target, port);
          }
        }
        const dependsOn = service.depends_on ?? {};
        assert.ok(!Array.isArray(dependsOn), `${name}: depends_on with conditions`);
        for (const infra of ['kafka', 'kurrentdb', 'mongo']) assert.ok(infra in dependsOn, `${name} depends on ${infra}`);
        for (const [dependency, { condition }] of Object.entries(dependsOn)) {
          assert.equal(condition, 'service_healthy', `${name} waits for ${dependency} to be healthy`);
          const target = composeService(dependency);
          assert.ok(target.healthcheck?.test && !target.healthcheck.disable, `${dependency} has a healthcheck`);
        }
        const dataDir = composeValues(name)['DATA_DIR'];
        if (dataDir !== undefined) {
          assert.ok(
            mountTargets(service).some((target) => dataDir === target || dataDir.startsWith(`${target}/`)),
            `${name}: DATA_DIR ${dataDir} is on a volume`,
          );
        }
      });

      it('the Kubernetes Deployment probes /health/live and /health/ready, runs non-root on a read-only root filesystem', () => {
        const { pod, container } = deploymentContainer(name);
        const port = Number(k8sValues(name)['PORT']);
        assert.equal(container.image, `leadstream/${name}:latest`);
        assert.equal(containerPortOf(container, 'http'), port, `containerPort http is PORT`);
        assert.equal(container.livenessProbe?.httpGet?.path, HEALTH_LIVE);
        assert.equal(container.readinessProbe?.httpGet?.path, HEALTH_READY);
        if (container.startupProbe) assert.equal(container.startupProbe.httpGet?.path, HEALTH_LIVE);
        for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
          if (probe) assert.equal(containerPortOf(container, probe.httpGet?.port), port, 'probes ask PORT');
        }
        assert.ok(container.resources?.requests?.['cpu'] && container.resources.requests['memory'], 'resource requests');
        assert.ok(container.resources?.limits?.['memory'], 'a memory limit');
        assert.equal(pod.spec.securityContext?.runAsNonRoot ?? container.securityContext?.runAsNonRoot, true, 'runAsNonRoot');
        assert.equal(container.securityContext?.readOnlyRootFilesystem, true, 'readOnlyRootFilesystem');
        assert.equal(container.securityContext?.allowPrivilegeEscalation, false, 'allowPrivilegeEscalation: false');
        const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
        assert.ok(tmp && pod.spec.volumes?.find((v) => v.name === tmp.name)?.emptyDir, '/tmp is an emptyDir');
        const dataDir = k8sValues(name)['DATA_DIR'];
        if (dataDir !== undefined) {
          assert.ok(
            (container.volumeMounts ?? []).some((m) => dataDir === m.mountPath || dataDir.startsWith(`${m.mountPath}/`)),
            `${name}: DATA_DIR ${dataDir} is writable (a volume, the root filesystem is read-only)`,
          );
        }
        const service = k8sObject('Service', name);
        const selector = Object.entries(service.spec?.selector ?? {});
        assert.ok(selector.length > 0, `Service ${name} has a selector`);
        for (const [key, value] of selector) assert.equal(pod.metadata.labels[key], value, `Service ${name} selects the pods`);
        assert.ok((service.spec?.ports ?? []).some((p) => containerPortOf(container, p.targetPort) === port), `Service ${name} targets PORT`);
      });
    });
  }

  it('leads finds identity at IDENTITY_URL in compose and in Kubernetes', () => {
    const composeUrl = new URL(composeValues('leads')['IDENTITY_URL'] ?? '');
    assert.ok(composeService(composeUrl.hostname), `compose service ${composeUrl.hostname} exists`);
    assert.equal(composeUrl.hostname, 'identity');
    assert.equal(Number(composeUrl.port), Number(composeValues('identity')['PORT']));

    const k8sUrl = new URL(k8sValues('leads')['IDENTITY_URL'] ?? '');
    assert.equal(k8sUrl.hostname, 'identity');
    const service = k8sObject('Service', 'identity');
    assert.ok((service.spec?.ports ?? []).some((p) => p.port === Number(k8sUrl.port)), 'the identity Service serves that port');
  });

  it('the compose host service (profile embedded) sets exactly what HostConfig reads, DATA_DIR on a volume, and the node options npm start uses', () => {
    const host = composeService('host');
    const environment = composeEnvironment('host');
    // node's own options are not HostConfig's: the same as `npm start` passes (package.json config.hostNodeOptions)
    const pkg = JSON.parse(read('package.json')) as { config?: { hostNodeOptions?: string }; scripts: Record<string, string> };
    const nodeOptions = pkg.config?.hostNodeOptions ?? '';
    assert.ok(nodeOptions.length > 0, 'package.json config.hostNodeOptions');
    assert.match(pkg.scripts['start'] ?? '', /node \$npm_package_config_hostNodeOptions services\/host\/dist\/main\.js/);
    assert.equal(environment.get('NODE_OPTIONS'), nodeOptions, 'docker-compose.yml host: NODE_OPTIONS as npm start');
    environment.delete('NODE_OPTIONS');
    assertSameVariables(environment.keys(), hostVariables, 'docker-compose.yml service host');
    for (const [key, value] of environment) {
      if (SECRETS.has(key)) assert.equal(value, null, `docker-compose.yml host: ${key} must be passed through`);
      else assert.notEqual(value, null, `docker-compose.yml host: ${key} has no value`);
    }
    assert.deepEqual(host.profiles, ['embedded']);
    assert.equal(host.build?.dockerfile, 'deploy/docker/Dockerfile');
    assert.equal(host.build?.args?.['SERVICE'], 'host');
    assert.ok(healthTestOf(host.healthcheck?.test).includes(HEALTH_READY));
    const dataDir = composeValues('host')['DATA_DIR'] ?? '';
    assert.ok(mountTargets(host).some((target) => dataDir === target || dataDir.startsWith(`${target}/`)), `DATA_DIR ${dataDir} is on a volume`);
  });

  it('the Dockerfile checks /health/ready, exposes the port the services listen on and runs the chosen service', () => {
    const dockerfile = read('deploy/docker/Dockerfile');
    const healthcheck = /^HEALTHCHECK\b.*$/m.exec(dockerfile.replace(/\\\n/g, ' '));
    assert.ok(healthcheck, 'a HEALTHCHECK instruction');
    assert.ok(healthcheck[0].includes(HEALTH_READY), `HEALTHCHECK asks ${HEALTH_READY}`);
    assert.match(dockerfile, /^EXPOSE 3000$/m);
    for (const { name } of SERVICES) assert.equal(Number(composeValues(name)['PORT']), 3000, `${name} listens on the exposed port in compose`);
    assert.match(dockerfile, /^ARG SERVICE$/m);
    assert.match(dockerfile, /^USER (node|1000)(:|$)/m, 'runs as the node user');
    assert.match(dockerfile, /^CMD .*services\/\$\{LEADSTREAM_SERVICE\}\/dist\/main\.js/m);
    assert.match(dockerfile, /LEADSTREAM_SERVICE=\$\{SERVICE\}/);
  });

  it('the kustomization applies every manifest and ConfigMap in namespace leadstream', () => {
    assert.equal(kustomization.namespace, 'leadstream');
    assert.deepEqual([...(kustomization.resources ?? [])].sort(), manifestFiles, `${k8sDir}/kustomization.yaml lists every manifest`);
    k8sObject('Namespace', 'leadstream');
    for (const generator of kustomization.configMapGenerator ?? []) {
      for (const file of generator.envs ?? []) assert.ok(existsSync(join(root, k8sDir, file)), `${k8sDir}/${file} exists`);
    }
  });

  // kubectl ships with the machines this project runs on; kustomize is built into it.
  it('kustomize renders the manifests', () => {
    let rendered: string;
    try {
      rendered = execFileSync('kubectl', ['kustomize', join(root, k8sDir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') assert.fail('kubectl is needed to render deploy/k8s (kubectl kustomize): install it');
      throw error;
    }
    const objects = parseAllDocuments(rendered).map((d) => d.toJS() as K8sObject);
    for (const o of objects) if (o.kind !== 'Namespace') assert.equal(o.metadata.namespace, 'leadstream', `${o.kind} ${o.metadata.name} is in leadstream`);
    const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
    for (const { name } of SERVICES) {
      const pod = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)?.spec?.template;
      assert.ok(pod, `rendered Deployment ${name}`);
      for (const container of pod.spec.containers) {
        for (const from of container.envFrom ?? []) if (from.configMapRef) assert.ok(configMaps.has(from.configMapRef.name), `ConfigMap ${from.configMapRef.name} is rendered`);
      }
    }
  });
});
