// A small evaluator for the policy tests: follows literals, var.* and local.* through module
// calls, the root configuration and an environment's .tfvars. Anything else is UNKNOWN.
import { join } from "node:path";
import { loadConfig, loadTfvars, soleExpression, TF_ROOT } from "./hcl.mjs";
import { moduleDir } from "./language.mjs";

export const UNKNOWN = Symbol("unknown");

export class Ctx {
  constructor(cfg, { args = null, parent = null, tfvars = {} } = {}) {
    Object.assign(this, { cfg, args, parent, tfvars });
  }
  variable(name) {
    if (!(name in this.cfg.variables)) throw new Error(`${this.cfg.name}: no variable ${name}`);
    if (this.parent) {
      if (this.args && name in this.args) return this.parent.eval(this.args[name]);
    } else if (name in this.tfvars) {
      return this.tfvars[name];
    }
    const decl = this.cfg.variables[name];
    return "default" in decl ? this.eval(decl.default) : UNKNOWN;
  }
  eval(value) {
    if (typeof value === "string") {
      if (!value.includes("${")) return value;
      const expr = soleExpression(value);
      if (expr === null) return UNKNOWN;
      let m;
      if ((m = /^var\.([A-Za-z0-9_]+)$/.exec(expr))) return this.variable(m[1]);
      if ((m = /^local\.([A-Za-z0-9_]+)$/.exec(expr))) return m[1] in this.cfg.locals ? this.eval(this.cfg.locals[m[1]]) : UNKNOWN;
      if (expr === "true" || expr === "false") return expr === "true";
      if (/^-?\d+(\.\d+)?$/.test(expr)) return Number(expr);
      return UNKNOWN;
    }
    if (Array.isArray(value)) return value.map((v) => this.eval(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.eval(v)]));
    return value;
  }
  resources(type) {
    return this.cfg.resources.filter((r) => r.type === type);
  }
  one(type, name) {
    const list = this.resources(type).filter((r) => !name || r.name === name);
    if (list.length !== 1) throw new Error(`${this.cfg.name}: expected one ${type}${name ? "." + name : ""}, found ${list.length}`);
    return list[0];
  }
  /** Evaluates attribute `key` (dotted path through nested blocks, first block of each) of resource r. */
  attr(r, path) {
    let node = r.body;
    for (const k of path.split(".")) {
      node = node?.[k];
      if (Array.isArray(node) && node.length && typeof node[0] === "object" && node[0] !== null && !Array.isArray(node[0]) && path.split(".").indexOf(k) < path.split(".").length - 1) node = node[0];
    }
    return this.eval(node);
  }
}

/** The root configuration of one environment and a context per module call. */
export async function stack(env) {
  const root = await loadConfig(TF_ROOT);
  const tfvars = await loadTfvars(join(TF_ROOT, "environments", `${env}.tfvars`));
  const rootCtx = new Ctx(root, { tfvars });
  const modules = {};
  for (const [name, call] of Object.entries(root.modules)) {
    modules[name] = new Ctx(await loadConfig(moduleDir(root, call)), { args: call, parent: rootCtx });
  }
  return { root: rootCtx, modules, tfvars, env };
}
