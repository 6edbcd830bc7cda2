// A CDK for Terraform project with only cdktf, @cdktf/provider-aws and constructs installed next to
// meridian-geo: everything it needs comes from `meridian-geo/cdktf`. Run by scripts/pack-check.sh.
const path = require('path');
const { loadSpecFile, plan, synthesizeGeoPlan } = require('meridian-geo/cdktf');

const geoPlan = plan(loadSpecFile(process.env.MERIDIAN_SPEC));
const { json } = synthesizeGeoPlan(geoPlan, { outdir: path.join(__dirname, 'cdktf.out') });
const resources = Object.values(json.resource || {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
const heavy = Object.keys(require.cache).filter((k) => /node_modules[\\/]aws-cdk-lib[\\/]/.test(k));
console.log(JSON.stringify({ name: geoPlan.name, resources, awsCdkLibLoaded: heavy.length }));
