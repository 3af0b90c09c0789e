import { createRequire as __isgCreateRequire } from 'node:module'; import { fileURLToPath as __isgFileURLToPath } from 'node:url'; const require = __isgCreateRequire(import.meta.url); const __filename = __isgFileURLToPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
var e=class extends Error{name="UserError";constructor(s,r){super(s,r)}},o=class extends e{constructor(r){super(r.join(`
`));this.problems=r}problems;name="InputError"};function t(n){return n instanceof Error?n.message:String(n)}export{e as a,o as b,t as c};
