// Validates a Teams app manifest against the JSON schema of its manifestVersion, as shipped in the
// @microsoft/app-manifest npm package (Microsoft's published schemas, draft-04): offline, nothing fetched.
// Usage: node validate-manifest.mjs <manifest.json>   (exit 0 valid, 1 invalid, 2 cannot validate)
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const file = process.argv[2];
if (!file) {
  console.error("usage: node validate-manifest.mjs <manifest.json>");
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
const version = manifest.manifestVersion;
const packageRoot = dirname(require.resolve("@microsoft/app-manifest/package.json"));
const schemaPath = join(packageRoot, "build", "json-schemas", "teams", `v${version}`, "MicrosoftTeams.schema.json");
if (!existsSync(schemaPath)) {
  console.error(`no schema for manifestVersion ${JSON.stringify(version)} in @microsoft/app-manifest`);
  process.exit(2);
}
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
if (validate(manifest)) {
  console.log(`valid: ${file} against ${schemaPath.slice(packageRoot.length + 1)}`);
  process.exit(0);
}
for (const error of validate.errors) {
  console.error(`invalid: ${error.instancePath || "/"} ${error.message}${error.params ? " " + JSON.stringify(error.params) : ""}`);
}
process.exit(1);
