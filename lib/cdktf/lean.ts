/**
 * Resources of the AWS provider declared with their binding's config type but without the binding's
 * construction cost.
 *
 * Each binding of `@cdktf/provider-aws` creates, in its constructor, a cdktf object for every nested
 * block and computed map its resource type has (`OutputReference`, `ComplexList`, `StringMap`), set or
 * not: 13 for an `aws_fis_experiment_template`, 8 for an `aws_rds_cluster`, 9 for an
 * `aws_route53_record`. cdktf 0.21 captures an unbounded stack trace for each of them
 * (`cdktf/lib/tokens/private/stack-trace.js`, no switch to turn it off): under ts-node these objects cost
 * about a third of a cdktf synth (bench/RESULTS.md, fifth round). A {@link LeanResource} takes the same
 * config (typed by the binding), renders the same attributes with the binding's own generated functions
 * for nested blocks, and creates no such object.
 */
import { Construct } from 'constructs';
import { TerraformResource, TerraformStack, type IResolvable, type TerraformMetaArguments } from 'cdktf';
import providerPackage from '@cdktf/provider-aws/package.json';

/** The Terraform AWS provider the installed bindings were generated from (`6.25.0` for provider-aws 21.22). */
const PROVIDER_VERSION: string = providerPackage.cdktf.provider.version;

/**
 * What every binding of `@cdktf/provider-aws` declares about its provider, read from the installed
 * package (the bindings write the same version literally, and `~> <major>.0` as the constraint).
 */
export const AWS_PROVIDER_GENERATOR = {
  providerName: 'aws', providerVersion: PROVIDER_VERSION, providerVersionConstraint: `~> ${PROVIDER_VERSION.split('.')[0]}.0`,
} as const;

/** Config keys that are Terraform meta-arguments (`depends_on`, `lifecycle`, ...), passed to cdktf as such. */
const META_ARGUMENTS: ReadonlySet<string> = new Set(['dependsOn', 'count', 'provider', 'lifecycle', 'forEach', 'provisioners', 'connection']);

/** A provider binding class (`typeof Subnet`): its constructor takes the config, its instances have the attribute getters. */
export interface BindingClass {
  new (scope: Construct, id: string, config: never): TerraformResource;
  readonly tfResourceType: string;
}

/** The config a binding is constructed with (`SubnetConfig` for `typeof Subnet`). */
export type ConfigOf<B extends BindingClass> = NonNullable<ConstructorParameters<B>[2]>;

/** Names of the binding's string attributes (its getters such as `id`, `arn`, `readerEndpoint`). */
export type AttributeOf<B extends BindingClass> = Exclude<{ [K in keyof InstanceType<B>]: InstanceType<B>[K] extends string ? K : never }[keyof InstanceType<B>], keyof TerraformResource> & string;

/** Values the binding writes as they are (its `stringToTerraform`, `listMapper(stringToTerraform)`, ... are identities). */
type Plain = string | number | boolean | IResolvable | readonly string[] | readonly number[] | { readonly [key: string]: string };
type AttributeKeys<C> = Exclude<keyof C, keyof TerraformMetaArguments>;
/** Config keys holding objects or lists of objects: the binding renders them with a generated `<type><Name>ToTerraform`. */
export type NestedKeys<C> = { [K in AttributeKeys<C>]-?: NonNullable<C[K]> extends Plain ? never : K }[AttributeKeys<C>];

/** How the binding renders one nested config value, and where (among the attributes, or after them with the blocks). */
export interface NestedRendering<V> {
  /** The binding's generated function (wrapped in cdktf's `listMapper` for a list). */
  readonly render: (value: V) => unknown;
  /** `true` for a block (rendered after the attributes), `false` for an attribute that holds objects. */
  readonly block: boolean;
}

/** How the binding renders each nested value of its config. */
export type NestedRenderings<C> = { readonly [K in NestedKeys<C>]: NestedRendering<NonNullable<C[K]>> };

/** A resource type rendered lean: its binding and how the binding renders each nested value. */
export interface LeanType<B extends BindingClass> {
  readonly binding: B;
  readonly nested: NestedRenderings<ConfigOf<B>>;
}

/** Declares a lean resource type; every nested key of the config must say how the binding renders it. */
export function leanType<B extends BindingClass>(binding: B, nested: NestedRenderings<ConfigOf<B>>): LeanType<B> {
  return { binding, nested };
}

/** `snake_case` of a binding's config key, as the generator derived the key from the Terraform name. */
function terraformName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const byName = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A resource written from its binding's config: the same Terraform JSON as the binding (attributes in
 * name order, then blocks in name order, nested blocks through the binding's generated functions),
 * without the per-block objects (and their stack traces) the binding creates. Attributes are read with
 * {@link LeanResource.attr}, once per name.
 */
export class LeanResource<B extends BindingClass> extends TerraformResource {
  private currentConfig: ConfigOf<B>;
  /** Its type: the binding it stands for and how that renders nested values. */
  public readonly leanType: LeanType<B>;
  private readonly refs = new Map<string, string>();

  constructor(scope: Construct, id: string, type: LeanType<B>, config: ConfigOf<B>) {
    // The meta-arguments go to cdktf exactly as a binding passes them.
    const meta: TerraformMetaArguments = config;
    super(scope, id, {
      terraformResourceType: type.binding.tfResourceType,
      terraformGeneratorMetadata: { ...AWS_PROVIDER_GENERATOR },
      provider: meta.provider,
      dependsOn: meta.dependsOn,
      count: meta.count,
      lifecycle: meta.lifecycle,
      provisioners: meta.provisioners,
      connection: meta.connection,
      forEach: meta.forEach,
    });
    this.currentConfig = config;
    this.leanType = type;
    // cdktf's tagging aspects find taggable resources by `tags` and `tagsInput` (the pattern of cdktf's
    // Aspects guide) and set `tags`: a lean resource of a taggable type answers to them as its binding
    // does, and only such a type (an untaggable one given `tags` would fail `terraform validate`).
    // https://developer.hashicorp.com/terraform/cdktf/concepts/aspects
    if ('tagsInput' in type.binding.prototype) {
      Object.defineProperties(this, {
        tags: {
          enumerable: true,
          get: () => this.getStringMapAttribute('tags'),
          set: (tags: unknown) => { this.currentConfig = Object.assign({}, this.currentConfig, { tags }); },
        },
        tagsInput: { enumerable: true, get: () => (this.currentConfig as { tags?: unknown }).tags },
      });
    }
  }

  /** The config (what a binding of the same type would be constructed with; `tags` as last set). */
  public get config(): Readonly<ConfigOf<B>> {
    return this.currentConfig;
  }

  /**
   * A reference to an attribute (the binding's getter name, e.g. `arn`, `readerEndpoint`), made once per
   * name: every later read returns the same token.
   */
  public attr(name: AttributeOf<B>): string {
    return this.reference(terraformName(name));
  }

  /** The resource id (`id`, which every resource has). */
  public get id(): string {
    return this.reference('id');
  }

  private reference(terraformAttribute: string): string {
    let ref = this.refs.get(terraformAttribute);
    if (ref === undefined) {
      ref = this.getStringAttribute(terraformAttribute);
      this.refs.set(terraformAttribute, ref);
    }
    return ref;
  }

  /** The `region` argument as given (undefined for a global resource), as the bindings' `regionInput`. */
  public get regionInput(): string | undefined {
    const region = (this.config as { region?: unknown }).region;
    return typeof region === 'string' ? region : undefined;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const attributes: [string, unknown][] = [];
    const blocks: [string, unknown][] = [];
    const nested = this.leanType.nested as Readonly<Record<string, NestedRendering<unknown> | undefined>>;
    for (const [key, value] of Object.entries(this.config)) {
      if (value === undefined || META_ARGUMENTS.has(key)) continue;
      const rendering = nested[key];
      if (!rendering) attributes.push([terraformName(key), value]);
      else (rendering.block ? blocks : attributes).push([terraformName(key), rendering.render(value)]);
    }
    return Object.fromEntries([...attributes.sort(byName), ...blocks.sort(byName)]);
  }

  /**
   * HCL output (`cdktf synth --hcl`, `SYNTH_HCL_OUTPUT=true`): each attribute with the type metadata only
   * the binding knows, so a binding twin of the same config, built in a stack of its own outside the
   * app (never synthesized), writes them. Terraform JSON, the path whose speed matters, never gets here.
   */
  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const detached = new TerraformStack(new Construct(undefined as unknown as Construct, ''), 'LeanHcl');
    const Binding = this.leanType.binding as unknown as new (scope: Construct, id: string, config: Readonly<ConfigOf<B>>) => TerraformResource;
    const twin = new Binding(detached, this.node.id, this.config) as unknown as { synthesizeHclAttributes(): { [name: string]: unknown } };
    return twin.synthesizeHclAttributes();
  }
}
