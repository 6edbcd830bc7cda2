/**
 * `terraform validate` on the Terraform JSON of every example, where a `terraform` binary and an offline
 * copy of the AWS provider are on the machine (skipped cleanly elsewhere; nothing touches the network).
 *
 * The offline provider is 5.100, while the renderer targets 6.x. Each configuration is validated as a
 * temporary copy pinned to 5.100, with the arguments only 6.x knows stripped (listed below, each with
 * why); everything else — types, required arguments, enum values, write-only and ephemeral blocks — is
 * checked as rendered.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spec as activeActive } from '../../examples/active-active/app';
import { spec as activePassive } from '../../examples/active-passive/app';
import { spec as partitioned } from '../../examples/partitioned-residency/app';
import { renderGeoPlanJson, type TerraformJson } from '../../lib/cdktf';
import { loadSpecFile, plan, type GeoSpec } from '../../lib/model';
import { SPECS_DIR } from './helpers';
import { withEveryApplicationLayout } from '../support/application-subnets';
import { examplePlan, terraformJson, type ExampleName } from '../support/outputs';

/** Where an offline filesystem mirror of the providers may live; `MERIDIAN_TF_PLUGIN_DIR` overrides. */
const MIRROR = process.env.MERIDIAN_TF_PLUGIN_DIR ?? '/opt/tf-plugins';
const OFFLINE_AWS_VERSION = '5.100.0';

function terraformAvailable(): boolean {
  // CHECKPOINT_DISABLE: `terraform version` otherwise asks HashiCorp's checkpoint service for a newer release.
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (version.status !== 0) return false;
  return fs.existsSync(path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', OFFLINE_AWS_VERSION));
}

type Block = Record<string, unknown>;

/**
 * Environment of the Go processes (terraform, the provider): no garbage collection below a soft 2 GiB
 * heap (GOGC=off with GOMEMLIMIT, https://go.dev/doc/gc-guide). Each is short-lived and peaks under
 * 1 GiB here; collecting its schema-decoding garbage cost about a third of their CPU (2.3 -> 1.5 s for
 * terraform validate, 1.5 -> 1.2 s for the provider). The limit keeps a larger configuration collecting.
 */
const GO_ENV = { GOGC: 'off', GOMEMLIMIT: '2GiB' } as const;

/**
 * Arguments AWS provider 6.x added that 5.100 rejects as unsupported:
 * - `region` on every resource, data source and ephemeral resource (6.0: per-resource region);
 * - `aws_dynamodb_table.replica[].consistency_mode` and `deletion_protection_enabled` (multi-Region strong
 *   consistency and per-replica deletion protection arrived after 5.100).
 */
function stripSixOnly(json: TerraformJson): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(json)) as Record<string, Record<string, Record<string, Block>>>;
  for (const kind of ['resource', 'data', 'ephemeral']) {
    for (const [type, byName] of Object.entries(copy[kind] ?? {})) {
      for (const block of Object.values(byName)) {
        delete block.region;
        if (type === 'aws_dynamodb_table' && Array.isArray(block.replica)) {
          for (const replica of block.replica as Block[]) {
            delete replica.consistency_mode;
            delete replica.deletion_protection_enabled;
          }
        }
      }
    }
  }
  const terraform = (copy.terraform ?? {}) as unknown as Block;
  delete terraform.backend;
  const providers = (terraform.required_providers ?? {}) as Record<string, Block>;
  providers.aws = { ...(providers.aws ?? {}), source: 'hashicorp/aws', version: OFFLINE_AWS_VERSION };
  terraform.required_providers = providers;
  (copy as unknown as Block).terraform = terraform;
  return copy;
}

/**
 * One AWS provider process for the whole `terraform validate`. Terraform starts a provider process for
 * every provider configuration it validates — one per module here, seven processes that each load the
 * AWS provider's schema, about a second of CPU apiece. A provider started with `-debug` serves every
 * instance at the address it prints as TF_REATTACH_PROVIDERS, Terraform's documented way to use a
 * running provider (https://developer.hashicorp.com/terraform/plugin/debugging): the same provider
 * code validates the same configuration, in one process. Undefined (Terraform then starts its own)
 * when the mirror holds no unpacked binary or the binary prints no address within a minute.
 */
async function sharedProvider(logDir: string): Promise<{ reattach: string; stop: () => Promise<void> } | undefined> {
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const dir = path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', OFFLINE_AWS_VERSION, platform);
  const binary = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith('terraform-provider-aws')) : undefined;
  if (binary === undefined) return undefined;
  // Its output goes to a file, not a pipe: nobody reads a pipe while spawnSync runs terraform, and a
  // provider blocked on a full pipe would stall the validation.
  const log = path.join(logDir, 'provider.log');
  const fd = fs.openSync(log, 'w');
  const child = spawn(path.join(dir, binary), ['-debug'], { stdio: ['ignore', fd, fd], env: { ...process.env, ...GO_ENV, CHECKPOINT_DISABLE: '1' } });
  fs.closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill();
    await exited;
  };
  for (const started = Date.now(); Date.now() - started < 60_000 && child.exitCode === null;) {
    const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(fs.readFileSync(log, 'utf8'))?.[1];
    if (reattach !== undefined) return { reattach, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  return undefined;
}

/**
 * Validates several configurations in one `terraform init` + `terraform validate` (the provider schema
 * loads once): each becomes a module of a root configuration. Returns the error diagnostics by name.
 * `validateEnv` is added to the environment of `terraform init` and `terraform validate` (a shared provider's address).
 */
function validateAll(configs: Readonly<Record<string, TerraformJson>>, validateEnv: Readonly<Record<string, string>> = {}): { valid: boolean; diagnostics: Record<string, string[]> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-tf-'));
  try {
    const modules: Record<string, Block> = {};
    for (const [name, json] of Object.entries(configs)) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'main.tf.json'), JSON.stringify(stripSixOnly(json), null, 2));
      modules[name] = { source: `./${name}` };
    }
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ module: modules }, null, 2));
    const rc = path.join(dir, 'terraformrc');
    fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`);
    const env = { ...process.env, ...GO_ENV, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    // With the shared provider attached, init installs no provider (Terraform uses a reattached one as it
    // runs, the debugging guide's `TF_REATTACH_PROVIDERS=... terraform init`): it only installs the
    // modules, without hashing the 700 MB binary in the mirror for a lock file (0.75 s -> 0.13 s of CPU).
    const init = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env: { ...env, ...validateEnv }, encoding: 'utf8', timeout: 180_000 });
    if (init.status !== 0) throw new Error(`terraform init failed (offline mirror ${MIRROR}): ${init.stderr || init.stdout}`);
    const run = spawnSync('terraform', ['validate', '-json', '-no-color'], { cwd: dir, env: { ...env, ...validateEnv }, encoding: 'utf8', timeout: 180_000 });
    const result = JSON.parse(run.stdout) as {
      valid: boolean;
      diagnostics: Array<{ severity: string; summary: string; detail?: string; address?: string; range?: { filename?: string } }>;
    };
    const diagnostics: Record<string, string[]> = Object.fromEntries(Object.keys(configs).map((n) => [n, [] as string[]]));
    for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
      const file = d.range?.filename ?? '';
      const owner = Object.keys(configs).find((n) => file.startsWith(`${n}/`) || (d.address ?? '').startsWith(`module.${n}.`)) ?? '(root)';
      (diagnostics[owner] ??= []).push(`${d.address ?? file} ${d.summary}: ${d.detail ?? ''}`.trim());
    }
    return { valid: result.valid, diagnostics };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Name, spec, and the example whose shared render (test/support/outputs.ts) is this spec's. */
const EXAMPLES: ReadonlyArray<[string, GeoSpec, ExampleName?]> = [
  ['orders', loadSpecFile(path.join(SPECS_DIR, 'orders.yaml')), 'orders'],
  ['active-passive', activePassive, 'active-passive'],
  ['active-active', activeActive, 'active-active'],
  ['partitioned-residency', partitioned, 'partitioned-residency'],
  ['application-subnets', applicationSubnetsSpec()],
];

/** orders.yaml with every application-subnet layout: public + private (NAT per zone) in two regions, private with endpoints in eu-west-1. */
function applicationSubnetsSpec(): GeoSpec {
  return withEveryApplicationLayout(loadSpecFile(path.join(SPECS_DIR, 'orders.yaml')));
}

const available = terraformAvailable();
const describeWhenAvailable = available ? describe : describe.skip;

describeWhenAvailable(`terraform validate with the offline AWS provider ${OFFLINE_AWS_VERSION}`, () => {
  let result: ReturnType<typeof validateAll>;

  beforeAll(async () => {
    // The shared provider boots while the configurations render.
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-tf-provider-'));
    const provider = sharedProvider(logDir);
    try {
      // GIVEN every example rendered to Terraform JSON, plus one broken on purpose (the check can fail)
      const configs: Record<string, TerraformJson> = {};
      // (the examples as the run rendered them once, from the same plan; the others rendered here)
      for (const [name, spec, example] of EXAMPLES) {
        if (example === undefined) {
          configs[name] = renderGeoPlanJson(plan(spec)).json;
        } else {
          expect(examplePlan(example)).toEqual(plan(spec));
          configs[name] = terraformJson(example) as TerraformJson;
        }
      }
      const broken = JSON.parse(JSON.stringify(configs.orders)) as { resource: Record<string, Record<string, Block>> };
      for (const v of Object.values(broken.resource.aws_vpc ?? {})) v.no_such_argument = true;
      configs.broken = broken as TerraformJson;
      // WHEN terraform validates them (offline, one init, one provider process)
      const reattach = (await provider)?.reattach;
      result = validateAll(configs, reattach === undefined ? {} : { TF_REATTACH_PROVIDERS: reattach });
    } finally {
      await (await provider)?.stop();
      fs.rmSync(logDir, { recursive: true, force: true });
    }
  }, 300_000);

  test.each(EXAMPLES.map(([name]) => name))('%s is a valid Terraform configuration', (name) => {
    // THEN no error diagnostics in it
    expect(result.diagnostics[name]).toEqual([]);
  });

  test('the check can fail: an unknown argument is reported, in the broken copy only', () => {
    expect(result.valid).toBe(false);
    expect((result.diagnostics.broken ?? []).join('\n')).toMatch(/no_such_argument/);
    expect(result.diagnostics['(root)'] ?? []).toEqual([]);
  });
});

if (!available) {
  test.skip('terraform validate: no terraform binary or offline AWS provider on this machine', () => undefined);
}
